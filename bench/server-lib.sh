# Helpers for register.sh and calls.sh (source it, don't run it): our server on loopback, its users,
# its heap, and a harness directory through which the load scripts of ../shared/bench run.
# Needs jcmd, curl, jq, sipp, flock.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED_BENCH=$(cd "${SHARED_BENCH:-$REPO/../shared/bench}" 2>/dev/null && pwd) ||
  { echo "error: no shared bench at ${SHARED_BENCH:-$REPO/../shared/bench} (set SHARED_BENCH)" >&2; exit 2; }
source "$SHARED_BENCH/lib.sh"

SCENARIOS=$REPO/sip-proxy/src/test/resources/sipp
JAR=${JAR:-$REPO/sip-proxy/target/sip-proxy.jar}
SIP_PORT=${SIP_PORT:-15066}; HTTP_PORT=${HTTP_PORT:-18080}
TARGET=127.0.0.1:$SIP_PORT
API=http://127.0.0.1:$HTTP_PORT
PASSWORD=${PASSWORD:-bench-secret}
READY_TIMEOUT_S=${READY_TIMEOUT_S:-120}
SERVER_PID=""

# new_run_dir KIND -> RUN_DIR=bench/results/KIND-<time> (gitignored)
new_run_dir() {
  RUN_DIR=$REPO/bench/results/$1-$(date +%Y%m%d-%H%M%S)
  mkdir -p "$RUN_DIR"
}

