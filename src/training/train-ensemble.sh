#!/usr/bin/env bash
# The default model (models/default): the recipes resnet20-long, resnet20-e30 and resnet20-e40, each
# trained by train-best.sh (resumable), merged into one file that averages their logits, served with
# the mirror (ServedModel; held-out scores in its provenance).
#   src/training/train-ensemble.sh [--cuda] [extra Train options...]
# Env: BASE (~/.cnnlab; members in $BASE/ensemble-<recipe>), OUT ($BASE/ensemble), DATA as train-best.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BASE="${BASE:-$HOME/.cnnlab}"; OUT="${OUT:-$BASE/ensemble}"; DATA="${DATA:-../shared/datasets/cifar10/train}"
MEMBERS=""
for r in resnet20-long resnet20-e30 resnet20-e40; do
  RECIPE=$r OUT="$BASE/ensemble-$r" DATA="$DATA" src/training/train-best.sh "$@" > /dev/null
  MEMBERS="$MEMBERS${MEMBERS:+,}$BASE/ensemble-$r/model-f32.safetensors"
done
mkdir -p "$OUT"
./mvnw -B -q -o -pl src/training exec:java -Dexec.args="--recipe resnet20-long --data $DATA --serve $OUT/model.safetensors \
  --members $MEMBERS --export-dtype f16 $*" | tee "$OUT/served.json"
