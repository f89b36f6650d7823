#!/usr/bin/env bash
# Cold start of the packaged prediction function: milliseconds from launching `java` to the first
# answered (200) POST /predict, and the peak resident memory (VmHWM) at that moment. Variants, run
# interleaved (one start of each, then again), N times each:
#   jdk17 plain                   java -jar quarkus-run.jar (the JDK's default CDS only)
#   jdk17 AppCDS                  + -XX:SharedArchiveFile=app-cds.jsa (Quarkus builds it at package time)
#   jdk25 plain                   the same jar on JDK 25, when $JDK25_HOME exists
#   jdk25 AOT cache, trained      + -XX:AOTCache (JEP 483/514/515), recorded here by a training run
#                                 that answers 20 predictions (src/function/target/bench-coldstart/)
#   jdk25 AOT cache, Quarkus      the cache Quarkus records at package time, start-up only
#                                 (quarkus.package.jar.aot.*, built with JDK 25 into
#                                 src/function/target/quarkus-app-aot/)
#   native                        the native executable (-Pnative), when one was built; it is
#                                 not built here: `src/function/native.sh package -DskipTests` builds it (5-7 minutes)
#   native, embedded model        the same without -Dcnnlab.model.path: the default model the
#                                 executable holds, parsed at build time (only when MODEL is models/default)
# One untimed start comes first so that every timed start finds the jars in the page cache.
#
# Usage: src/bench/coldstart.sh [--quick] [--rep N]
#   --quick  3 starts per variant instead of 7
#   --rep N  repetition number, names the output file $BENCH_OUT/coldstart-N.json (default 1)
# Env:   BENCH_OUT (default src/bench/results/raw), MODEL (default models/default),
#        JDK25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64; absent: the JDK 25 variants are skipped)
#        NATIVE (default src/function/target/cnnlab-function-*-runner; absent: native is skipped)
set -euo pipefail
cd "$(dirname "$0")/../.."
PART=coldstart
source src/bench/parts-common.sh

APP=src/function/target/quarkus-app
IMAGE=$(realpath src/function/src/test/resources/images/cifar-cat.jpg)
MODEL=$(realpath "${MODEL:-models/default}")
RUNS=$([ "$QUICK" = 1 ] && echo 3 || echo 7)
JDK25_HOME=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
AOT_CACHE=$(realpath -m src/function/target/bench-coldstart/app-jdk25.aot)
QUARKUS_AOT_APP=src/function/target/quarkus-app-aot

package_if_stale "the function" "$APP/quarkus-run.jar" src/function src/function/src/main src/inference/src/main
PORT=$(free_port)
LOG=$(mktemp -t cnnlab-coldstart.XXXXXX.log)
TEMP_FILES+=("$LOG")

