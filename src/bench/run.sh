#!/usr/bin/env bash
# The cnnlab benchmark suite (issue #8; see src/bench/README.md). Runs cnnlab and its peers (PyTorch and
# ONNX Runtime from ../shared/peers/pytorch-onnxruntime) interleaved, N repetitions, then aggregates the
# rows into results.json / results.md / results.png and prints the Markdown on stdout (progress on stderr).
#
#   src/bench/run.sh [--quick] [--only suite,suite] [--archs arch,arch] [--reps N]
#
# Suites: training pipeline inference http coldstart tracker (default: all), and time-to-accuracy (hours;
# only when named, once, resumable: see TimeToAccuracyBench). --quick: 1 repetition and
# short windows (a few minutes); full: 3 repetitions. --archs: the training suite's networks, ours and the
# peer's (keras-cifar10, resnet20, airbench94; default all). A run of every suite writes src/bench/results/; a
# run with --only writes them to report/ beside its rows (BENCH_RESULTS overrides either).
# Env: BENCH_OUT (rows; default src/bench/results/raw/<UTC time>), BENCH_RESULTS, PEERS_DIR (the peer's
# source), BENCH_WORK (writable work folder, reused between runs; default $TMPDIR/cnnlab-bench),
# BENCH_SECONDS / BENCH_MAX_PHASE_SECONDS (clean seconds per phase and the cap per phase); TTA_* (the
# time-to-accuracy suite's seeds, recipes and smoke-test overrides, see src/bench/README.md).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/../.." && pwd)"
cd "$ROOT"
ALL="training,pipeline,inference,http,coldstart,tracker"
# Suites that run only when --only names them.
EXTRA="time-to-accuracy"

usage() { sed -n '2,15p' "$BENCH/run.sh" | sed 's/^# \{0,1\}//'; }
log() { echo "[bench $(date +%T)] $*" >&2; }

QUICK=0
ONLY=""
ARCHS=""
REPS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --only) ONLY="${2:?--only needs a comma-separated list of suites}"; shift ;;
    --only=*) ONLY="${1#--only=}" ;;
    --archs) ARCHS="${2:?--archs needs a comma-separated list of networks}"; shift ;;
    --archs=*) ARCHS="${1#--archs=}" ;;
    --reps) REPS="${2:?--reps needs a number}"; shift ;;
    --reps=*) REPS="${1#--reps=}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for s in ${ONLY//,/ }; do
  [[ ",$ALL,$EXTRA," == *",$s,"* ]] || { echo "unknown suite '$s' (known: $ALL,$EXTRA)" >&2; exit 2; }
done
[[ "$REPS" =~ ^[0-9]*$ ]] || { echo "--reps must be a number, got '$REPS'" >&2; exit 2; }
wants() { [[ ",${ONLY:-$ALL}," == *",$1,"* ]]; }
ALL_ARCHS="keras-cifar10,resnet20,airbench94"
for a in ${ARCHS//,/ }; do
  [[ ",$ALL_ARCHS," == *",$a,"* ]] || { echo "unknown network '$a' (known: $ALL_ARCHS)" >&2; exit 2; }
done
trains() { [[ ",${ARCHS:-$ALL_ARCHS}," == *",$1,"* ]]; }

if [ "$QUICK" = 1 ]; then
  MODE=quick; REPS=${REPS:-1}; SECS=${BENCH_SECONDS:-3}; MAX_PHASE=${BENCH_MAX_PHASE_SECONDS:-8}; WAIT_QUIET=0
  PART_TIMEOUT=900
else
  MODE=full; REPS=${REPS:-3}; SECS=${BENCH_SECONDS:-10}; MAX_PHASE=${BENCH_MAX_PHASE_SECONDS:-40}; WAIT_QUIET=60
  PART_TIMEOUT=3600
fi
[ "$REPS" -ge 1 ] || { echo "--reps must be at least 1" >&2; exit 2; }
# The command that reproduces a suite's rows.
command_for() { echo "src/bench/run.sh$([ "$QUICK" = 1 ] && echo " --quick") --only $1${ARCHS:+ --archs $ARCHS}"; }

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
export BENCH_OUT="${BENCH_OUT:-$BENCH/results/raw/$STAMP}"
mkdir -p "$BENCH_OUT/peer-raw"
RESULTS="${BENCH_RESULTS:-$([ -z "$ONLY" ] && echo "$BENCH/results" || echo "$BENCH_OUT/report")}"
LOAD_START=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git status --porcelain 2>/dev/null)" ] || COMMIT="$COMMIT-dirty"
log "$MODE mode, $REPS repetition(s), suites ${ONLY:-$ALL}; rows in $BENCH_OUT"

