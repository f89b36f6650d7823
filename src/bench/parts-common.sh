# Sourced by http.sh, coldstart.sh and tracker.sh: argument parsing, result rows in the suite's
# shared format (src/bench/README.md, written by ShellRows), free ports and process clean-up.
# Expects PART (the file name prefix) to be set and the working directory to be the repository root.

QUICK=0
REP=${BENCH_REP:-1}
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=1 ;;
    --rep) REP=${2:?--rep needs a number}; shift ;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument '$1' (known: --quick, --rep N)" >&2; exit 2 ;;
  esac
  shift
done
BENCH_OUT=${BENCH_OUT:-src/bench/results/raw}
# The command that reproduces a row, as the report prints it.
BENCH_COMMAND="src/bench/$PART.sh$([ "$QUICK" = 1 ] && echo ' --quick' || true)"

ROWS=()
# row SUITE CASE SYSTEM METRIC UNIT HIGHER_IS_BETTER VALUE: one measured value, kept as a tab-separated line.
row() {
  ROWS+=("$(printf '%s\t' "$1" "$2" "$3" "$4" "$5" "$6")$7")
}

# Writes the collected rows to $BENCH_OUT/$PART-$REP.json and prints each measurement's median and range:
# the bench's one row writer and one statistics implementation, in Java (dev.cnnlab.bench.ShellRows).
write_rows() {
  package_if_stale "the bench module" src/bench/target/classpath.txt src/bench src/bench/src/main src/bench/pom.xml
  printf '%s\n' "${ROWS[@]}" | java -cp "src/bench/target/classes:$(cat src/bench/target/classpath.txt)" \
    dev.cnnlab.bench.ShellRows "$BENCH_OUT" "$PART" "$REP" "$BENCH_COMMAND"
}

# package_if_stale WHAT TARGET MODULE DIRS...: packages MODULE (with the modules it needs) when TARGET
# is missing or older than a file in DIRS. A failed build with an older TARGET at hand (say, another
# module is half-edited) only warns, and the older TARGET is measured.
package_if_stale() {
  local what=$1 target=$2 module=$3
  shift 3
  [ -e "$target" ] && [ -z "$(find "$@" -newer "$target" -type f 2>/dev/null | head -1)" ] && return 0
  echo "packaging $what ($module)..."
  ./mvnw -o -B -q -pl "$module" -am package -Dmaven.test.skip=true && return 0
  [ -e "$target" ] || { echo "cannot build $what" >&2; return 1; }
  echo "WARNING: the build failed; measuring the older $target" >&2
}

# A TCP port nobody listens on: random in 20000..32767, below Linux's ephemeral range (where
# port-0 servers and outgoing connections could take it between our starts), checked by connecting.
free_port() {
  local port _
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 12768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# Processes this script started and its temporary files; stopped and removed on exit, whatever the reason.
STARTED_PIDS=()
TEMP_FILES=()
TEMP_DIRS=()
stop_started() {
  local pid _
  for pid in "${STARTED_PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
}
# Further clean-up commands a script adds (run on exit after the processes are stopped).
EXIT_HOOKS=()
on_exit() {
  local hook
  stop_started
  for hook in "${EXIT_HOOKS[@]}"; do $hook || true; done
  rm -f "${TEMP_FILES[@]}"
  rm -rf "${TEMP_DIRS[@]}"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# Peak resident set (VmHWM) of a process, in MiB.
rss_peak_mib() {
  awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"
}

# copy_native: when a native function was built (src/function/native.sh package -DskipTests, or
# $NATIVE), sets NATIVE and copies it with the JDK libraries it loads from beside itself into a
# private folder NATIVE_COPY (as NATIVE_COPY/function), which a rebuild cannot change mid-run.
# Returns 1, saying so, when there is none.
copy_native() {
  NATIVE=${NATIVE:-$(ls src/function/target/cnnlab-function-*-runner 2>/dev/null | head -1)}
  if [ -z "$NATIVE" ] || [ ! -x "$NATIVE" ]; then
    echo "no native executable (src/function/native.sh package -DskipTests builds one): native skipped"
    return 1
  fi
  NATIVE_COPY=$(mktemp -d -t cnnlab-bench-native.XXXXXX)
  TEMP_DIRS+=("$NATIVE_COPY")
  cp "$NATIVE" "$NATIVE_COPY/function"
  cp "$(dirname "$NATIVE")"/*.so "$NATIVE_COPY/" 2>/dev/null || true
}

# Resident set now (VmRSS) of a process, in MiB.
rss_now_mib() {
  awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"
}

# Polls URL until it answers 200, for at most SECONDS; fails early if PID exits.
wait_http_ok() {
  local url=$1 pid=$2 seconds=$3 _
  for _ in $(seq $((seconds * 10))); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "process $pid exited before $url answered" >&2; return 1; }
    sleep 0.1
  done
  echo "$url did not answer 200 within ${seconds}s" >&2
  return 1
}
