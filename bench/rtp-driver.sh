#!/bin/bash
# RTP relay benchmark driver for our relay, set up over its REST API (POST/DELETE /api/relay/sessions),
# for /work/shared/bench/rtp/run-relay-bench.sh (see its README: max | start N | up N | down N).
#
#   cd /work/shared/bench/rtp && ./run-relay-bench.sh -r 3 -s "400 800 1200" rtpengine floor /work/main/bench/rtp-driver.sh
#
# Environment:
#   RELAY_URL       base URL of the app (default http://127.0.0.1:8080); `start` serves HTTP on its port
#   RELAY_USER      HTTP Basic user (default admin)      RELAY_PASSWORD  its password (default bench-admin-pw)
#   RELAY_JAR       the app (default <repo>/sip-proxy/target/sip-proxy.jar)
#   RELAY_JAVA_OPTS JVM options for `start` (default: fixed 512 MB heap, Netty leak detection off)
#   RELAY_START     a command that replaces `java -jar $RELAY_JAR ...` (rtp-driver-embedded.sh uses it)
#   RELAY_PID       set by you for a relay started elsewhere: the harness then skips `start`
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
url=${RELAY_URL:-http://127.0.0.1:8080}
user=${RELAY_USER:-admin}
password=${RELAY_PASSWORD:-bench-admin-pw}
export RELAY_URL=$url RELAY_USER=$user RELAY_PASSWORD=$password
http_port=${url##*:}; http_port=${http_port%%/*}

# One python3 process for all requests: N curl + JSON-parser processes would take longer than the test.
api() { # mode count|ids-file
    python3 - "$@" <<'PY'
import base64, json, os, sys, time, urllib.error, urllib.request
mode, arg = sys.argv[1], sys.argv[2]
api = os.environ["RELAY_URL"].rstrip("/") + "/api/relay/sessions"
auth = "Basic " + base64.b64encode((os.environ["RELAY_USER"] + ":" + os.environ["RELAY_PASSWORD"]).encode()).decode()
def call(method, url, body=None):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": auth, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r) if r.status == 201 else None
if mode == "wait":                       # until the API answers (the app takes a while to start)
    deadline = time.time() + float(arg)
    while True:
        try:
            call("GET", api); break
        except (urllib.error.URLError, ConnectionError) as e:
            if time.time() > deadline: sys.exit("relay API not ready at %s: %s" % (api, e))
            time.sleep(0.2)
elif mode == "up":
    n = int(arg)
    a_base, a_count = int(os.environ["GEN_A_BASE"]), int(os.environ["GEN_A_COUNT"])
    b_base, b_count = int(os.environ["GEN_B_BASE"]), int(os.environ["GEN_B_COUNT"])
    with open(os.path.join(os.environ["WORKDIR"], "relay-session-ids"), "w") as ids:
        for i in range(n):
            a, b = a_base + i % a_count, b_base + i % b_count
            r = call("POST", api, {"callId": "bench-%d" % i, "aPeer": "127.0.0.1:%d" % a, "bPeer": "127.0.0.1:%d" % b})
            print(r["id"], file=ids)
            print("PAIR", a, r["a"]["port"], b, r["b"]["port"], flush=True)
elif mode == "down":
    with open(os.path.join(os.environ["WORKDIR"], "relay-session-ids")) as ids:
        for line in ids:
            try:
                call("DELETE", api + "/" + line.strip())
            except urllib.error.HTTPError as e:
                print("DELETE %s: %s" % (line.strip(), e), file=sys.stderr)
PY
}

case "$1" in
max)   echo $(( (RTP_PORT_MAX - RTP_PORT_MIN + 1) / 4 )) ;;   # 4 ports per session: RTP+RTCP per side
start) if [ -n "${RELAY_START:-}" ]; then exec bash -c "exec $RELAY_START"; fi
       exec java ${RELAY_JAVA_OPTS:--Xms512m -Xmx512m -Dio.netty.leakDetection.level=disabled} -jar "${RELAY_JAR:-$root/sip-proxy/target/sip-proxy.jar}" \
            --server.port="$http_port" --sip.host=127.0.0.1 --sip.port="${SIP_PORT:-35090}" \
            --spring.datasource.url="jdbc:h2:mem:relaybench" \
            --spring.security.user.name="$user" --spring.security.user.password="$password" \
            --relay.host=127.0.0.1 --relay.advertised-address=127.0.0.1 \
            --relay.port-min="$RTP_PORT_MIN" --relay.port-max="$RTP_PORT_MAX" ;;
up)    if [ "$2" -eq 0 ]; then api wait 60; else api up "$2"; fi ;;
down)  api down "$2" ;;
*)     echo "usage: $0 max|start N|up N|down N" >&2; exit 2 ;;
esac
