#!/usr/bin/env bash
# Run with: bash examples/bench_load.sh [seconds-per-run] [rounds]
#
# Puts the same load on GET /open and two guarded routes of the bench_server example, on
# loopback, and prints each guarded route's throughput as a ratio of the open route's, per
# algorithm. ROUTES=jwt (the default): GET /protected (#[require_token]) and
# GET /users/alice (sub = "username", scope(admin = true), override(admin = true)).
# ROUTES=credentials: GET /opaque (credential = "opaque", a token kept in the store) and
# GET /api-key (credential = "api_key", the key in X-API-Key).
#
# Method (shared/noisy machines: only ratios from one run mean anything):
# - server: one tokio worker pinned to CPU 0; wrk: one thread pinned to CPU 1;
# - every request carries the same Authorization header, /open included;
# - each round runs the three routes back to back (interleaved), after a warm-up;
#   the ratio is taken per round and the median of the rounds is reported.
# Environment: ALGS (default "HS256 RS256 ES256 EdDSA"; HS256 alone for ROUTES=credentials), CONNS (default 16), PORT (3999),
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
ROUTES=${ROUTES:-jwt}
case $ROUTES in
    jwt) ;;
    credentials) [ -n "${ALGS_SET:-}" ] || ALGS=HS256 ;;
    *) echo "ROUTES must be jwt or credentials" >&2; exit 2 ;;
esac
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

rps() { # route seconds header -> requests per second
    taskset -c 1 wrk -t1 -c"$CONNS" -d"$2"s -H "$3" "http://127.0.0.1:$PORT$1" |
        awk '/^Requests\/sec:/ { print $2 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

if [ "$ROUTES" = jwt ]; then first=/protected second=/users/alice; else first=/opaque second=/api-key; fi
printf '%-6s %12s %12s %12s %14s %14s\n' alg "open rps" "$first" "$second" "$first/open" "$second/open"
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
    line() { sed -n "s/^$1=//p" "$log"; }
    [ -n "$(line TOKEN)" ] || { cat "$log" >&2; exit 1; }
    if [ "$ROUTES" = jwt ]; then
        h1="Authorization: Bearer $(line TOKEN)" h2="Authorization: Bearer $(line USER_TOKEN)"
    else
        h1="Authorization: Bearer $(line OPAQUE_TOKEN)" h2="X-API-Key: $(line API_KEY)"
    fi
    for route in /open "$first" "$second"; do rps "$route" 2 "$h2" >/dev/null; done
    opens=() ones=() twos=() r1=() r2=()
    for _ in $(seq "$ROUNDS"); do
        o=$(rps /open "$DURATION" "$h1")
        a=$(rps "$first" "$DURATION" "$h1")
        b=$(rps "$second" "$DURATION" "$h2")
        opens+=("$o") ones+=("$a") twos+=("$b")
        r1+=("$(awk -v a="$a" -v b="$o" 'BEGIN { printf "%.3f", a / b }')")
        r2+=("$(awk -v a="$b" -v b="$o" 'BEGIN { printf "%.3f", a / b }')")
    done
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -f "$log"
    printf '%-6s %12.0f %12.0f %12.0f %14s %14s\n' "$alg" \
        "$(printf '%s\n' "${opens[@]}" | median)" "$(printf '%s\n' "${ones[@]}" | median)" \
        "$(printf '%s\n' "${twos[@]}" | median)" \
        "$(printf '%s\n' "${r1[@]}" | median)" "$(printf '%s\n' "${r2[@]}" | median)"
done
