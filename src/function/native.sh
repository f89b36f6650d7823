#!/usr/bin/env bash
# Builds the native function with the stand-in native-image toolchain of these machines
# (../shared/native-toolchain, see its README) and runs Maven's GOALS on it (default: verify, which
# runs the function's @QuarkusIntegrationTest suite against the executable).
#   src/function/native.sh [GOALS and Maven options...]   e.g. package -DskipTests, verify -DskipUnitTests
# Env: CNNLAB_SHARED (default ../shared beside the repository), JDK25_HOME (Temurin 25, which the
# toolchain links against; Maven runs on it so the ITs' in-JVM image decoder is JDK 25's too).
# With a real GraalVM or Mandrel, skip this script: ./mvnw -pl src/function -am verify -Pnative
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${CNNLAB_SHARED:-../shared}
JDK25_HOME=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
HOME_DIR=$(JAVA_HOME=$JDK25_HOME "$SHARED/native-toolchain/setup.sh" | tail -1)
[ $# -gt 0 ] || set -- verify
JAVA_HOME=$JDK25_HOME exec ./mvnw -B -pl src/function -am -Pnative \
  -Dquarkus.native.graalvm-home="$HOME_DIR" "$@"