major() { "$1" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p'; }

# start APP_DIR JAVA FLAGS...: launches the function from its quarkus-app folder (the CDS and AOT
# archives record the class path relative to it), or the native executable APP_DIR/function when
# JAVA is "native", and sets PID.
start() {
  local dir=$1 java=$2
  shift 2
  if [ "$java" = native-embedded ]; then
    (cd "$dir" && exec ./function "$@" -Dquarkus.http.port="$PORT" >>"$LOG" 2>&1) &
  elif [ "$java" = native ]; then
    (cd "$dir" && exec ./function "$@" -Dquarkus.http.port="$PORT" -Dcnnlab.model.path="$MODEL" \
      >>"$LOG" 2>&1) &
  else
    (cd "$dir" && exec "$java" "$@" -Dquarkus.http.port="$PORT" -Dcnnlab.model.path="$MODEL" \
      -jar quarkus-run.jar >>"$LOG" 2>&1) &
  fi
  PID=$!
  STARTED_PIDS+=("$PID")
}

predict_status() {
  curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: image/jpeg' --data-binary "@$IMAGE" \
    "http://127.0.0.1:$PORT/predict" || true
}

# run_once APP_DIR JAVA FLAGS...: sets MS (launch to the first 200 from /predict) and RSS_MIB (VmHWM then).
run_once() {
  local t0 t1 deadline status=none
  t0=$EPOCHREALTIME
  deadline=$((${t0%.*} + 120))
  start "$@"
  # Wait for the port without spawning a process per poll, then ask for a prediction until one comes.
  until { : 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null; do
    kill -0 "$PID" 2>/dev/null || { failed "the function exited at start ($*)"; return 1; }
    ((${EPOCHREALTIME%.*} < deadline)) || { failed "the port did not open within 120 s ($*)"; return 1; }
    sleep 0.01
  done
  until status=$(predict_status) && [ "$status" = 200 ]; do
    kill -0 "$PID" 2>/dev/null || { failed "the function exited at start ($*)"; return 1; }
    ((${EPOCHREALTIME%.*} < deadline)) || { failed "no answered prediction within 120 s, last status $status ($*)"; return 1; }
    sleep 0.005
  done
  t1=$EPOCHREALTIME
  RSS_MIB=$(rss_peak_mib "$PID")
  stop_started
  MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", (b - a) * 1000}')
}

failed() {
  stop_started
  echo "$1; log: $(tail -5 "$LOG")" >&2
}

# Records the JDK 25 AOT cache: a training run that starts, answers predictions and exits
# (the JVM writes the cache at exit). Redone when the packaged app is newer than the cache.
record_aot_cache() {
  local i
  if [ -f "$AOT_CACHE" ] && [ -z "$(find "$APP" -newer "$AOT_CACHE" -name '*.jar' | head -1)" ]; then
    return 0
  fi
  echo "recording the JDK 25 AOT cache (training run)..."
  mkdir -p "$(dirname "$AOT_CACHE")"
  rm -f "$AOT_CACHE"
  start "$APP" "$JDK25_HOME/bin/java" -XX:AOTCacheOutput="$AOT_CACHE"
  wait_http_ok "http://127.0.0.1:$PORT/q/health/ready" "$PID" 120 || { failed "training run not ready"; return 1; }
  for i in $(seq 20); do
    [ "$(predict_status)" = 200 ] || { failed "training run: prediction failed"; return 1; }
  done
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/model"
  kill -TERM "$PID"
  # the exiting JVM forks a second one that assembles the cache: allow it a few minutes
  for i in $(seq 3000); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  stop_started
  [ -s "$AOT_CACHE" ] || { echo "no AOT cache was written; log: $(tail -5 "$LOG")" >&2; return 1; }
}

# Quarkus's own AOT cache: the function packaged by JDK 25 into quarkus-app-aot/ (the usual
# quarkus-app/ stays as it is). Fails (and the variant is skipped) where JDK 25 cannot build it.
package_quarkus_aot() {
  [ -f "$QUARKUS_AOT_APP/app.aot" ] && [ -z "$(find src/function/src/main src/inference/src/main \
    -newer "$QUARKUS_AOT_APP/app.aot" -type f | head -1)" ] && return 0
  echo "packaging the function with JDK 25 and quarkus.package.jar.aot.enabled..."
  JAVA_HOME=$JDK25_HOME ./mvnw -o -B -q -pl src/function -am package -Dmaven.test.skip=true \
    -Dquarkus.package.jar.aot.enabled=true -Dquarkus.package.jar.aot.type=AOT \
    -Dquarkus.package.jar.aot.phase=BUILD -Dquarkus.package.output-directory=quarkus-app-aot \
    && [ -f "$QUARKUS_AOT_APP/app.aot" ]
}

HAVE_JDK25=0
QUARKUS_AOT=0
if [ -x "$JDK25_HOME/bin/java" ] && [ "$(major "$JDK25_HOME/bin/java")" -ge 25 ]; then
  HAVE_JDK25=1
  if package_quarkus_aot; then
    QUARKUS_AOT=1
  else
    echo "Quarkus could not package its AOT cache with JDK 25: that variant is skipped" >&2
  fi
else
  echo "no JDK 25 at $JDK25_HOME (set JDK25_HOME): the JDK 25 variants are skipped"
fi
# Measure private copies of the packaged apps, which a rebuild in another terminal cannot change
# mid-run (cp -a keeps the modification times that the CDS and AOT archives check).
APP_COPY=$(mktemp -d -t cnnlab-bench-quarkus-app.XXXXXX)
TEMP_DIRS+=("$APP_COPY")
cp -a "$APP/." "$APP_COPY/"
APP=$APP_COPY
if [ "$QUARKUS_AOT" = 1 ]; then
  AOT_COPY=$(mktemp -d -t cnnlab-bench-quarkus-app-aot.XXXXXX)
  TEMP_DIRS+=("$AOT_COPY")
  cp -a "$QUARKUS_AOT_APP/." "$AOT_COPY/"
  QUARKUS_AOT_APP=$AOT_COPY
fi

# variant i: NAMES[i] runs JAVAS[i] with FLAGS[i] from DIRS[i]
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
V=$(major "$JAVA")
NAMES=("jdk$V plain")
DIRS=("$APP")
JAVAS=("$JAVA")
FLAGS=("")
if [ -f "$APP/app-cds.jsa" ]; then
  NAMES+=("jdk$V AppCDS"); DIRS+=("$APP"); JAVAS+=("$JAVA"); FLAGS+=("-XX:SharedArchiveFile=app-cds.jsa -Xshare:on")
else
  echo "no app-cds.jsa (quarkus.package.jar.appcds.enabled=true builds it): AppCDS skipped"
fi
if [ "$HAVE_JDK25" = 1 ]; then
  NAMES+=("jdk25 plain"); DIRS+=("$APP"); JAVAS+=("$JDK25_HOME/bin/java"); FLAGS+=("")
  # AOTMode=on: refuse to start rather than silently run without the cache
  if record_aot_cache; then
    NAMES+=("jdk25 AOT cache, trained"); DIRS+=("$APP"); JAVAS+=("$JDK25_HOME/bin/java")
    FLAGS+=("-XX:AOTCache=$AOT_CACHE -XX:AOTMode=on")
  else
    echo "the JDK 25 AOT cache could not be recorded: that variant is skipped" >&2
  fi
  if [ "$QUARKUS_AOT" = 1 ]; then
    NAMES+=("jdk25 AOT cache, Quarkus"); DIRS+=("$QUARKUS_AOT_APP"); JAVAS+=("$JDK25_HOME/bin/java")
    FLAGS+=("-XX:AOTCache=app.aot -XX:AOTMode=on")
  fi
fi
if copy_native; then
  NAMES+=("native"); DIRS+=("$NATIVE_COPY"); JAVAS+=(native); FLAGS+=("")
  if [ "$MODEL" = "$(realpath models/default)" ]; then
    NAMES+=("native, embedded model"); DIRS+=("$NATIVE_COPY"); JAVAS+=(native-embedded); FLAGS+=("")
  fi
  echo "native executable: $NATIVE, $(du -m "$NATIVE" | cut -f1) MiB"
  row coldstart "native executable" cnnlab-function size MiB false \
    "$(awk -v b="$(stat -c %s "$NATIVE")" 'BEGIN {printf "%.1f", b / 1048576}')"
fi

echo "model $MODEL, $RUNS starts per variant, interleaved, $(nproc) cores, port $PORT"
run_once "$APP" "$JAVA"   # untimed: fills the page cache
for r in $(seq "$RUNS"); do
  for i in "${!NAMES[@]}"; do
    # shellcheck disable=SC2086 # FLAGS holds space-separated JVM options
    run_once "${DIRS[$i]}" "${JAVAS[$i]}" ${FLAGS[$i]} || { echo "start $r of '${NAMES[$i]}' failed" >&2; exit 1; }
    ms=$MS rss=$RSS_MIB
    case="launch to first POST /predict, ${NAMES[$i]}"
    row coldstart "$case" cnnlab-function ms_to_first_prediction ms false "$ms"
    row coldstart "$case" cnnlab-function rss_peak MiB false "$rss"
    echo "  start $r, ${NAMES[$i]}: $ms ms, $rss MiB"
  done
done

write_rows   # also prints each variant's median and range
