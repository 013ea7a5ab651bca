#!/bin/sh
# Smoke run against a running proxy: sipp-register-smoke HOST:PORT SCENARIO USERS_CSV
#   creates the users of USERS_CSV (SIPp injection file: user;password) through the admin REST API
#   at $API (an existing user is fine), then registers every one of them with SIPp's SCENARIO.
# Env: API (http://proxy:8080), SPRING_SECURITY_USER_NAME/PASSWORD (admin), SIP_DOMAIN (localhost).
# Exits with SIPp's exit code: 0 when every registration got its 200.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 HOST:PORT SCENARIO USERS_CSV" >&2; exit 2; }
TARGET=$1; SCENARIO=$2; USERS_CSV=$3
API=${API:-http://proxy:8080}
ADMIN="$SPRING_SECURITY_USER_NAME:$SPRING_SECURITY_USER_PASSWORD"

curl -fsS --retry 60 --retry-connrefused --retry-delay 2 -o /dev/null "$API/actuator/health"

tail -n +2 "$USERS_CSV" | while IFS=';' read -r user password; do
  status=$(curl -sS -o /dev/null -w '%{http_code}' -u "$ADMIN" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\"}" "$API/api/users")
  case $status in
    201|409) ;;
    *) echo "creating $user: HTTP $status" >&2; exit 1 ;;
  esac
done
count=$(tail -n +2 "$USERS_CSV" | grep -c .)

exec sipp "$TARGET" -sf "$SCENARIO" -inf "$USERS_CSV" -key domain "${SIP_DOMAIN:-localhost}" -key expires 3600 \
  -m "$count" -r 20 -nostdin -trace_err -timeout 60s -timeout_error
