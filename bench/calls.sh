#!/usr/bin/env bash
# Call benchmark of our server, with the SIPp scripts that measured Kamailio (../shared/bench):
#   ./mvnw -DskipTests package && bench/calls.sh
# 1. starts sip-proxy/target/sip-proxy.jar on 127.0.0.1 (SIP 15066, HTTP 18080, fresh H2 file, generated
#    admin password) and creates the users "callee" and "caller" (password PASSWORD) through the REST API;
#    then creates USERS more (user0..) and registers each once (authenticated, 1,000 REGISTER/s), as Kamailio's
#    figures were measured with 10,000 users registered, and measures the heap they take;
# 2. holds HOLD_RATE*HOLD_DURATION calls open (PAUSE_MS=HOLD_PAUSE_MS) and measures the heap in use after
#    a full GC with them live, against the heap before: heap per 1,000 live calls;
# 3. finds the highest call rate sustained for DURATION s (1 s hold) with no failure and no
#    retransmission (find-max.sh calls) and prints it with p50/p99 of INVITE -> 200.
# AUTH=1 (default): no trusted peer, every INVITE is challenged (407) and re-sent with credentials
#   (sip-proxy/src/test/resources/sipp/call-auth.xml as user "caller");
# AUTH=0: 127.0.0.1 is a trusted peer and the caller is Kamailio's (no INVITE auth), to compare like with like.
# ADMISSION=on (default): three locations with budgets far above the load, loopback's among them, so every
#   call is checked and charged (caller and callee legs); ADMISSION=off: admission.enabled=false. Comparing
#   the two gives the cost of the admission check.
# RELAY=always (default): every call's media anchored at the relay (four relay ports bound per call); RELAY=never:
#   relay.mode=never, signalling only, as Kamailio without rtpengine is measured. Comparing the two prices the relay.
# The callee's REGISTER is always authenticated. The whole run holds flock /tmp/bench.lock; the server is
# stopped at the end. Results: bench/results/.
# Env: AUTH=1 PASSWORD=bench-secret USERS=10000 (0: none) DURATION=20 RATES="500 1000 2000 ..." (find-max)
#      HOLD_RATE=200 HOLD_DURATION=10 HOLD_PAUSE_MS=30000
#      SIP_PORT=15066 HTTP_PORT=18080 JAVA_OPTS="-XX:MaxTenuringThreshold=0 -Xms2g -Xmx2g -XX:+AlwaysPreTouch" JAR=sip-proxy/target/sip-proxy.jar SHARED_BENCH=../shared/bench
set -euo pipefail
source "$(dirname "$0")/server-lib.sh"
bench_lock "$@"
REPRODUCE="$(env_of AUTH ADMISSION RELAY PASSWORD USERS DURATION RATES REFINE HOLD_RATE HOLD_DURATION HOLD_PAUSE_MS SIP_PORT HTTP_PORT RELAY_PORT_MIN RELAY_PORT_MAX JAVA_OPTS JAR SHARED_BENCH)bench/calls.sh"
INVITE_AUTH=${AUTH:-1}; DURATION=${DURATION:-20}; USERS=${USERS:-10000}
((USERS % 1000 == 0)) || die "USERS must be a multiple of 1000 (registered at 1,000/s)"
HOLD_RATE=${HOLD_RATE:-200}; HOLD_DURATION=${HOLD_DURATION:-10}; HOLD_PAUSE_MS=${HOLD_PAUSE_MS:-30000}
HOLD_CALLS=$((HOLD_RATE * HOLD_DURATION))
((HOLD_PAUSE_MS > HOLD_DURATION * 1000 + 10000)) || die "HOLD_PAUSE_MS must outlast HOLD_DURATION by 10 s"
[[ $PASSWORD =~ ^[A-Za-z0-9._-]+$ ]] || die "PASSWORD may hold only letters, digits, '.', '_' and '-'"
new_run_dir "calls-auth$INVITE_AUTH"
make_harness "$RUN_DIR/harness"
call_auth "$INVITE_AUTH"
trap server_stop EXIT
export AUTH=1 PASSWORD                    # the callee's REGISTER (run-calls.sh)

ADMISSION=${ADMISSION:-on}
case $ADMISSION in
  on) admission_args=() ;;
  off) admission_args=(--admission.enabled=false) ;;
  *) die "ADMISSION must be on or off" ;;
