#!/usr/bin/env bash
# Soak run of our server: calls at half the highest sustainable rate for 10 minutes while 10,000 registered users
# keep refreshing their bindings.
#   ./mvnw -DskipTests package && MAX_RATE=1000 bench/soak.sh
# 1. starts sip-proxy/target/sip-proxy.jar as calls.sh does (AUTH=1 default: every INVITE challenged),
#    provisions USERS users and registers each once (EXPIRES s), warms the call path up (WARMUP s of calls at
#    the soak rate, not counted: a cold JVM is slow enough for overload control to refuse calls), then measures
#    the heap after a full GC;
# 2. for DURATION s (default 600) runs, side by side, run-calls.sh at MAX_RATE/2 calls/s and run-register.sh at
#    REG_RATE REGISTER/s cycling over the users (each refreshed every USERS/REG_RATE s, before EXPIRES);
# 3. when both end and the calls are gone, measures the heap after a full GC again.
# Prints failed calls (must be 0), failed REGISTERs, and the heap at start and end (must not grow by more than 10 %).
# Bounded: SIPp stops itself (-m and -timeout); the server is stopped at the end.
# Env: MAX_RATE (required: the highest sustainable rate from bench/calls.sh with the same AUTH) AUTH=1
#      WARMUP=30 DURATION=600 USERS=10000 REG_RATE=100 EXPIRES=120 SIP_PORT=15066 HTTP_PORT=18080 JAVA_OPTS="-XX:MaxTenuringThreshold=0 -Xms2g -Xmx2g -XX:+AlwaysPreTouch" JAR=...
set -euo pipefail
source "$(dirname "$0")/server-lib.sh"
bench_lock "$@"
REPRODUCE="$(env_of MAX_RATE AUTH WARMUP DURATION USERS REG_RATE EXPIRES SIP_PORT HTTP_PORT JAVA_OPTS JAR SHARED_BENCH)bench/soak.sh"
[[ -n ${MAX_RATE:-} ]] || die "set MAX_RATE to the highest sustainable call rate (bench/calls.sh)"
INVITE_AUTH=${AUTH:-1}; DURATION=${DURATION:-600}; USERS=${USERS:-10000}; REG_RATE=${REG_RATE:-100}; EXPIRES=${EXPIRES:-120}
CALL_RATE=$((MAX_RATE / 2))
((USERS / REG_RATE < EXPIRES)) || die "USERS/REG_RATE ($((USERS / REG_RATE)) s between refreshes) must be below EXPIRES ($EXPIRES)"
new_run_dir soak
make_harness "$RUN_DIR/harness"
call_auth "$INVITE_AUTH"
trap server_stop EXIT
export AUTH=1 PASSWORD USERS EXPIRES       # REGISTERs (callee's and the users') are authenticated
server_start --sip.trusted-peers="$trusted"
echo "server pid $SERVER_PID: $(cat "$RUN_DIR/server-cmd.txt")"
provision_users callee caller $(seq_names user "$USERS")
api_post /api/locations '{"name":"bench-loopback","cidrs":["127.0.0.0/8"],"bandwidthKbps":100000000}' >/dev/null
fill=$(OUT=$RUN_DIR/fill "$RUN_DIR/harness/run-register.sh" "$TARGET" 500 $((USERS / 500)) | grep '^RESULT')
echo "$fill"
OUT=$RUN_DIR/warmup "$RUN_DIR/harness/run-calls.sh" "$TARGET" "$CALL_RATE" "${WARMUP:-30}" >"$RUN_DIR/warmup.log" 2>&1 || true
echo "warm-up: $(grep '^RESULT' "$RUN_DIR/warmup.log" | cut -d' ' -f4-12)"
sleep 10                                   # transactions of the fill and the warm-up gone
heap_start=$(heap_used_kb)
bindings_start=$(api_get /api/registrations | jq length)
echo "start: $bindings_start AORs bound, heap after full GC $(mb "$heap_start") MB; soaking for $DURATION s"

OUT=$RUN_DIR/calls "$RUN_DIR/harness/run-calls.sh" "$TARGET" "$CALL_RATE" "$DURATION" >"$RUN_DIR/calls.log" 2>&1 &
calls=$!
sleep 2                                    # run-calls.sh registers the callee from port 15070 first
OUT=$RUN_DIR/registers "$RUN_DIR/harness/run-register.sh" "$TARGET" "$REG_RATE" "$DURATION" >"$RUN_DIR/registers.log" 2>&1 &
registers=$!
wait "$calls" || true
wait "$registers" || true
calls_line=$(grep '^RESULT' "$RUN_DIR/calls.log" || echo "RESULT calls run failed: see $RUN_DIR/calls.log")
reg_line=$(grep '^RESULT' "$RUN_DIR/registers.log" || echo "RESULT register run failed: see $RUN_DIR/registers.log")
deadline=$((SECONDS + 60))
while ((SECONDS < deadline)) && [[ $(api_get /api/calls | jq length) != 0 ]]; do sleep 1; done
sleep 10
heap_end=$(heap_used_kb)
left=$(api_get /api/calls | jq length)
bindings_end=$(api_get /api/registrations | jq length)
failed=$(( $(result_field "$calls_line" failed) + $(result_field "$calls_line" uas_failed) ))

cat <<EOF | tee "$RUN_DIR/summary.txt"

== our server, soak: $DURATION s of calls at $CALL_RATE/s (half of $MAX_RATE; INVITE auth=$INVITE_AUTH) with $USERS users refreshing at $REG_RATE REGISTER/s ==
calls: attempted $(result_field "$calls_line" attempted), successful $(result_field "$calls_line" successful), failed $failed (caller + callee), retransmissions $(result_field "$calls_line" retrans), setup p50 $(result_field "$calls_line" p50_ms) ms p99 $(result_field "$calls_line" p99_ms) ms
REGISTERs: attempted $(result_field "$reg_line" attempted), successful $(result_field "$reg_line" successful), failed $(result_field "$reg_line" failed)
heap in use after full GC: start $(mb "$heap_start") MB ($bindings_start AORs), end $(mb "$heap_end") MB ($bindings_end AORs, $left live calls): $(awk -v a="$heap_start" -v b="$heap_end" 'BEGIN { printf "%+.1f%%", (b - a) * 100 / a }')
verdict: $( ((failed == 0)) && awk -v a="$heap_start" -v b="$heap_end" 'BEGIN { exit !(b <= a * 1.10) }' && echo PASS || echo FAIL) (0 failed calls, heap growth at most 10 %)
reproduce: (cd $REPO && ./mvnw -DskipTests package && $REPRODUCE)
server: $(cat "$RUN_DIR/server-cmd.txt")
results: $RUN_DIR
EOF
