#!/usr/bin/env bash
# Parse throughput, one thread: JAIN-SIP's StringMsgParser against SipMessageParser on SIPp call and REGISTER
# messages (sip-proxy/src/test/.../sip/SipParseBenchmark.java). Compiles the test classes, then runs
# ROUNDS short rounds alternating between the two (N messages in all per parser) after a warm-up, and prints the
# median rates in CPU time and wall time. Holds flock /tmp/bench.lock throughout.
# Env: N=1000000 ROUNDS=20 JAVA_OPTS=-XX:MaxTenuringThreshold=0
set -euo pipefail
if [[ -z ${BENCH_LOCKED:-} ]]; then
  BENCH_LOCKED=1 exec flock /tmp/bench.lock "$0" "$@"
fi
cd "$(dirname "$0")/.."
N=${N:-1000000}; ROUNDS=${ROUNDS:-20}
./mvnw -o -q -pl sip-proxy test-compile
./mvnw -o -q -pl sip-proxy dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/parse-cp.txt
# shellcheck disable=SC2086
java ${JAVA_OPTS:--XX:MaxTenuringThreshold=0} \
  -cp "sip-proxy/target/test-classes:sip-proxy/target/classes:$(cat sip-proxy/target/parse-cp.txt)" \
  io.sipserver.proxy.sip.SipParseBenchmark "$N" "$ROUNDS"
