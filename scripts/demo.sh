#!/usr/bin/env bash
# Demo: run examples/demo.yml from this checkout against the local SailPoint SIM emulator.
#
#   bash scripts/demo.sh
#
# Creates .venv in the repository (reused by later runs) with ansible-core 2.19 and the modules'
# Python dependencies, installs this checkout as the sailpoint.identitynow collection into
# .venv/collections, starts the emulator on a free loopback port, runs the playbook and stops
# the emulator again. Extra arguments are passed to ansible-playbook (e.g. -v, --check --diff).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"
PLAYBOOK="$ROOT/examples/demo.yml"
HARNESS="$ROOT/tests/emulator/harness.py"
STATE="$(mktemp -d "${TMPDIR:-/tmp}/identitynow-demo.XXXXXX")"
EMU_CONFIG="$STATE/emulator.yml"

cleanup() {
  if [ -f "$EMU_CONFIG" ]; then
    "$VENV/bin/python" "$HARNESS" down --config "$EMU_CONFIG" > /dev/null 2>&1 || true
    echo "demo: emulator stopped"
  fi
  rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n\033[1m== %s\033[0m\n' "$*" | if [ -t 1 ]; then cat; else sed 's/\x1b\[[0-9;]*m//g'; fi; }

for f in "$PLAYBOOK" "$HARNESS"; do
  [ -f "$f" ] || { echo "demo: ${f#"$ROOT"/} is missing in this checkout" >&2; exit 1; }
done

# 1. The virtualenv: made once, then reused; reinstalled only when .ci/demo.txt or requirements.txt change.
step "virtualenv $VENV"
REQS=("$ROOT/.ci/demo.txt" "$ROOT/requirements.txt")
STAMP="$(cat "${REQS[@]}" | cksum | cut -d' ' -f1)"
if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.demo-installed" 2>/dev/null)" = "$STAMP" ]; then
  echo "reusing it ($("$VENV/bin/ansible" --version | sed -n 1p))"
else
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "${REQS[0]}" -r "${REQS[1]}" 2>&1 \
    | { grep -v -e '^WARNING: Location' -e '^\[notice\]' || true; }
  echo "$STAMP" > "$VENV/.demo-installed"
  echo "installed $("$VENV/bin/ansible" --version | sed -n 1p)"
fi
export PATH="$VENV/bin:$PATH"

# 2. This checkout as a collection (built tarball, so the installed tree is what Galaxy would ship).
step "install the collection from $ROOT"
# Built from a copy without .venv, .git and test output: the build walks every file it is given.
mkdir -p "$STATE/src"
tar -C "$ROOT" --exclude=./.venv --exclude=./.git --exclude=./tests/output --exclude=./.ansible -cf - . | tar -C "$STATE/src" -xf -
ansible-galaxy collection build "$STATE/src" --output-path "$STATE" --force > "$STATE/build.log" 2>&1 \
  || { cat "$STATE/build.log"; exit 1; }
ansible-galaxy collection install --force -p "$VENV/collections" "$STATE"/*.tar.gz > "$STATE/install.log" 2>&1 \
  || { cat "$STATE/install.log"; exit 1; }
export ANSIBLE_COLLECTIONS_PATH="$VENV/collections"
ansible-galaxy collection list sailpoint.identitynow 2>/dev/null | tail -n 1

# 3. The emulator, on a free loopback port; it stops by itself after 15 minutes at the latest.
step "start the SIM emulator"
"$VENV/bin/python" "$HARNESS" up --no-strict --config "$EMU_CONFIG" --lifetime 900 \
  -- --client-id emulator-client --client-secret emulator-secret > "$STATE/emulator.log" 2>&1 \
  || { echo "demo: the emulator did not start:"; cat "$STATE/emulator.log"; exit 1; }
SAIL_BASE_URL="$("$VENV/bin/python" "$HARNESS" url --config "$EMU_CONFIG")"
export SAIL_BASE_URL SAIL_CLIENT_ID=emulator-client SAIL_CLIENT_SECRET=emulator-secret
echo "SAIL_BASE_URL=$SAIL_BASE_URL"

# 4. The playbook.
step "ansible-playbook examples/demo.yml"
[ -t 1 ] || export ANSIBLE_NOCOLOR=1
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
cd "$ROOT"
ansible-playbook "$PLAYBOOK" "$@"
