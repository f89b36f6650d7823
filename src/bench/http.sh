#!/usr/bin/env bash
# The prediction function over HTTP: wrk posts a CIFAR-10 JPEG to POST /predict at concurrency 1, 8
# and 32 and reports requests/s, median and p99 latency and errors (non-2xx answers plus socket
# errors); then the function's peak resident memory (VmHWM) after the load. requests/s counts
# answered (2xx) requests only. The function runs with its default load shedding (2 x cores
# predictions at once, 64 waiting for up to 5 s), so at concurrency 32 every request waits its turn:
# the numbers measure throughput and latency under load; any 503 would count as an error.
#
# Usage: src/bench/http.sh [--quick] [--rep N]
#   --quick  5 s per concurrency instead of 20 s
#   --rep N  repetition number, names the output file $BENCH_OUT/http-N.json (default 1, or $BENCH_REP)
# Env:   BENCH_OUT (default src/bench/results/raw), MODEL (default models/default),
#        FUNCTION_OPTS (extra options for the function, e.g. -Dcnnlab.max-concurrent=4),
#        NATIVE (default src/function/target/cnnlab-function-*-runner; absent: native is skipped)
# Systems, one after the other in the same run: the JVM build (SIMD kernel) and, when one was
# built (src/function/native.sh package), the native executable.
# Needs: wrk (Debian/Ubuntu: apt-get install -y wrk), curl; builds the function if it is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/../.."
PART=http
source src/bench/parts-common.sh

if ! command -v wrk >/dev/null; then
  echo "wrk is missing; install it: apt-get install -y wrk (Debian/Ubuntu package 'wrk')" >&2
  exit 1
fi
APP=src/function/target/quarkus-app
IMAGE=src/function/src/test/resources/images/cifar-cat.jpg
MODEL=$(realpath "${MODEL:-models/default}")
SECONDS_EACH=$([ "$QUICK" = 1 ] && echo 5 || echo 20)
WARMUP_SECONDS=$([ "$QUICK" = 1 ] && echo 5 || echo 15)

package_if_stale "the function" "$APP/quarkus-run.jar" src/function src/function/src/main src/inference/src/main
# a private copy, which a rebuild in another terminal cannot change under the running function
APP_COPY=$(mktemp -d -t cnnlab-bench-quarkus-app.XXXXXX)
TEMP_DIRS+=("$APP_COPY")
cp -a "$APP/." "$APP_COPY/"
APP=$APP_COPY

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
LOG=$(mktemp -t cnnlab-http-function.XXXXXX.log)
TEMP_FILES+=("$LOG")

SYSTEMS=(jvm)
copy_native && SYSTEMS+=(native)

# start_function SYSTEM: starts the function, waits until it is ready, sets FUNCTION_PID.
start_function() {
  # shellcheck disable=SC2086 # FUNCTION_OPTS holds space-separated options
  if [ "$1" = native ]; then
    "$NATIVE_COPY/function" ${FUNCTION_OPTS:-} -Dquarkus.http.port="$PORT" \
      -Dcnnlab.model.path="$MODEL" >"$LOG" 2>&1 &
  else
    java --add-modules jdk.incubator.vector ${FUNCTION_OPTS:-} -Dquarkus.http.port="$PORT" \
      -Dcnnlab.model.path="$MODEL" -jar "$APP/quarkus-run.jar" >"$LOG" 2>&1 &
  fi
  FUNCTION_PID=$!
  STARTED_PIDS+=("$FUNCTION_PID")
  wait_http_ok "$URL/q/health/ready" "$FUNCTION_PID" 120 || { tail -20 "$LOG" >&2; exit 1; }
}

LUA=$(mktemp -t cnnlab-http-post.XXXXXX.lua)
TEMP_FILES+=("$LUA")
cat >"$LUA" <<'EOF'
-- POST the image given in $IMAGE; print one machine-readable line at the end.
local f = assert(io.open(os.getenv("IMAGE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*all")
f:close()
wrk.headers["Content-Type"] = "image/jpeg"

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status=%d socket=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
EOF

# run_wrk CONCURRENCY SECONDS: prints wrk's RESULT line
run_wrk() {
  local c=$1 threads=$(( $1 < 2 ? $1 : 2 ))
  IMAGE="$IMAGE" timeout $(($2 + 30)) wrk -t"$threads" -c"$c" -d"$2s" --timeout 10s --latency -s "$LUA" "$URL/predict" \
    | grep '^RESULT'
}

field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$result"; }

for system in "${SYSTEMS[@]}"; do
  start_function "$system"
  # One checked answer before the load: a 200 with predictions, from the model we meant.
  answer=$(curl -sf -H 'Content-Type: image/jpeg' --data-binary "@$IMAGE" "$URL/predict")
  [[ $answer == *'"predictions"'* ]] || { echo "unexpected answer from /predict: $answer" >&2; exit 1; }
  ARCH=$(curl -sf "$URL/model" | sed -n 's/.*"architecture" *: *"\([^"]*\)".*/\1/p')
  ENGINE=$(curl -sf "$URL/model" | sed -n 's/.*"engine" *: *"\([^"]*\)".*/\1/p')
  echo "$system: pid $FUNCTION_PID on port $PORT, model $MODEL (${ARCH:-?}), engine ${ENGINE:-?}," \
    "$(nproc) cores, ${SECONDS_EACH}s per concurrency; warm-up ${WARMUP_SECONDS}s at concurrency 8"
  run_wrk 8 "$WARMUP_SECONDS" >/dev/null
  printf '%-12s %10s %12s %12s %8s\n' concurrency 'req/s' 'median ms' 'p99 ms' errors
  for c in 1 8 32; do
    result=$(run_wrk "$c" "$SECONDS_EACH")
    errors=$(( $(field status) + $(field socket) ))
    rps=$(awk -v n="$(($(field requests) - errors))" -v us="$(field duration_us)" \
      'BEGIN {printf "%.1f", n / (us / 1e6)}')
    p50=$(awk -v us="$(field p50_us)" 'BEGIN {printf "%.3f", us / 1000}')
    p99=$(awk -v us="$(field p99_us)" 'BEGIN {printf "%.3f", us / 1000}')
    case="POST /predict jpeg, ${ARCH:-model}, concurrency $c, $system"
    row http "$case" cnnlab-function requests_per_sec 'req/s' true "$rps"
    row http "$case" cnnlab-function latency_median ms false "$p50"
    row http "$case" cnnlab-function latency_p99 ms false "$p99"
    row http "$case" cnnlab-function errors count false "$errors"
    printf '%-12s %10s %12s %12s %8s\n' "$c" "$rps" "$p50" "$p99" "$errors"
  done
  rss=$(rss_peak_mib "$FUNCTION_PID")
  now=$(rss_now_mib "$FUNCTION_PID")
  row http "POST /predict jpeg, ${ARCH:-model}, after the load, $system" cnnlab-function rss_peak MiB false "$rss"
  row http "POST /predict jpeg, ${ARCH:-model}, after the load, $system" cnnlab-function rss_now MiB false "$now"
  echo "$system: resident memory after the load: peak (VmHWM) $rss MiB, now (VmRSS) $now MiB"
  stop_started
done
write_rows
