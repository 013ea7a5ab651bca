#!/usr/bin/env bash
# Overload benchmark of our server: offered call rates at 1x, 1.5x, 2x and 3x the highest sustainable rate.
#   ./mvnw -DskipTests package && MAX_RATE=1000 bench/overload.sh
# Starts sip-proxy/target/sip-proxy.jar as calls.sh does (AUTH=0: 127.0.0.1 trusted, Kamailio's caller, no INVITE
# challenge; admission on with loopback's location; RELAY=always (default) or never as in calls.sh), then for each factor runs the shared bench's run-calls.sh for
# DURATION s at MAX_RATE x factor with bench/scenarios/call-overload.xml (call.xml plus a branch that ACKs a 503 and
# ends the call). Prints, per step: offered and achieved rate, calls completed per second (200 + BYE), the share
# of calls refused with 503, failed calls (timeouts, unexpected messages), setup p50/p99 of completed calls and the
# p99 time to the 503.
# MAX_RATE: the highest sustainable rate from bench/calls.sh (AUTH=0); when unset, find-max runs first (which also
# warms the JVM up); when set, a WARMUP s run at half of it comes first and is not reported.
# Env: MAX_RATE= RELAY=always FACTORS="1 1.5 2 3" DURATION=20 GAP=15 WARMUP=30 SIP_PORT=15066 HTTP_PORT=18080 JAVA_OPTS="-XX:MaxTenuringThreshold=0 -Xms2g -Xmx2g -XX:+AlwaysPreTouch" JAR=...
set -euo pipefail
source "$(dirname "$0")/server-lib.sh"
bench_lock "$@"
REPRODUCE="$(env_of MAX_RATE RELAY FACTORS DURATION GAP WARMUP SIP_PORT HTTP_PORT RELAY_PORT_MIN RELAY_PORT_MAX JAVA_OPTS JAR SHARED_BENCH)bench/overload.sh"
FACTORS=${FACTORS:-1 1.5 2 3}; DURATION=${DURATION:-20}; GAP=${GAP:-15}
new_run_dir overload
make_harness "$RUN_DIR/harness"
rm "$RUN_DIR/harness/scenarios/call.xml"
cp "$REPO/bench/scenarios/call-overload.xml" "$RUN_DIR/harness/scenarios/call.xml"
trap server_stop EXIT
export AUTH=1 PASSWORD                    # the callee's REGISTER (run-calls.sh)
RELAY=$(relay_mode)
server_start --sip.trusted-peers=127.0.0.1/32 --relay.mode="$RELAY"
echo "server pid $SERVER_PID: $(cat "$RUN_DIR/server-cmd.txt")"
provision_users callee caller
api_post /api/locations '{"name":"bench-loopback","cidrs":["127.0.0.0/8"],"bandwidthKbps":100000000}' >/dev/null

# settle: wait until the previous step's calls are gone from the proxy
settle() {
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)) && [[ $(api_get /api/calls | jq length) != 0 ]]; do sleep 1; done
  sleep "$GAP"
}

if [[ -z ${MAX_RATE:-} ]]; then
  "$RUN_DIR/harness/find-max.sh" calls "$TARGET" "$DURATION" | tee "$RUN_DIR/find-max.log"
  MAX_RATE=$(result_field "$(grep '^MAX' "$RUN_DIR/find-max.log")" max_rate)
  ((MAX_RATE > 0)) || die "no sustainable rate found (MAX_RATE=$MAX_RATE)"
else
  # a cold JVM (interpreted code, compiler threads busy) would make the first step look overloaded
  OUT=$RUN_DIR/warmup "$RUN_DIR/harness/run-calls.sh" "$TARGET" $((MAX_RATE / 2)) "${WARMUP:-30}" >"$RUN_DIR/warmup.log" 2>&1 || true
fi
settle

printf '%-7s %8s %9s %11s %9s %8s %9s %9s %10s\n' factor offered achieved completed/s refused failed setup_p50 setup_p99 503_p99 | tee "$RUN_DIR/table.txt"
for f in $FACTORS; do
  rate=$(awk -v m="$MAX_RATE" -v f="$f" 'BEGIN { printf "%d", m * f }')
  out=$RUN_DIR/step-$rate
  line=$(OUT=$out "$RUN_DIR/harness/run-calls.sh" "$TARGET" "$rate" "$DURATION" 2>&1 | tee "$out.log" | grep '^RESULT' | tail -1) || true
  [[ -n $line ]] || { echo "step $rate: run failed, see $out.log"; settle; continue; }
  attempted=$(result_field "$line" attempted); successful=$(result_field "$line" successful)
  failed=$(result_field "$line" failed); achieved=$(result_field "$line" achieved)
  rtt=$(ls "$out"/*_rtt.csv.gz 2>/dev/null | head -1 || true)
  refused=0; r99=NA; s50=NA; s99=NA
  if [[ -n $rtt ]]; then
    zcat "$rtt" >"$out/rtt.csv"
    refused=$(awk -F';' '$3 == "refused"' "$out/rtt.csv" | wc -l)
    r99=$(rtt_pct "$out/rtt.csv" refused 99); s50=$(rtt_pct "$out/rtt.csv" setup 50); s99=$(rtt_pct "$out/rtt.csv" setup 99)
    rm "$out/rtt.csv"
  fi
  completed=$((successful - refused))
  # calls were created over attempted/achieved seconds; completed calls per second over that span
  cps=$(awk -v c="$completed" -v a="$attempted" -v r="$achieved" 'BEGIN { printf "%.0f", (a > 0 && r > 0) ? c / (a / r) : 0 }')
  share=$(awk -v x="$refused" -v a="$attempted" 'BEGIN { printf "%.1f%%", a ? 100 * x / a : 0 }')
  printf '%-7s %8s %9s %11s %9s %8s %9s %9s %10s\n' "${f}x" "$rate" "$achieved" "$cps" "$share" "$failed" "$s50" "$s99" "$r99" | tee -a "$RUN_DIR/table.txt"
  echo "$line" >>"$RUN_DIR/results.txt"
  settle
done

cat <<EOF | tee "$RUN_DIR/summary.txt"

== our server under overload: calls INVITE..BYE (1 s hold), no INVITE auth, admission on, relay $RELAY, loopback, $(nproc) cores shared with SIPp ==
MAX_RATE (highest sustainable) = $MAX_RATE calls/s; times in ms (SIPp, 1 ms granular)
$(cat "$RUN_DIR/table.txt")
live calls left at the end: $(api_get /api/calls | jq length)
reproduce: (cd $REPO && ./mvnw -DskipTests package && $REPRODUCE)
server: $(cat "$RUN_DIR/server-cmd.txt")
results: $RUN_DIR
EOF
