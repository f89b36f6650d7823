#!/usr/bin/env bash
# The replication issue's second target: the best built-in architecture at 90% or more on the 5,000
# held-out images of the training folder. resnet20 with the recipe of He et al. (2016): 182 epochs
# (64k steps at batch 128), SGD with Nesterov momentum, learning rate 0.1 divided by 10 at 50% and
# 75% of the epochs, weight decay 1e-4, random crop and flip. The paper reports 91.25% on the test set.
#
# On this project's 2-core CPU resnet20 trains at about 167 img/s (src/bench), so 182 epochs of
# 45,000 images take about 14 hours; on one GPU, seconds an epoch. Every epoch is checkpointed:
# rerun the same command after any stop and it continues. At the end it prints the held-out
# accuracy, exports the model and writes an F16 copy small enough for models/.
#
#   src/training/train-best.sh [--cuda] [extra Train options...]
#
# --cuda builds with the nd4j-cuda backend (-Pcuda; NVIDIA driver and CUDA 11.6 needed).
# Env: ARCH (default resnet20), EPOCHS (182), DATA (../shared/datasets/cifar10/train),
#      OUT (~/.cnnlab/best-$ARCH: checkpoints/, model.safetensors, model-f16.safetensors, summary.json).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PROFILE=()
if [ "${1:-}" = "--cuda" ]; then PROFILE=(-Pcuda); shift; fi
ARCH="${ARCH:-resnet20}"
EPOCHS="${EPOCHS:-182}"
DATA="$(cd "${DATA:-../shared/datasets/cifar10/train}" && pwd)"
OUT="${OUT:-$HOME/.cnnlab/best-$ARCH}"
mkdir -p "$OUT"

./mvnw -B -q -o "${PROFILE[@]}" -pl src/training -am install -DskipTests \
  || ./mvnw -B -q "${PROFILE[@]}" -pl src/training -am install -DskipTests
./mvnw -B -q -o "${PROFILE[@]}" -pl src/training exec:java -Dexec.args="--data $DATA --arch $ARCH \
  --held-out 0.1 --folds 0 --final --epochs $EPOCHS --batch-size 128 --optimizer sgd --lr 0.1 \
  --schedule step --weight-decay 1e-4 --augment crop-flip --checkpoints $OUT/checkpoints \
  --export $OUT/model.safetensors $*" | tee "$OUT/summary.json"
./mvnw -B -q -o -pl src/inference exec:java \
  -Dexec.args="--dtype f16 $OUT/model.safetensors $OUT/model-f16.safetensors"
echo "held-out accuracy: $(grep -o '"accuracy" *: *[0-9.]*' "$OUT/summary.json" | tail -1)" >&2
