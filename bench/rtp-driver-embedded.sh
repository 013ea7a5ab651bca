#!/bin/bash
# RTP benchmark driver for media-relay's NettyMediaRelay on its own (no SIP app, no REST), for
# /work/shared/bench/rtp/run-relay-bench.sh. Measures the relay's packet path; the full app is driven
# by rtp-driver.sh. Needs `./mvnw -q -o -pl media-relay test-compile` first.
#   RELAY_IO_THREADS (default 1)  RELAY_JAVA_OPTS (default "-Xms256m -Xmx256m")
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pairs="${WORKDIR:-/tmp}/relay-pairs.txt"
cpfile=${RELAY_CP_FILE:-/tmp/media-relay-bench.classpath}
case "$1" in
max)   echo $(( (RTP_PORT_MAX - RTP_PORT_MIN + 1) / 4 )) ;;
start) [ -s "$cpfile" ] || (cd "$root" && ./mvnw -q -o -pl media-relay dependency:build-classpath \
                               -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >&2)
       exec java ${RELAY_JAVA_OPTS:--Xms256m -Xmx256m} \
            -cp "$root/media-relay/target/classes:$root/media-relay/target/test-classes:$(cat "$cpfile")" \
            io.sipserver.relay.bench.StandaloneRelayMain "$pairs" "$RTP_PORT_MIN" "$RTP_PORT_MAX" "$2" \
            "$GEN_A_BASE" "$GEN_A_COUNT" "$GEN_B_BASE" "$GEN_B_COUNT" "${RELAY_IO_THREADS:-1}" "$RELAY_MAX_S" ;;
up)    for _ in $(seq 600); do grep -q '^READY' "$RELAY_LOG" 2>/dev/null && break; sleep 0.1; done
       grep -q '^READY' "$RELAY_LOG" || { echo "relay not ready" >&2; exit 1; }
       head -n "$2" "$pairs" ;;
down)  : ;;
*)     echo "usage: $0 max|start N|up N|down N" >&2; exit 2 ;;
esac
