#!/usr/bin/env bash
# Cold start: what a freshly started server does when RATE calls/s arrive at once, with and without the SIP
# message path warm-up (sip.warm-up.enabled):
#   ./mvnw -DskipTests package && bench/cold-start.sh
# Each round starts the jar twice, warm-up on then off (fresh JVM, fresh H2 file, users "callee" and "caller",
# 127.0.0.1 trusted so INVITEs are not challenged, admission on with a loopback location far above the load) and,
# as soon as it is healthy, runs RATE calls/s for DURATION s (1 s hold) with ../shared/bench/run-calls.sh.
# Prints per run: failed calls, retransmissions, setup p50/p99, how long the warm-up took, and the failed calls
# of each of the first 8 seconds. Runs are noisy on a shared 2-core box: use several rounds.
# The whole run holds flock /tmp/bench.lock. Results: bench/results/cold-*.
# Env: ROUNDS=2 RATE=500 DURATION=20 PASSWORD=bench-secret SIP_PORT=15066 HTTP_PORT=18080 JAVA_OPTS=
#      JAR=sip-proxy/target/sip-proxy.jar SHARED_BENCH=../shared/bench
set -euo pipefail
source "$(dirname "$0")/server-lib.sh"
bench_lock "$@"
REPRODUCE="$(env_of ROUNDS RATE DURATION PASSWORD SIP_PORT HTTP_PORT JAVA_OPTS JAR SHARED_BENCH)bench/cold-start.sh"
ROUNDS=${ROUNDS:-2}; RATE=${RATE:-500}; DURATION=${DURATION:-20}
trap server_stop EXIT
export AUTH=1 PASSWORD                    # the callee's REGISTER (run-calls.sh)

# failed_per_second STATS_CSV -> failed calls in each of the first 8 periods of SIPp's statistics (1 s each)
failed_per_second() {
  awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "FailedCall(P)") c = i; next }
             NR > 2 && NR <= 10 { printf "%s%s", sep, $c; sep = "," }' "$1"
}

summary=()
for ((round = 1; round <= ROUNDS; round++)); do
  for warm_up in true false; do
    new_run_dir "cold-warm-up-$warm_up"
    make_harness "$RUN_DIR/harness"
    call_auth 0
    server_start --sip.trusted-peers="$trusted" --sip.warm-up.enabled="$warm_up" \
      --logging.level.io.sipserver.proxy.app.WarmUpConfiguration=info
    provision_users callee caller
    api_post /api/locations '{"name":"bench-loopback","cidrs":["127.0.0.0/8"],"bandwidthKbps":100000000}' >/dev/null
    OUT=$RUN_DIR/calls "$RUN_DIR/harness/run-calls.sh" "$TARGET" "$RATE" "$DURATION" >"$RUN_DIR/calls.log" 2>&1 || true
    server_stop
    result=$(grep '^RESULT' "$RUN_DIR/calls.log" || echo "RESULT run failed: see $RUN_DIR/calls.log")
    took=$(grep -o 'warmed up: [0-9]* of [0-9]* messages in [0-9]* ms' "$RUN_DIR/server.log" || echo "off")
    per_second=$(failed_per_second "$(ls -t "$RUN_DIR"/calls/*_.csv | head -1)")
    line="round $round warm-up=$warm_up: failed=$(result_field "$result" failed) retrans=$(result_field "$result" retrans)"
    line+=" p50_ms=$(result_field "$result" p50_ms) p99_ms=$(result_field "$result" p99_ms)"
    line+=" cpu_others=$(result_field "$result" cpu_others) failed_per_s=$per_second ($took) $RUN_DIR"
    echo "$line"
    summary+=("$line")
  done
done

echo
echo "== cold start, $RATE calls/s for $DURATION s right after start, INVITE auth=0, admission on, $(nproc) cores shared with SIPp =="
printf '%s\n' "${summary[@]}"
echo "reproduce: (cd $REPO && ./mvnw -DskipTests package && $REPRODUCE)"
