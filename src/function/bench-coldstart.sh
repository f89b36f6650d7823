#!/usr/bin/env bash
# Cold start of the packaged function: wall time from `java` being launched to the first answered
# POST /predict, with and without the AppCDS archive Quarkus builds at package time.
#
# Usage: src/function/bench-coldstart.sh [runs]      (after `mvn -pl src/function package`)
# Env:   MODEL=path/to/model (default: models/default, else the test model), PORT=18080
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
RUNS=${1:-5}
PORT=${PORT:-18080}
APP=target/quarkus-app
IMAGE=src/test/resources/images/cifar-cat.jpg
MODEL=${MODEL:-$ROOT/models/default}
[ -e "$MODEL/model.safetensors" ] || [ -f "$MODEL" ] || MODEL=src/test/resources/model/small-cnn-v1.safetensors
MODEL=$(realpath "$MODEL")
[ -f "$APP/quarkus-run.jar" ] || { echo "build first: mvn -pl src/function package" >&2; exit 1; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# one run: prints milliseconds from launch to the first 200 from /predict
run_once() {
  local t0 pid status
  t0=$(now_ms)
  # the CDS archive records the class path relative to quarkus-app/, so start from there
  (cd "$APP" && exec java "$@" -Dquarkus.http.port="$PORT" -Dcnnlab.model.path="$MODEL" \
    -jar quarkus-run.jar >/dev/null 2>&1) &
  pid=$!
  while true; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: image/jpeg' \
      --data-binary "@$IMAGE" "http://localhost:$PORT/predict" || true)
    [ "$status" = "200" ] && break
    kill -0 "$pid" 2>/dev/null || { echo "app exited" >&2; return 1; }
    sleep 0.01
  done
  echo $(( $(now_ms) - t0 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "model: $MODEL, $RUNS runs each, $(nproc) cores"
no_cds=$(for _ in $(seq "$RUNS"); do run_once; done | median)
echo "without AppCDS: median ${no_cds} ms to first prediction"
if [ -f "$APP/app-cds.jsa" ]; then
  cds=$(for _ in $(seq "$RUNS"); do run_once -XX:SharedArchiveFile=app-cds.jsa -Xshare:on; done | median)
  echo "with AppCDS:    median ${cds} ms to first prediction"
else
  echo "no $APP/app-cds.jsa (quarkus.package.jar.appcds.enabled=true builds it)"
fi
