#!/usr/bin/env bash
# Run with: bash bench/peers/run.sh [seconds-per-run] [rounds]
#
# Side by side under the same wrk load, on one server (bench/peers/src/main.rs): an open
# route, a hand-written jsonwebtoken extractor, axum-jwt-auth, and the #[require_token]
# guard with its verified-token cache on and off; for each algorithm (HS256 RS256 ES256
# EdDSA) and two workloads:
# - same: every request carries the same token;
# - first-seen: every request carries the next of TOKENS (default 20,000) distinct valid
#   tokens, cycling (first_seen.lua); the cache holds 4,096, so it never has the next one.
#
# Method (shared/noisy machines: only ratios from one run mean anything):
# - server: one tokio worker pinned to CPU 0; wrk: one thread pinned to CPU 1, -c16,
#   --latency;
# - a round runs, per workload, every route back to back (the order rotates from round to
#   round); throughput is taken as a ratio to /open's in the same round and workload, and
#   the median of the rounds' ratios is reported, with the median p50 and p99 latency;
# - /open carries the same Authorization header as the others in both workloads.
#
# Writes bench/peers/results/raw.csv (every measurement), summary.csv, summary.md and
# bench/peers/peers.svg (report.py, Python 3 standard library only).
# Environment: ALGS (default "HS256 RS256 ES256 EdDSA"), WORKLOADS ("same first-seen"),
# CONNS (16), PORT (3998), TOKENS (20000), WARMUP (seconds per route and workload, 1).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

DURATION=${1:-5}
ROUNDS=${2:-3}
CONNS=${CONNS:-16}
PORT=${PORT:-3998}
ALGS=${ALGS:-"HS256 RS256 ES256 EdDSA"}
WORKLOADS=${WORKLOADS:-"same first-seen"}
TOKENS=${TOKENS:-20000}
WARMUP=${WARMUP:-1}
ROUTES=(/open /handwritten /peer/axum-jwt-auth /guard /guard-nocache)
KEYS=$ROOT/tests/keys
OUT=$HERE/results

for tool in wrk taskset python3; do
    command -v "$tool" >/dev/null || { echo "$tool not found (wrk: apt-get install wrk)" >&2; exit 1; }
done

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HERE/target}
cargo build --release --manifest-path "$HERE/Cargo.toml" >&2
BIN=$CARGO_TARGET_DIR/release/auth-bench-peers

work=$(mktemp -d)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$OUT"
RAW=$OUT/raw.csv
echo "algorithm,workload,round,route,rps,p50_us,p99_us" >"$RAW"

# measure ROUTE WORKLOAD SECONDS -> "rps p50_us p99_us"; fails on any non-2xx response or
# socket error, so a route refusing its tokens is never measured as a fast 401.
measure() {
    local route=$1 workload=$2 seconds=$3 out
    local args=(-t1 -c"$CONNS" -d"${seconds}s" --latency)
    if [ "$workload" = same ]; then
        args+=(-H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$route")
    else
        args+=(-s "$HERE/first_seen.lua" "http://127.0.0.1:$PORT$route" --
            "$work/tokens.txt" "$work/position${route//\//_}")
    fi
    out=$(taskset -c 1 wrk "${args[@]}")
    if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
        echo "wrk reported errors on $route ($workload):" >&2
        echo "$out" >&2
        exit 1
    fi
    awk '
        function us(v) {
            if (v ~ /us$/) return v + 0
            if (v ~ /ms$/) return v * 1000
            if (v ~ /s$/) return v * 1000000
            return v + 0
        }
        $1 == "50%" { p50 = us($2) }
        $1 == "99%" { p99 = us($2) }
        /^Requests\/sec:/ { rps = $2 }
        END { printf "%s %.1f %.1f\n", rps, p50, p99 }
    ' <<<"$out"
}

for alg in $ALGS; do
    case $alg in
        HS*) export AUTH_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
             unset AUTH_PRIVATE_KEY_FILE AUTH_PUBLIC_KEY_FILE ;;
        RS*|PS*) export AUTH_PRIVATE_KEY_FILE=$KEYS/rsa-private.pem AUTH_PUBLIC_KEY_FILE=$KEYS/rsa-public.pem ;;
        ES256) export AUTH_PRIVATE_KEY_FILE=$KEYS/ec256-private.pem AUTH_PUBLIC_KEY_FILE=$KEYS/ec256-public.pem ;;
        EdDSA) export AUTH_PRIVATE_KEY_FILE=$KEYS/ed25519-private.pem AUTH_PUBLIC_KEY_FILE=$KEYS/ed25519-public.pem ;;
        *) echo "unsupported algorithm $alg" >&2; exit 2 ;;
    esac
    rm -f "$work"/position_*
    log=$work/server.log
    # The tokens are signed before the server listens (on both CPUs; nothing is measured yet).
    AUTH_ALGORITHM=$alg BIND=127.0.0.1:$PORT WORKERS=1 TOKENS_FILE=$work/tokens.txt TOKENS=$TOKENS \
        "$BIN" >"$log" 2>&1 &
    server=$!
    for _ in $(seq 600); do
        grep -q '^listening' "$log" && break
        kill -0 "$server" 2>/dev/null || break
        sleep 0.5
    done
    grep -q '^listening' "$log" || { cat "$log" >&2; exit 1; }
    taskset -p -c 0 "$server" >/dev/null
    for task in /proc/"$server"/task/*; do taskset -p -c 0 "${task##*/}" >/dev/null; done
    TOKEN=$(sed -n 's/^TOKEN=//p' "$log")
    sed -n 's/^wrote/  wrote/p' "$log" >&2
    echo "$alg: warm-up" >&2
    for workload in $WORKLOADS; do
        for route in "${ROUTES[@]}"; do measure "$route" "$workload" "$WARMUP" >/dev/null; done
    done
    for round in $(seq "$ROUNDS"); do
        for workload in $WORKLOADS; do
            # Rotate the order so that no route always runs first or last.
            n=${#ROUTES[@]}
            for k in $(seq 0 $((n - 1))); do
                route=${ROUTES[$(((k + round - 1) % n))]}
                result=$(measure "$route" "$workload" "$DURATION")
                read -r rps p50 p99 <<<"$result"
                echo "$alg,$workload,$round,$route,$rps,$p50,$p99" >>"$RAW"
                printf '%-6s %-10s round %d %-20s %10.0f req/s  p50 %8.1f us  p99 %8.1f us\n' \
                    "$alg" "$workload" "$round" "$route" "$rps" "$p50" "$p99" >&2
            done
        done
    done
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
done

python3 "$HERE/report.py" "$RAW" "$OUT" "$HERE/peers.svg" \
    --note "wrk -t1 -c$CONNS, ${DURATION} s x $ROUNDS rounds, $TOKENS first-seen tokens"