# make_harness DIR: DIR gets a link to every script of ../shared/bench and to each of its scenarios, so
# those scripts run unchanged but find one another, lib.sh and their scenarios in DIR, and write their
# results under DIR/results. A caller may then replace a scenario in DIR/scenarios.
make_harness() {
  local dir=$1 f
  mkdir -p "$dir/results" "$dir/scenarios"
  for f in "$SHARED_BENCH"/*; do [[ ${f##*/} == results || ${f##*/} == scenarios ]] || ln -s "$f" "$dir/"; done
  for f in "$SHARED_BENCH"/scenarios/*; do ln -s "$f" "$dir/scenarios/"; done
}

# server_start [--key=value ...]: our jar on 127.0.0.1 (SIP_PORT udp+tcp, HTTP_PORT), a fresh H2 file in
# RUN_DIR, a generated admin password; returns once /actuator/health says UP. SERVER_PID is set.
server_start() {
  [[ -f $JAR ]] || die "no $JAR: run ./mvnw -DskipTests package first"
  [[ -z $(port_pids "$SIP_PORT") ]] || die "udp port $SIP_PORT is taken (pids $(port_pids "$SIP_PORT"))"
  ADMIN=admin:$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  # JAVA_OPTS unset: the JVM options README's start command uses; set (even empty) to replace them.
  # Relay ports: 4 per live call (two RTP/RTCP pairs), so 16,000 ports carry 4,000 live calls (with a 1 s hold,
  # about 3,500 calls/s); 10,000 ran out at 2,250 calls/s (503 "no relay ports left"). Each bound port is a file
  # descriptor: keep RELAY_PORT_MAX - RELAY_PORT_MIN well below `ulimit -n` (20,000 on the bench box).
  SERVER_CMD=(java ${JAVA_OPTS--XX:MaxTenuringThreshold=0 -Xms2g -Xmx2g -XX:+AlwaysPreTouch} -jar "$JAR" --sip.host=127.0.0.1 --sip.port="$SIP_PORT"
    --server.address=127.0.0.1 --server.port="$HTTP_PORT"
    --spring.datasource.url="jdbc:h2:file:$RUN_DIR/data/sipserver;WRITE_DELAY=0"
    --relay.host=127.0.0.1 --relay.port-min="${RELAY_PORT_MIN:-20000}" --relay.port-max="${RELAY_PORT_MAX:-35999}" --logging.level.root=warn "$@")
  echo "${SERVER_CMD[*]}" >"$RUN_DIR/server-cmd.txt"
  # the password goes through the environment, not the command line that ps shows
  SPRING_SECURITY_USER_NAME=${ADMIN%%:*} SPRING_SECURITY_USER_PASSWORD=${ADMIN#*:} \
    "${SERVER_CMD[@]}" >"$RUN_DIR/server.log" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until curl -fs -o /dev/null "$API/actuator/health"; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "server exited during start-up (see $RUN_DIR/server.log)"
    ((SECONDS < deadline)) || die "server not healthy after ${READY_TIMEOUT_S}s (see $RUN_DIR/server.log)"
    sleep 0.5
  done
}

# relay_mode -> RELAY (always, the default: every call's media anchored at the relay; never: signalling only, as
# Kamailio without rtpengine is measured), for server_start --relay.mode
relay_mode() {
  local mode=${RELAY:-always}
  [[ $mode == always || $mode == never ]] || die "RELAY must be always or never"
  echo "$mode"
}

# server_stop: TERM (graceful shutdown), KILL after 30 s. For trap EXIT.
server_stop() {
  [[ -n $SERVER_PID ]] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# api_get PATH -> JSON body (admin credentials)
api_get() {
  curl -fsS -u "$ADMIN" "$API$1"
}

# api_post PATH JSON -> JSON body (admin credentials); fails unless the server answers 2xx
api_post() {
  curl -fsS -u "$ADMIN" -H 'Content-Type: application/json' -d "$2" "$API$1"
}

# provision_users NAME... : creates each user with PASSWORD through POST /api/users, 8 connections
# in parallel (each a keep-alive curl over its share of the users); dies unless every answer is 201.
provision_users() {
  local dir=$RUN_DIR/provision i=0 u f created
  mkdir -p "$dir"; rm -f "$dir"/chunk-*
  for u in "$@"; do
    { ((i < 8)) || echo next                 # "next" separates the transfers of one curl
      printf 'url = "%s/api/users"\nuser = "%s"\nheader = "Content-Type: application/json"\ndata = "{\\"username\\":\\"%s\\",\\"password\\":\\"%s\\"}"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
        "$API" "$ADMIN" "$u" "$PASSWORD"; } >>"$dir/chunk-$((i % 8))"
    i=$((i + 1))
  done
  local -a curls=()
  for f in "$dir"/chunk-*; do curl -sS -K "$f" >"$f.codes" 2>&1 & curls+=($!); done
  wait "${curls[@]}" || true                 # (not a bare wait: the server is a child too)
  created=$(cat "$dir"/chunk-*.codes | grep -c '^201$' || true)
  rm -f "$dir"/chunk-?                       # they hold the admin password
  ((created == $#)) || die "created $created of $# users (answers in $dir/chunk-*.codes)"
}

# call_auth 1|0: with 1, the harness's caller answers every INVITE challenge (407) as user "caller" and no peer is
# trusted; with 0, the caller is Kamailio's (no credentials) and 127.0.0.1 is trusted. Sets $trusted for
# server_start --sip.trusted-peers.
call_auth() {
  if [[ $1 == 1 ]]; then
    trusted=""
    # run-calls.sh passes no injection file, so the caller's credentials are written into the scenario
    rm "$RUN_DIR/harness/scenarios/call.xml"
    sed -e 's/\[field0\]/caller/g' -e "s/\[field1\]/$PASSWORD/g" "$SCENARIOS/call-auth.xml" >"$RUN_DIR/harness/scenarios/call.xml"
  else
    trusted=127.0.0.1/32
  fi
}

# seq_names PREFIX COUNT -> PREFIX0 .. PREFIX<COUNT-1>
seq_names() {
  local i
  for ((i = 0; i < $2; i++)); do echo "$1$i"; done
}

# heap_used_kb: heap in use right after a full GC (jcmd GC.run), i.e. the live data, in KB.
heap_used_kb() {
  jcmd "$SERVER_PID" GC.run >/dev/null
  jcmd "$SERVER_PID" GC.heap_info | awk '/heap/ && /used/ { for (i = 1; i < NF; i++) if ($i == "used") { print $(i + 1) + 0; exit } }'
}

# env_of VAR... -> "VAR=value ..." for those the caller put in the environment (for the reproduce line)
env_of() {
  local v val out=""
  for v in "$@"; do if val=$(printenv "$v"); then out+="$v=${val@Q} "; fi; done
  echo "$out"
}

# per_step VALUE -> "none" or "VALUE/s"
per_step() { [[ $1 == none ]] && echo none || echo "$1/s"; }

# mb KB -> "12.3"
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# result_field LINE NAME -> value of NAME=... in a RESULT/MAX line
result_field() { tr ' ' '\n' <<<"$1" | awk -F= -v n="$2" '$1 == n { print $2; exit }'; }
