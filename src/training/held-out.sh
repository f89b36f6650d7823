# Sourced by train-best.sh and train-ensemble.sh, from the repository root, after DATA (the data
# folder) and EXTRA (Train options that choose the held-out images, e.g. --seed, --subset) are set.
#   inference ARGS...     ConvertModel (src/inference) with ARGS
#   evaluate MODEL JSON   scores MODEL on the 5,000 held-out images (pure Java), writes the report to
#                         JSON and prints "accuracy top5Accuracy"
inference() { ./mvnw -B -q -o -pl src/inference exec:java -Dexec.args="$*"; }
evaluate() {
  ./mvnw -B -q -o -pl src/training exec:java -Dexec.args="--data $DATA --held-out 0.1 $EXTRA --evaluate $1" > "$2"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['evaluation']['result']; print(r['accuracy'], r['top5Accuracy'])" "$2"
}
