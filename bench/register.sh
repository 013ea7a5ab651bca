#!/usr/bin/env bash
# REGISTER benchmark of our server, with the SIPp scripts that measured Kamailio (../shared/bench):
#   ./mvnw -DskipTests package && bench/register.sh
# 1. starts sip-proxy/target/sip-proxy.jar on 127.0.0.1 (SIP 15066, HTTP 18080, fresh H2 file, generated
#    admin password) and creates USERS users user0.. with password PASSWORD through the REST API;
# 2. registers each of them once (digest auth: REGISTER -> 401 -> REGISTER -> 200) and measures the
#    heap in use after a full GC, before and after;
# 3. finds the highest REGISTER rate sustained for DURATION s with no failure and no retransmission
#    (find-max.sh register, AUTH=1) and prints it with p50/p99.
# The whole run holds flock /tmp/bench.lock; the server is stopped at the end. Results: bench/results/.
# Env: USERS=10000 PASSWORD=bench-secret DURATION=20 FILL_RATE=500 RATES="500 1000 2000 ..." (find-max)
#      SIP_PORT=15066 HTTP_PORT=18080 JAVA_OPTS="-XX:MaxTenuringThreshold=0 -Xms2g -Xmx2g -XX:+AlwaysPreTouch" JAR=sip-proxy/target/sip-proxy.jar SHARED_BENCH=../shared/bench
set -euo pipefail
source "$(dirname "$0")/server-lib.sh"
bench_lock "$@"
REPRODUCE="$(env_of USERS PASSWORD DURATION FILL_RATE RATES REFINE SIP_PORT HTTP_PORT JAVA_OPTS JAR SHARED_BENCH)bench/register.sh"
USERS=${USERS:-10000}; DURATION=${DURATION:-20}; FILL_RATE=${FILL_RATE:-500}
((USERS % FILL_RATE == 0)) || die "USERS ($USERS) must be a multiple of FILL_RATE ($FILL_RATE)"
new_run_dir register
make_harness "$RUN_DIR/harness"
trap server_stop EXIT
export AUTH=1 PASSWORD USERS

server_start --sip.trusted-peers=
echo "server pid $SERVER_PID: $(cat "$RUN_DIR/server-cmd.txt")"
provision_users $(seq_names user "$USERS")
heap_users=$(heap_used_kb)

fill=$(OUT=$RUN_DIR/fill "$RUN_DIR/harness/run-register.sh" "$TARGET" "$FILL_RATE" $((USERS / FILL_RATE)) | grep '^RESULT')
echo "$fill"
heap_bound=$(heap_used_kb)
# completed REGISTER server transactions linger until Timer J (at most 64*T1 = 32 s): wait them out
sleep 40
heap_settled=$(heap_used_kb)
bindings=$(api_get /api/registrations | jq length)
mem=$("$SHARED_BENCH/mem.sh" "$TARGET")

"$RUN_DIR/harness/find-max.sh" register "$TARGET" "$DURATION" | tee "$RUN_DIR/find-max.log"
max_line=$(grep '^MAX' "$RUN_DIR/find-max.log")
max=$(result_field "$max_line" max_rate)
best=$(grep '^RESULT' "$RUN_DIR/find-max.log" | grep " rate=$max " | grep ' ok=1 ' | tail -1 || true)

cat <<EOF | tee "$RUN_DIR/summary.txt"

== our server, REGISTER with digest auth (401 + 200), loopback, $(nproc) cores shared with SIPp ==
max sustained for ${DURATION} s (0 failed, 0 retransmissions): $max REGISTER/s (first failing step: $(per_step "$(result_field "$max_line" first_bad)"))
  at $max/s: p50 $(result_field "$best" p50_ms) ms, p99 $(result_field "$best" p99_ms) ms, cpu_proxy $(result_field "$best" cpu_proxy), cpu_sipp $(result_field "$best" cpu_sipp)
heap in use after full GC: $(mb "$heap_users") MB with $USERS users; after registering them ($bindings AORs listed by /api/registrations):
  $(mb "$heap_bound") MB at once, $(mb "$heap_settled") MB 40 s later (REGISTER transactions gone)
  = $(awk -v a="$heap_users" -v b="$heap_settled" -v n="$USERS" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }') bytes per registration; process: $mem
reproduce: (cd $REPO && ./mvnw -DskipTests package && $REPRODUCE)
server: $(cat "$RUN_DIR/server-cmd.txt")
results: $RUN_DIR
EOF
