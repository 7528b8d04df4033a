#!/usr/bin/env bash
# Issue 11's longer fuzzing run: every Jazzer target of server/pom.xml's fuzz-suite profile, ROUNDS times
# each (10 s per round, a JVM of its own). libFuzzer's corpus in server/.cifuzz-corpus grows from round to
# round, so ROUNDS=30 is five minutes of fuzzing per target that keeps what the earlier rounds learnt.
#
#   bench/fuzz-long.sh                 30 rounds per target
#   ROUNDS=3 TARGETS="FrameDecoderFuzzTest" bench/fuzz-long.sh
#
# A finding fails the round, stops the script and leaves a crash-* file beside the test's stored inputs
# (server/src/test/resources/…/<Test>Inputs/), which every later normal run replays.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ROUNDS=${ROUNDS:-30}
TARGETS=${TARGETS:-"FrameDecoderFuzzTest ConfigLoaderFuzzTest FaqFilesFuzzTest AnalyzerChainFuzzTest UploadedImagesFuzzTest"}
BUILD=target-fuzz
echo "fuzz: building (mvn -Dsodam.target=$BUILD)"
mvn -B -q -Dsodam.target=$BUILD -Dsodam.skipNodeTests=true -DskipTests -pl bot,widget -am install
mvn -B -q -Dsodam.target=$BUILD -Dsodam.skipNodeTests=true -pl server test-compile
for target in $TARGETS; do
  for round in $(seq "$ROUNDS"); do
    log=server/$BUILD/fuzz-$target-$round.log
    mvn -B -q -Dsodam.target=$BUILD -Dsodam.skipNodeTests=true -pl server "surefire:test@fuzz-$target" >"$log" 2>&1 \
      || { echo "fuzz: $target round $round failed; see $log"; exit 1; }
    summary=$(grep -a "DONE" "$log" | tail -1 | sed 's/^#\([0-9]*\)[^c]*cov: \([0-9]*\).*corp: \([0-9]*\).*/\1 inputs, \2 edges, corpus \3/')
    echo "fuzz: $target round $round/$ROUNDS: ${summary:-no fuzzing summary (replay only?)}"
  done
done
echo "fuzz: every round of every target passed"