log "building cnnlab-bench ..."
./mvnw -o -B -q -pl src/bench -am package -DskipTests >&2 || ./mvnw -B -q -pl src/bench -am package -DskipTests >&2
CP="$BENCH/target/classes:$(cat "$BENCH/target/classpath.txt")"
# glibc malloc settings for DL4J training (dev.cnnlab.training.arch.NativeMemory), for every JVM here, the
# peer's included, so that both engines run under the same allocator
export $(java -cp "$CP" dev.cnnlab.training.arch.NativeMemory)
# --add-modules jdk.incubator.vector: the pure-Java engine's SIMD kernel, as deployed.
JAVA_OPTS=(-Xmx2g --add-modules jdk.incubator.vector -Djava.awt.headless=true -Dbench.out="$BENCH_OUT" -Dbench.seconds="$SECS"
  -Dbench.maxPhaseSeconds="$MAX_PHASE" -Dbench.quick="$([ "$QUICK" = 1 ] && echo true || echo false)")
FAILED=()

# ---- the peer: a writable copy of the peer plus our overlays (src/bench/peer) ----
PEERS_SRC="${PEERS_DIR:-$ROOT/../shared/peers/pytorch-onnxruntime}"
WORK="${BENCH_WORK:-${TMPDIR:-/tmp}/cnnlab-bench}/peers"
# Copies a file only when its content differs, so that the peer rebuilds only when something changed.
sync_file() { cmp -s "$1" "$2" 2>/dev/null || { mkdir -p "$(dirname "$2")"; cp "$1" "$2"; chmod u+w "$2"; }; }
prepare_peer() {
  if [ ! -x "$PEERS_SRC/run.sh" ]; then
    log "no peer at $PEERS_SRC (set PEERS_DIR): PyTorch and ONNX Runtime are skipped"
    return 1
  fi
  log "peer: $PEERS_SRC -> $WORK"
  local f
  while IFS= read -r f; do sync_file "$PEERS_SRC/$f" "$WORK/$f"; done < <(cd "$PEERS_SRC" && find run.sh pom.xml src -type f)
  while IFS= read -r f; do sync_file "$BENCH/peer/$f" "$WORK/$f"; done < <(cd "$BENCH/peer" && find src -type f)
  # The peer builds against a project-local repository; seed it from an earlier copy when there is one.
  if [ ! -d "$WORK/.m2repo" ] && [ -d "${PEER_M2_SEED:-/tmp/peers/.m2repo}" ]; then
    cp -r "${PEER_M2_SEED:-/tmp/peers/.m2repo}" "$WORK/.m2repo"
  fi
  if [ ! -f "$WORK/target/anchors-1.0.jar" ] || [ -n "$(cd "$WORK" && find pom.xml src -newer target/anchors-1.0.jar -print -quit)" ]; then
    log "peer: building ..."
    ./mvnw -q -B -o -f "$WORK/pom.xml" -Dmaven.repo.local="$WORK/.m2repo" package -DskipTests >&2 \
      || ./mvnw -q -B -f "$WORK/pom.xml" -Dmaven.repo.local="$WORK/.m2repo" package -DskipTests >&2 \
      || { log "FAILED: the peer's build; PyTorch and ONNX Runtime are skipped"; FAILED+=(peer-build); return 1; }
  fi
}

# Converts a peer output into rows, one file per suite (each suite has its own reproducing command).
peer_rows() { # raw-file part rep
  local suite
  for suite in training inference; do
    wants "$suite" || continue
    java "${JAVA_OPTS[@]}" -Dbench.rep="$3" -Dbench.command="$(command_for "$suite")" -cp "$CP" \
      dev.cnnlab.bench.PeerRows "$1" "$2-$suite" "$suite" >&2
  done
}

# The peer's own run.sh: keras-cifar10 training (PyTorch) and inference (PyTorch, ONNX Runtime).
peer_keras() { # rep
  local train_batches=32,64,128 infer_batches=1,64 train_secs=$SECS skip_ort=0
  wants training || { train_batches=32; train_secs=1; }   # it trains before it infers: keep that short
  wants inference || { infer_batches=1; skip_ort=1; }
  local raw="$BENCH_OUT/peer-raw/keras-$1.json"
  (cd "$WORK" && TRAIN_SECONDS=$train_secs INFER_SECONDS=$SECS GEMM_SECONDS=1 MAX_PHASE_SECONDS=$MAX_PHASE \
    WAIT_QUIET_MAX=$WAIT_QUIET SKIP_ORT=$skip_ort \
    JAVA_TOOL_OPTIONS="-Dbench.trainBatches=$train_batches -Dbench.inferBatches=$infer_batches -Dbench.gemmSizes=512" \
    timeout "$PART_TIMEOUT" ./run.sh) > "$raw"
  peer_rows "$raw" peer-keras "$1"
}

