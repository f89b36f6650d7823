#!/usr/bin/env bash
# Batch-1 latency and batch-64 throughput of the pure-Java engine (keras-cifar10, random weights).
# Usage: src/inference/bench.sh   (compiles the module's tests first; run from anywhere)
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
exec java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" \
  dev.cnnlab.inference.nn.InferenceBenchmark
