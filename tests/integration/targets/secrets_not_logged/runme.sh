#!/usr/bin/env bash
# Runs every module, SIM and Service Desk (and the servicenow_sim role when present), at -vvv with --diff, in check mode and for
# real, with distinctive secrets, and fails if any of them appears anywhere in the output.
set -eu

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# ansible-test runs a copy of this target from tests/output/.tmp/integration/, so the collection root is found
# by walking up to the folder that holds the emulator rather than by a fixed relative path.
ROOT="$HERE"
while [ "$ROOT" != / ] && [ ! -f "$ROOT/tests/emulator/harness.py" ]; do ROOT="$(dirname "$ROOT")"; done
[ -f "$ROOT/tests/emulator/harness.py" ] || { echo "cannot find tests/emulator/harness.py above $HERE"; exit 1; }
PY="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
HARNESS=("$PY" "$ROOT/tests/emulator/harness.py")
WORK="$(mktemp -d)"
cleanup() { "${HARNESS[@]}" down --config "$WORK/emulator.yml" > /dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

CLIENT_SECRET="CliSecret-Q7v9-$RANDOM$RANDOM"
PASSWORD="SnowPass-K3x8-$RANDOM$RANDOM"
NEW_PASSWORD="SnowPass-Rotated-Z5m2-$RANDOM$RANDOM"
NESTED_SECRET="Nested-ApiKey-W4p6-$RANDOM$RANDOM"

# Its own emulator: other client credentials, and secrets returned on read, so that a leak has something to leak.
"${HARNESS[@]}" up --no-strict --config "$WORK/emulator.yml" --lifetime 600 \
  -- --client-id secret-test-client --client-secret "$CLIENT_SECRET" --return-secrets > "$WORK/emulator.log" 2>&1 \
  || { echo "the emulator did not start ($PY):"; cat "$WORK/emulator.log"; exit 1; }
URL="$("${HARNESS[@]}" url --config "$WORK/emulator.yml")"

# Tokens of this emulator all start with the same JWT header; finding it in the output means a token leaked.
TOKEN_PREFIX="$("$PY" -c 'import base64, json; print(base64.urlsafe_b64encode(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "emulator"}).encode()).decode().rstrip("="))')"
GIVEN_TOKEN="$("$PY" - "$URL" "$CLIENT_SECRET" <<'PY'
import json, sys, urllib.parse, urllib.request
data = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": "secret-test-client", "client_secret": sys.argv[2]}).encode()
print(json.load(urllib.request.urlopen(sys.argv[1] + "/oauth/token", data=data))["access_token"])
PY
)"

ROLE_PRESENT=false
if [ -z "${SECRETS_TEST_SKIP_ROLE:-}" ] && [ -d "$ROOT/roles/servicenow_sim" ]; then ROLE_PRESENT=true; fi

cat > "$WORK/vars.yml" <<VARS
sim_url: "$URL"
sim_client_secret: "$CLIENT_SECRET"
sim_password: "$PASSWORD"
sim_new_password: "$NEW_PASSWORD"
sim_nested_secret: "$NESTED_SECRET"
sim_given_token: "$GIVEN_TOKEN"
sim_role_present: $ROLE_PRESENT
VARS

export ANSIBLE_ROLES_PATH="$ROOT/roles${ANSIBLE_ROLES_PATH:+:$ANSIBLE_ROLES_PATH}"
run() { ansible-playbook -vvv --diff "$HERE/playbook.yml" -e "@$WORK/vars.yml" "$@" >> "$WORK/out.log" 2>&1 || echo "ansible-playbook $* failed" >> "$WORK/out.log"; }
run --check
run
run   # the second real run: no change expected, and still nothing printed
# The same as module processes (a play environment makes the action plugins hand over to the modules).
run --check -e '{"sim_env": {"SAIL_TIMEOUT": "30"}}'
run -e '{"sim_env": {"SAIL_TIMEOUT": "30"}}'

check() {  # check FILE: fails if a secret is in FILE
  local leaked=0 s
  for s in "$CLIENT_SECRET" "$PASSWORD" "$NEW_PASSWORD" "$NESTED_SECRET" "$GIVEN_TOKEN" "$TOKEN_PREFIX"; do
    if grep -qF -- "$s" "$1"; then echo "LEAK: a secret starting with ${s:0:6} appears in $1:"; grep -nF -- "$s" "$1" | head -5 | cut -c1-200; leaked=1; fi
  done
  return $leaked
}

# The check must be able to fail: a canary printed on purpose has to be caught.
echo "canary $PASSWORD" > "$WORK/canary.log"
if check "$WORK/canary.log" > /dev/null; then echo "the leak check did not catch a planted secret"; exit 1; fi

grep -q "PLAY RECAP" "$WORK/out.log" || { cat "$WORK/out.log"; exit 1; }
# The Service Desk tasks ran in each of the five passes (a play that stopped early would leak nothing and pass).
[ "$(grep -c "TASK \[Service Desk - rotate" "$WORK/out.log")" -eq 5 ] || { echo "the Service Desk tasks did not run five times"; exit 1; }
if grep -E "failed=[1-9]|ansible-playbook .*failed$" "$WORK/out.log"; then grep -B2 -A10 "^fatal" "$WORK/out.log" | grep -v ignoring | head -60; exit 1; fi
check "$WORK/out.log"
echo "no secret in $(wc -l < "$WORK/out.log") lines of -vvv --diff output (check mode, real run, re-run; on the controller and as module processes)"