# Our overlays (src/bench/peer): cnnlab's networks in DJL + PyTorch, measured like the peer's own network.
# resnet20 trains at batch 32, 64, 128 and infers; airbench94 only trains, at 512 and 1024.
peer_overlay() { # network class rep
  local train_batches=32,64,128 train_secs=$SECS infer_batches=1,64
  [ "$1" = airbench94 ] && { train_batches=512,1024; infer_batches=""; }
  wants training || { train_batches=32; train_secs=1; }
  wants inference || infer_batches=""
  local raw="$BENCH_OUT/peer-raw/$1-$3.json"
  mkdir -p "$WORK/tmp"
  (cd "$WORK" && OPT_OUT_TRACKING=true DJL_OFFLINE=true timeout "$PART_TIMEOUT" java -Xms512m -Xmx1g \
    -Djava.io.tmpdir="$WORK/tmp" -Dai.djl.offline=true -DOPT_OUT_TRACKING=true \
    -DDJL_CACHE_DIR="$WORK/.djl" -DENGINE_CACHE_DIR="$WORK/.djl" \
    -Dbench.trainSeconds="$train_secs" -Dbench.inferSeconds="$SECS" -Dbench.maxPhaseSeconds="$MAX_PHASE" \
    -Dbench.trainBatches="$train_batches" -Dbench.inferBatches="$infer_batches" \
    -cp "target/anchors-1.0.jar:target/lib/*" "anchors.$2" 2> >(grep --line-buffered '^\[bench' >&2)) > "$raw"
  peer_rows "$raw" "peer-$1" "$3"
}

# ---- cnnlab's parts ----
ours() { # suite rep
  local cls
  case "$1" in
    training) cls=TrainingBench ;;
    pipeline) cls=PipelineBench ;;
    inference) cls=InferenceBench ;;
    time-to-accuracy) cls=TimeToAccuracyBench ;;
  esac
  local extra=()
  # airbench94 at batch 1024 needs more off-heap memory (ND4J's arrays) than JavaCPP's default cap, -Xmx
  [ "$1" = training ] && extra=(-Dorg.bytedeco.javacpp.maxbytes=8g -Dorg.bytedeco.javacpp.maxphysicalbytes=11g
    ${ARCHS:+-Dbench.archs=$ARCHS})
  # time-to-accuracy trains for hours and resumes when rerun: no time limit (timeout 0)
  timeout "$([ "$1" = time-to-accuracy ] && echo 0 || echo "$PART_TIMEOUT")" java "${JAVA_OPTS[@]}" "${extra[@]}" \
    -Dbench.rep="$2" -Dbench.command="$(command_for "$1")" -Dbench.dataset="$ROOT/../shared/datasets/cifar10/train" -cp "$CP" "dev.cnnlab.bench.$cls" \
    2> >(grep --line-buffered -v '^SLF4J' >&2) >&2
}

run_job() { # job rep
  log "repetition $2: $1"
  local ok=0
  case "$1" in
    peer-keras) peer_keras "$2" || ok=$? ;;
    peer-resnet20) peer_overlay resnet20 ResNet20Bench "$2" || ok=$? ;;
    peer-airbench94) peer_overlay airbench94 Airbench94Bench "$2" || ok=$? ;;
    http|coldstart|tracker) "$BENCH/$1.sh" $([ "$QUICK" = 1 ] && echo --quick) --rep "$2" >&2 || ok=$? ;;
    *) ours "$1" "$2" || ok=$? ;;
  esac
  if [ "$ok" != 0 ]; then log "FAILED: $1 (repetition $2, exit $ok)"; FAILED+=("$1#$2"); fi
}

OURS_JOBS=()
for s in training inference pipeline; do wants "$s" && OURS_JOBS+=("$s"); done
PEER_JOBS=()
if { wants training || wants inference; } && prepare_peer; then
  trains keras-cifar10 && PEER_JOBS+=(peer-keras)
  trains resnet20 && PEER_JOBS+=(peer-resnet20)
  if wants training && trains airbench94; then PEER_JOBS+=(peer-airbench94); fi
fi

# The function over HTTP, cold start and the tracker have no peer: scripts that write their own rows.
SCRIPT_JOBS=()
for s in http coldstart tracker; do
  wants "$s" || continue
  if [ -x "$BENCH/$s.sh" ]; then SCRIPT_JOBS+=("$s"); else log "$s: no $BENCH/$s.sh, skipped"; fi
done

# Interleave: ours, peer, ours, peer ...; even repetitions start with the peer, so drift favours neither.
for ((rep = 1; rep <= REPS; rep++)); do
  first=("${OURS_JOBS[@]}"); second=("${PEER_JOBS[@]}")
  if ((rep % 2 == 0)); then first=("${PEER_JOBS[@]}"); second=("${OURS_JOBS[@]}"); fi
  for ((i = 0; i < ${#first[@]} || i < ${#second[@]}; i++)); do
    if ((i < ${#first[@]})); then run_job "${first[i]}" "$rep"; fi
    if ((i < ${#second[@]})); then run_job "${second[i]}" "$rep"; fi
  done
  for job in "${SCRIPT_JOBS[@]}"; do run_job "$job" "$rep"; done
done
# Once, whatever --reps says: its repetitions are the seeds.
if wants time-to-accuracy; then run_job time-to-accuracy 1; fi

log "report -> $RESULTS"
java "${JAVA_OPTS[@]}" -Dbench.mode="$MODE" -Dbench.commit="$COMMIT" -Dbench.loadStart="$LOAD_START" -cp "$CP" \
  dev.cnnlab.bench.Report "$BENCH_OUT" "$RESULTS"
if [ ${#FAILED[@]} -gt 0 ]; then
  log "failed parts: ${FAILED[*]}"
  exit 1
fi
