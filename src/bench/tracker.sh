#!/usr/bin/env bash
# The tracker's API at scale: starts the packaged tracker (no workers) on its embedded PostgreSQL in
# a scratch folder, seeds it once per scale (TrackerSeed: 10,000 runs x 5 folds x 20 epochs =
# 1,000,000 epoch rows; --quick: 2,000 runs x 5 folds x 10 epochs = 100,000), then times the calls
# the UI makes for the runs table, an experiment page, a run page and compare (TrackerBench):
# median and p99 latency of sequential requests after a warm-up.
# The seeded database is kept for the next run in $BENCH_CACHE/tracker-pg-<scale>-<migrations hash>.
#
# Usage: src/bench/tracker.sh [--quick] [--rep N]
#   --quick  the smaller database, 40 requests per endpoint instead of 200
#   --rep N  repetition number, names the output file $BENCH_OUT/tracker-N.json (default 1)
# Env:   BENCH_OUT (default src/bench/results/raw), BENCH_CACHE (default ~/.cache/cnnlab-bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
PART=tracker
source src/bench/parts-common.sh

if [ "$QUICK" = 1 ]; then
  RUNS=2000 FOLDS=5 EPOCHS=10 SCALE="2k runs, 100k epoch rows"
else
  RUNS=10000 FOLDS=5 EPOCHS=20 SCALE="10k runs, 1M epoch rows"
fi
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cnnlab-bench}
# keyed by scale and by the migrations, so that a changed schema gets a freshly seeded database
PG_DIR=$CACHE/tracker-pg-$RUNS-$FOLDS-$EPOCHS-$(cat migrations/*.sql | sha256sum | cut -c1-12)
SEEDED=$PG_DIR.seeded
TRACKER=src/tracker/target/quarkus-app/quarkus-run.jar

package_if_stale "the tracker" "$TRACKER" src/tracker src/tracker/src/main migrations ui src/training/src/main \
  src/inference/src/main
package_if_stale "the bench module" src/bench/target/classpath.txt src/bench src/bench/src/main src/bench/pom.xml
BENCH_CP=src/bench/target/classes:$(cat src/bench/target/classpath.txt)

# A PostgreSQL left running by a killed tracker: stop it by the pid in its own pid file.
stop_postgres() {
  local pid _
  [ -f "$PG_DIR/postmaster.pid" ] || return 0
  pid=$(head -1 "$PG_DIR/postmaster.pid")
  kill -0 "$pid" 2>/dev/null || return 0
  kill -INT "$pid"   # fast shutdown
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "PostgreSQL (pid $pid) did not stop" >&2
}
EXIT_HOOKS+=(stop_postgres)

stop_postgres
if [ ! -f "$SEEDED" ]; then
  # an interrupted seeding starts over; databases of this scale under older migrations go
  rm -rf "$PG_DIR" "$CACHE/tracker-pg-$RUNS-$FOLDS-$EPOCHS-"*
fi
mkdir -p "$CACHE"
PG_PORT=$(free_port)
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
LOG=$(mktemp -t cnnlab-bench-tracker.XXXXXX.log)
TEMP_FILES+=("$LOG")
CNNLAB_PG_DIR=$PG_DIR CNNLAB_PG_PORT=$PG_PORT java -Dcnnlab.workers=0 -Dquarkus.http.port="$PORT" \
  -Dcnnlab.data-dir="$CACHE/tracker-data" -jar "$TRACKER" >"$LOG" 2>&1 &
TRACKER_PID=$!
STARTED_PIDS+=("$TRACKER_PID")
wait_http_ok "$URL/q/health/ready" "$TRACKER_PID" 300 || { tail -30 "$LOG" >&2; exit 1; }
echo "tracker pid $TRACKER_PID on port $PORT, PostgreSQL on port $PG_PORT, data in $PG_DIR"

if [ ! -f "$SEEDED" ]; then
  echo "seeding $SCALE (once per scale; kept in $PG_DIR)..."
  java -cp "$BENCH_CP" dev.cnnlab.bench.TrackerSeed "jdbc:postgresql://localhost:$PG_PORT/postgres" \
    "$RUNS" "$FOLDS" "$EPOCHS"
  echo "$RUNS runs, $FOLDS folds, $EPOCHS epochs" >"$SEEDED"
fi

java -Dbench.out="$BENCH_OUT" -Dbench.rep="$REP" -Dbench.quick="$([ "$QUICK" = 1 ] && echo true || echo false)" \
  -Dbench.command="$BENCH_COMMAND" -cp "$BENCH_CP" dev.cnnlab.bench.TrackerBench "$URL" "$SCALE"