esac
RELAY=$(relay_mode)
server_start --sip.trusted-peers="$trusted" "${admission_args[@]}" --relay.mode="$RELAY"
echo "server pid $SERVER_PID: $(cat "$RUN_DIR/server-cmd.txt")"
provision_users callee caller
if [[ $ADMISSION == on ]]; then
  api_post /api/locations '{"name":"bench-loopback","cidrs":["127.0.0.0/8"],"bandwidthKbps":100000000}' >/dev/null
  api_post /api/locations '{"name":"bench-branch-1","cidrs":["198.51.100.0/25"],"bandwidthKbps":2048}' >/dev/null
  api_post /api/locations '{"name":"bench-branch-2","cidrs":["203.0.113.0/25"],"bandwidthKbps":4096}' >/dev/null
fi
heap_empty=$(heap_used_kb)
if ((USERS > 0)); then
  provision_users $(seq_names user "$USERS")
  registered=$(USERS=$USERS OUT=$RUN_DIR/registered "$RUN_DIR/harness/run-register.sh" "$TARGET" 1000 $((USERS / 1000)) |
    grep '^RESULT')
  [[ $(result_field "$registered" successful) == "$USERS" ]] || die "registering $USERS users failed: $registered"
  sleep 35                                 # their REGISTER transactions gone (Timer J: 32 s over UDP)
fi
heap_idle=$(heap_used_kb)

PAUSE_MS=$HOLD_PAUSE_MS OUT=$RUN_DIR/hold "$RUN_DIR/harness/run-calls.sh" "$TARGET" "$HOLD_RATE" "$HOLD_DURATION" \
  >"$RUN_DIR/hold.log" 2>&1 &
hold=$!
deadline=$((SECONDS + HOLD_DURATION + 10)); live=0
while ((SECONDS < deadline)); do
  live=$(api_get /api/calls | jq length)
  ((live < HOLD_CALLS)) || break
  sleep 0.5
done
heap_live=$(heap_used_kb)
mem_live=$("$SHARED_BENCH/mem.sh" "$TARGET")
wait "$hold" || true
hold_result=$(grep '^RESULT' "$RUN_DIR/hold.log" || echo "RESULT hold run failed: see $RUN_DIR/hold.log")
echo "$hold_result"
left=$(api_get /api/calls | jq length)
heap_after=$(heap_used_kb)

"$RUN_DIR/harness/find-max.sh" calls "$TARGET" "$DURATION" | tee "$RUN_DIR/find-max.log"
max_line=$(grep '^MAX' "$RUN_DIR/find-max.log")
max=$(result_field "$max_line" max_rate)
best=$(grep '^RESULT' "$RUN_DIR/find-max.log" | grep " rate=$max " | grep ' ok=1 ' | tail -1 || true)
left_after=$(api_get /api/calls | jq length)

cat <<EOF | tee "$RUN_DIR/summary.txt"

== our server, calls INVITE..BYE through the proxy, INVITE auth=$INVITE_AUTH, admission $ADMISSION, relay $RELAY, loopback, $(nproc) cores shared with SIPp ==
max sustained for ${DURATION} s, 1 s hold (0 failed, 0 retransmissions): $max calls/s (first failing step: $(per_step "$(result_field "$max_line" first_bad)"))
  at $max/s: setup INVITE -> 200 p50 $(result_field "$best" p50_ms) ms, p99 $(result_field "$best" p99_ms) ms, cpu_proxy $(result_field "$best" cpu_proxy), cpu_sipp_uac $(result_field "$best" cpu_sipp_uac), cpu_sipp_uas $(result_field "$best" cpu_sipp_uas)
heap in use after full GC: $(mb "$heap_empty") MB before the users, $(mb "$heap_idle") MB with $USERS users registered ($(awk -v a="$heap_empty" -v b="$heap_idle" -v n="$USERS" 'BEGIN { printf "%.1f", n ? (b - a) / 1024 / n * 1000 : 0 }') MB per 1,000), $(mb "$heap_live") MB with $live live calls (of $HOLD_CALLS held), $(mb "$heap_after") MB after they ended
  = $(awk -v a="$heap_idle" -v b="$heap_live" -v n="$live" 'BEGIN { printf "%.1f", n ? (b - a) / 1024 / n * 1000 : 0 }') MB per 1,000 live calls; process with them: $mem_live
live calls listed after the hold run: $left; after find-max: $left_after
reproduce: (cd $REPO && ./mvnw -DskipTests package && $REPRODUCE)
server: $(cat "$RUN_DIR/server-cmd.txt")
results: $RUN_DIR
EOF
