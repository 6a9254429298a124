#!/usr/bin/env bash
# Run with: bash examples/bench_load.sh [seconds-per-run] [rounds]
#
# Puts the same load on GET /open, GET /protected (#[require_token]) and
# GET /users/alice (sub = "username", scope(admin = true), override(admin = true)) of the
# bench_server example, on loopback, and prints each protected route's throughput as a
# ratio of the open route's, per algorithm.
#
# Method (shared/noisy machines: only ratios from one run mean anything):
# - server: one tokio worker pinned to CPU 0; wrk: one thread pinned to CPU 1;
# - every request carries the same Authorization header, /open included;
# - each round runs the three routes back to back (interleaved), after a warm-up;
#   the ratio is taken per round and the median of the rounds is reported.
# Environment: ALGS (default "HS256 RS256 ES256 EdDSA"), CONNS (default 16), PORT (3999),
# STORE ("memory", the default, or "redis": revocations checked in a redis-server started
# here on PORT+1, pinned to CPU 1 beside wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-5}
ROUNDS=${2:-3}
CONNS=${CONNS:-16}
PORT=${PORT:-3999}
ALGS=${ALGS:-"HS256 RS256 ES256 EdDSA"}
KEYS=tests/keys

if ! command -v wrk >/dev/null; then
    echo "wrk not found; installing it (Debian package)" >&2
    apt-get update -qq && apt-get install -y -qq wrk
fi
STORE=${STORE:-memory}
case $STORE in
    memory) ;;
    redis)
        if ! command -v redis-server >/dev/null; then
            echo "redis-server not found; installing it (Debian package)" >&2
            apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server
        fi
        REDIS_PORT=$((PORT + 1))
        taskset -c 1 redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null &
        redis=$!
        trap 'kill $redis 2>/dev/null || true' EXIT
        export AUTH_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/"
        ;;
    *) echo "STORE must be memory or redis" >&2; exit 2 ;;
esac
# One build for both stores: without AUTH_REDIS_URL the server keeps the in-memory store.
cargo build --release --features redis --bin bench_server >&2
BIN=target/release/bench_server
echo "store: $STORE" >&2

rps() { # route token -> requests per second
    taskset -c 1 wrk -t1 -c"$CONNS" -d"$2"s -H "Authorization: Bearer $3" "http://127.0.0.1:$PORT$1" |
        awk '/^Requests\/sec:/ { print $2 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-6s %12s %12s %12s %10s %10s\n' alg "open rps" "protected" "users" "prot/open" "users/open"
for alg in $ALGS; do
    case $alg in
        HS*) export AUTH_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n'); unset AUTH_PRIVATE_KEY_FILE AUTH_PUBLIC_KEY_FILE ;;
        RS*|PS*) export AUTH_PRIVATE_KEY_FILE=$KEYS/rsa-private.pem AUTH_PUBLIC_KEY_FILE=$KEYS/rsa-public.pem ;;
        ES256) export AUTH_PRIVATE_KEY_FILE=$KEYS/ec256-private.pem AUTH_PUBLIC_KEY_FILE=$KEYS/ec256-public.pem ;;
        EdDSA) export AUTH_PRIVATE_KEY_FILE=$KEYS/ed25519-private.pem AUTH_PUBLIC_KEY_FILE=$KEYS/ed25519-public.pem ;;
    esac
    log=$(mktemp)
    AUTH_ALGORITHM=$alg BIND=127.0.0.1:$PORT WORKERS=1 taskset -c 0 "$BIN" >"$log" 2>&1 &
    server=$!
    trap 'kill $server ${redis:-} 2>/dev/null || true' EXIT
    for _ in $(seq 50); do grep -q '^listening' "$log" && break; sleep 0.1; done
    token=$(sed -n 's/^TOKEN=//p' "$log")
    user_token=$(sed -n 's/^USER_TOKEN=//p' "$log")
    [ -n "$token" ] || { cat "$log" >&2; exit 1; }
    for route in /open /protected /users/alice; do rps "$route" 2 "$user_token" >/dev/null; done
    opens=() prots=() users=() pr=() ur=()
    for _ in $(seq "$ROUNDS"); do
        o=$(rps /open "$DURATION" "$token")
        p=$(rps /protected "$DURATION" "$token")
        u=$(rps /users/alice "$DURATION" "$user_token")
        opens+=("$o") prots+=("$p") users+=("$u")
        pr+=("$(awk -v a="$p" -v b="$o" 'BEGIN { printf "%.3f", a / b }')")
        ur+=("$(awk -v a="$u" -v b="$o" 'BEGIN { printf "%.3f", a / b }')")
    done
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -f "$log"
    printf '%-6s %12.0f %12.0f %12.0f %10s %10s\n' "$alg" \
        "$(printf '%s\n' "${opens[@]}" | median)" "$(printf '%s\n' "${prots[@]}" | median)" \
        "$(printf '%s\n' "${users[@]}" | median)" \
        "$(printf '%s\n' "${pr[@]}" | median)" "$(printf '%s\n' "${ur[@]}" | median)"
done
