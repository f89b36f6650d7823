#!/usr/bin/env bash
# The replication issue's second target: the best built-in architecture at 90% or more on the 5,000
# held-out images of the training folder. resnet20 (He et al. 2016) with a one-cycle recipe: 80 epochs
# at batch 128, SGD with Nesterov momentum, learning rate warming up to 0.2 over 30% of the steps and
# then annealed to zero, weight decay 5e-3 (DL4J's decoupled form: about PyTorch's coupled 5e-4 under
# momentum 0.9), random crop and flip; the served file averages each prediction with its mirror's.
# The paper's own recipe (182 epochs, 0.1 divided by 10 at 50% and 75%, weight decay 1e-4; 91.25% on
# the lossless test set) is EPOCHS=182 SCHEDULE=step LR=0.1 WD=1e-3.
#
# On this project's 2-core CPU resnet20 trains at about 210 img/s, so 80 epochs of 45,000 images take
# about 5 hours; on one GPU, seconds an epoch. Every epoch is checkpointed: rerun the same command after
# any stop and it continues. At the end it exports the model, writes the served F16 copy with flip
# averaging and the held-out accuracy it scores (pure Java) in its provenance, and prints both
# accuracies.
#
# Measured (models/resnet20/README.md): 88.34% for the network alone and 89.44% served (flip-averaged),
# 23,862 s; 40 epochs with weight decay 5e-4 gave 87.14% and 88.56%, 30 epochs with 5e-3 87.28%.
# Use a new OUT for another recipe: a checkpoint refuses to continue with different settings.
#
#   src/training/train-best.sh [--cuda] [extra Train options...]
#
# --cuda builds with the nd4j-cuda backend (-Pcuda; NVIDIA driver and CUDA 11.6 needed).
# Env: ARCH (default resnet20), EPOCHS (80), SCHEDULE (onecycle), LR (0.2), WD (5e-3),
#      AUGMENT (crop-flip; crop-flip-cutout adds cutout), DATA (../shared/datasets/cifar10/train),
#      OUT (~/.cnnlab/best-$ARCH: checkpoints/, model.safetensors, summary.json, the served
#      model-f16.safetensors, and model-f16-hflip.safetensors with eval-f16-hflip.json, the copy that
#      was scored before its accuracy went into the served file's provenance).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PROFILE=()
if [ "${1:-}" = "--cuda" ]; then PROFILE=(-Pcuda); shift; fi
ARCH="${ARCH:-resnet20}"
EPOCHS="${EPOCHS:-80}"
SCHEDULE="${SCHEDULE:-onecycle}"
LR="${LR:-0.2}"
WD="${WD:-5e-3}"
AUGMENT="${AUGMENT:-crop-flip}"
DATA="$(cd "${DATA:-../shared/datasets/cifar10/train}" && pwd)"
OUT="${OUT:-$HOME/.cnnlab/best-$ARCH}"
mkdir -p "$OUT"

./mvnw -B -q -o "${PROFILE[@]}" -pl src/training -am install -DskipTests \
  || ./mvnw -B -q "${PROFILE[@]}" -pl src/training -am install -DskipTests
./mvnw -B -q -o "${PROFILE[@]}" -pl src/training exec:java -Dexec.args="--data $DATA --arch $ARCH \
  --held-out 0.1 --folds 0 --final --epochs $EPOCHS --batch-size 128 --optimizer sgd --lr $LR \
  --schedule $SCHEDULE --weight-decay $WD --augment $AUGMENT --checkpoints $OUT/checkpoints \
  --export $OUT/model.safetensors $*" | tee "$OUT/summary.json"
# The served file: F16 weights, flip averaging, and the held-out accuracy it scores (pure Java) in its
# provenance; the F32 export keeps the network's own accuracy (DL4J) for comparison. The extra options
# go to the evaluation too: --seed and --subset choose the held-out images.
EXTRA="$*"
source src/training/held-out.sh
inference --dtype f16 --test-time hflip $OUT/model.safetensors $OUT/model-f16-hflip.safetensors
read -r ACC TOP5 < <(evaluate $OUT/model-f16-hflip.safetensors $OUT/eval-f16-hflip.json)
PLAIN=$(grep -o '"accuracy" *: *[0-9.]*' "$OUT/summary.json" | tail -1 | grep -o '[0-9.]*$')
inference --dtype f16 --test-time hflip --set accuracy=$ACC --set top5Accuracy=$TOP5 \
  --set accuracyWithoutFlip=$PLAIN $OUT/model.safetensors $OUT/model-f16.safetensors
echo "held-out accuracy: $PLAIN (network alone, DL4J), $ACC (model-f16.safetensors: F16, flip-averaged)" >&2
