#!/bin/bash
# rtp-driver.sh against the relay and its REST controller running without the SIP application
# (media-relay's test-scope StandaloneRelayServer), to measure the relay before the app exists.
# Needs `./mvnw -q -o -pl media-relay test-compile` first.
#   RELAY_IO_THREADS (default 0, as relay.io-threads: one per core)   RELAY_JAVA_OPTS (default: fixed 256 MB heap, Netty leak detection off)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cpfile=${RELAY_CP_FILE:-/tmp/media-relay-bench.classpath}
if [ "$1" = start ] && ! [ "$cpfile" -nt "$root/media-relay/pom.xml" ]; then
    (cd "$root" && ./mvnw -q -o -pl media-relay dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$cpfile" >&2)
fi
export RELAY_URL=${RELAY_URL:-http://127.0.0.1:38088}
export RELAY_START="java ${RELAY_JAVA_OPTS:--Xms256m -Xmx256m -Dio.netty.leakDetection.level=disabled} \
 -cp $root/media-relay/target/classes:$root/media-relay/target/test-classes:$(cat "$cpfile" 2>/dev/null) \
 io.sipserver.relay.bench.StandaloneRelayServer"
exec "$here/rtp-driver.sh" "$@"
