#!/usr/bin/env bash
# Trains a named recipe (default resnet20-long; see dev.cnnlab.training.recipe.Recipes) on the 45,000
# development images, then writes the file to serve: F16 weights, the recipe's test-time augmentation,
# and its held-out scores with and without it in the provenance (ServedModel). Rerun after any stop: it
# resumes from the checkpoints.   src/training/train-best.sh [--cuda] [extra Train options...]
# Env: RECIPE, DATA (../shared/datasets/cifar10/train), OUT (~/.cnnlab/best-$RECIPE).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PROFILE=(); if [ "${1:-}" = "--cuda" ]; then PROFILE=(-Pcuda); shift; fi
RECIPE="${RECIPE:-resnet20-long}"; DATA="${DATA:-../shared/datasets/cifar10/train}"; OUT="${OUT:-$HOME/.cnnlab/best-$RECIPE}"
mkdir -p "$OUT"
train() { ./mvnw -B -q -o "${PROFILE[@]}" -pl src/training exec:java -Dexec.args="--recipe $RECIPE --data $DATA $*"; }
./mvnw -B -q -o "${PROFILE[@]}" -pl src/training -am install -DskipTests
export $(java -cp src/training/target/classes dev.cnnlab.training.arch.NativeMemory) # glibc malloc for training
train --folds 0 --checkpoints "$OUT/checkpoints" --export "$OUT/model-f32.safetensors" "$@" > "$OUT/summary.json"
train --serve "$OUT/model.safetensors" --members "$OUT/model-f32.safetensors" --export-dtype f16 "$@" | tee "$OUT/served.json"
