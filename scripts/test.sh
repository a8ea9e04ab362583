#!/usr/bin/env bash
# The whole test suite of the sailpoint.identitynow collection. CI runs the same thing (.ci/run).
#
#   bash scripts/test.sh                 # everything, from scratch, in a temporary work dir
#   CI_STEPS='2.19' bash scripts/test.sh # only the steps whose name matches this regex (setup always runs)
#   CI_HOME=~/.cache/identitynow-ci bash scripts/test.sh   # keep ansible-test's venvs and pip's cache between runs
#   KEEP_WORK=1 bash scripts/test.sh     # keep the work dir (venvs, collection copies, logs)
#
# Everything is installed from PyPI into the work dir: nothing outside it is changed, except
# that shellcheck is apt-installed when missing and running as root (for ansible-test's shellcheck
# sanity test), and that the step logs are copied to tests/output/ci-logs/ of the checkout.
#
# ansible-test needs the collection at a physical .../ansible_collections/NS/NAME path, so the
# checkout (with .git: ansible-test and ansible-lint list files with git) is copied there, once per
# ansible-core version. Each step prints its result and time; the last line is `ci: N passed, N failed`.
set -uo pipefail

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
NS=$(sed -n 's/^namespace:[[:space:]]*//p' "$SRC/galaxy.yml" | tr -d "\"' \r")
NAME=$(sed -n 's/^name:[[:space:]]*//p' "$SRC/galaxy.yml" | tr -d "\"' \r")
PYENV_ROOT="${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}"
COV_MIN="${COV_MIN:-90}"                  # minimum total line coverage of plugins/ (percent)
STEP_TIMEOUT="${STEP_TIMEOUT:-1500}"      # seconds for one long command (no step may hang CI)
BUDGET="${CI_BUDGET:-4500}"               # seconds for the whole run (CI stops a run at 5400 s)
ONLY="${CI_STEPS:-}"
WORK="${CI_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/identitynow-ci.XXXXXX")}"
LOGS="$WORK/logs"
mkdir -p "$LOGS"
# ansible-test keeps per-test venvs in ~/.ansible/test/venv and pip caches in ~/.cache: a HOME in the
# work dir makes every run cold, as on a fresh CI machine, and leaves the real HOME alone.
export HOME="${CI_HOME:-$WORK/home}"
mkdir -p "$HOME"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
export PY_COLORS=0 NO_COLOR=1

V219="$WORK/venv-2.19"; V221="$WORK/venv-2.21"; VEMU="$WORK/venv-emulator"; VIMP="$WORK/venv-importer"
VAWX="$WORK/venv-awx"
C219="$WORK/c2.19"; C221="$WORK/c2.21"          # each holds ansible_collections/NS/NAME
CX="$WORK/c-other"                              # the same, for the steps that do not use ansible-test
PYBIN="$WORK/pybin"
BASE_PATH="$PYBIN:$PATH"

exec 3>&1                     # steps log to files; say() writes to the console
say() { printf '    %s\n' "$*" >&3; }
quiet_pip() { grep -v -e '^WARNING: Location' -e '^\[notice\]' || true; }
t() {  # t CMD...: CMD with a timeout (STEP_TIMEOUT, or what is left of the budget if less)
  local left=$((BUDGET - SECONDS)); [ "$left" -lt "$STEP_TIMEOUT" ] || left=$STEP_TIMEOUT
  [ "$left" -gt 10 ] || left=10
  timeout -k 30 "$left" "$@"
}

kill_tree() {  # kill_tree PID: the process and all its descendants
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$c"; done
  kill "$1" 2>/dev/null || true
}

cleanup() {
  local p
  for p in $(jobs -p); do kill_tree "$p"; done
  if [ -d "$LOGS" ]; then
    mkdir -p "$SRC/tests/output/ci-logs" 2>/dev/null && cp "$LOGS"/*.log "$SRC/tests/output/ci-logs/" 2>/dev/null
  fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap 'cleanup >/dev/null 2>&1; exit 130' INT TERM

RESULTS="$LOGS/results"            # one line per step: NAME ok|FAILED SECONDS
: > "$RESULTS"
run_step() {  # run_step NAME FUNCTION [ARGS]: runs FUNCTION in a subshell with set -e, output to a log
  local name="$1" fn="$2" rc t0=$SECONDS log="$LOGS/$1.log" dt; shift 2
  if [ -n "$ONLY" ] && [ "$name" != setup ] && ! [[ "$name" =~ $ONLY ]]; then return 0; fi
  printf '\n=== %s\n' "$name"
  if [ "$SECONDS" -ge "$BUDGET" ]; then
    echo "$name FAILED 0" >> "${CHAIN_RESULTS:-$RESULTS}"
    echo "=== $name: FAILED (not run: the time budget of ${BUDGET}s is used up)"; return 0
  fi
  ( set -e; "$fn" "$@" ) > "$log" 2>&1 < /dev/null
  rc=$?; dt=$((SECONDS - t0))
  if [ "$rc" -eq 0 ]; then
    echo "$name ok $dt" >> "${CHAIN_RESULTS:-$RESULTS}"
    echo "=== $name: ok (${dt}s)"
  else
    echo "$name FAILED $dt" >> "${CHAIN_RESULTS:-$RESULTS}"
    local errs n=40
    if [ -s "$log.digest" ]; then errs=$(cat "$log.digest"); else errs=$(grep -E '^(ERROR|FATAL)|^E  |FAILED|[Ee]rror:|Traceback' "$log" | grep -v '^ERROR: Location' \
           | cut -c1-400 | awk '!seen[$0]++' | head -n 100); fi
    if [ -n "$errs" ]; then echo "--- error lines of $name:"; echo "$errs"; n=12; fi
    echo "--- last $n lines of $name ($log):"; tail -n "$n" "$log"
    echo "=== $name: FAILED rc=$rc (${dt}s)"
  fi
}

ALL_STEPS="2.19-ansible-lint 2.19-changelog-lint 2.19-sanity 2.19-units 2.19-integration 2.21-sanity 2.21-units
  2.21-integration emulator-tests awx-runner galaxy-importer docs-lint ansible-builder"
wanted() {  # wanted PREFIX: true when a step whose name starts with PREFIX is selected by CI_STEPS
  local n
  [ -z "$ONLY" ] && return 0
  for n in $ALL_STEPS; do
    if [[ "$n" == "$1"* ]] && [[ "$n" =~ $ONLY ]]; then return 0; fi
  done
  return 1
}

need() {  # need VENV: fail the step when a venv that setup should have made is missing
  [ -f "$1/.installed" ] || { say "needs $(basename "$1"), which setup did not install"; return 1; }
}

# A real interpreter for pythonX.Y: pyenv's builds first, then the system ones. Never a pyenv shim
# (the shim of a version that is not selected exits 127, which ansible-test counts as a failure).
find_python() {
  local v="$1" p
  local candidates=()
  for p in "$PYENV_ROOT"/versions/"$v".*/bin/python"$v"; do candidates=("$p" "${candidates[@]}"); done
  for p in "${candidates[@]}" /usr/local/bin/python"$v" /usr/bin/python"$v"; do
    if [ -x "$p" ] && "$p" -c 'import ensurepip, venv' >/dev/null 2>&1; then echo "$p"; return 0; fi
  done
  return 1
}

UV=""
get_uv() {  # uv (from PyPI) resolves and installs several times faster than pip; pip stays the fallback
  [ "${CI_NO_UV:-0}" = 1 ] && return 0
  local py="$1"
  if "$py" -m venv "$WORK/uv" && "$WORK/uv/bin/python" -m pip install -q uv 2>&1 | quiet_pip \
     && "$WORK/uv/bin/uv" --version; then
    UV="$WORK/uv/bin/uv"
  else
    echo "uv could not be installed: using pip"
  fi
}

make_venv() {  # make_venv DIR PYTHON REQ-FILE...: a venv with the requirements, marked .installed when done
  local dir="$1" py="$2" args=() f t0=$SECONDS rc; shift 2
  for f in "$@"; do args+=(-r "$f"); done
  rm -rf "$dir"
  if [ -n "$UV" ]; then
    # The system CA store (native TLS), as pip uses it; byte-compiled like pip does.
    "$UV" venv -q --seed -p "$py" "$dir" && \
      UV_NATIVE_TLS=1 UV_COMPILE_BYTECODE=1 "$UV" pip install -q --python "$dir/bin/python" "${args[@]}"
    rc=$?
  else
    "$py" -m venv "$dir" && "$dir/bin/python" -m pip install -q "${args[@]}" 2>&1 | quiet_pip
    rc=${PIPESTATUS[0]}
  fi
  [ "$rc" -eq 0 ] && touch "$dir/.installed"
  echo "$((SECONDS - t0))" > "$dir.seconds"
}

copy_collection() {  # copy_collection DEST-ROOT: the checkout (with .git) into DEST-ROOT/ansible_collections/NS/NAME
  local dest="$1/ansible_collections/$NS/$NAME"
  rm -rf "$1"; mkdir -p "$dest"
  tar -C "$SRC" --exclude=./.venv --exclude=./tests/output --exclude=./.ansible --exclude=./.pytest_cache \
      --exclude=./tests/integration/integration_config.yml -cf - . | tar -C "$dest" -xf -
}

seed_get_pip() {  # ansible-test downloads get-pip.py from an unreachable host: give it an offline one
  local v
  v=$("$1/bin/python" - <<'PY'
import os, re, ansible_test
src = open(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')).read()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
  mkdir -p "$HOME/.ansible/test/cache"
  cp "$SRC/.ci/get_pip_offline.py" "$HOME/.ansible/test/cache/get_pip_${v//./_}.py"
}

# ---------------------------------------------------------------------------------------------- setup
setup() {
  local py311 py312 pids=() names=() i rc=0 t0
  py311=$(find_python 3.11 || find_python 3.12 || find_python 3.13) || { say "no Python 3.11-3.13 found"; return 1; }
  py312=$(find_python 3.12 || find_python 3.13) || py312=""
  say "controller pythons: 2.19 -> $py311; 2.21 -> ${py312:-none found}"
  mkdir -p "$PYBIN"
  local v p found=()
  for v in 3.8 3.9 3.10 3.11 3.12 3.13 3.14; do
    if p=$(find_python "$v"); then ln -sf "$p" "$PYBIN/python$v"; found+=("$v"); fi
  done
  say "pythons for ansible-test: ${found[*]}"

  t0=$SECONDS
  get_uv "$py311" > "$LOGS/uv.log" 2>&1
  [ -n "$UV" ] && say "installing with $("$UV" --version)"
  make_venv "$V219" "$py311" "$SRC/.ci/core-2.19.txt" > "$LOGS/venv-2.19.log" 2>&1 &
  pids+=($!); names+=(venv-2.19)
  if [ -z "$py312" ]; then
    say "no Python 3.12/3.13: the ansible-core 2.21 steps will fail"
  elif wanted 2.21-; then
    make_venv "$V221" "$py312" "$SRC/.ci/core-2.21.txt" > "$LOGS/venv-2.21.log" 2>&1 &
    pids+=($!); names+=(venv-2.21)
  fi
  local emu_req=("$SRC/.ci/emulator.txt")
  [ -f "$SRC/tests/emulator/requirements.txt" ] && emu_req+=("$SRC/tests/emulator/requirements.txt")
  make_venv "$VEMU" "$py311" "${emu_req[@]}" > "$LOGS/venv-emulator.log" 2>&1 &
  pids+=($!); names+=(venv-emulator)
  if wanted awx-runner && [ -f "$SRC/tests/awx/requirements.txt" ]; then
    make_venv "$VAWX" "$py311" "$SRC/tests/awx/requirements.txt" > "$LOGS/venv-awx.log" 2>&1 &
    pids+=($!); names+=(venv-awx)
  fi
  if wanted galaxy-importer; then
    make_venv "$VIMP" "$py311" "$SRC/.ci/galaxy-importer.txt" > "$LOGS/venv-importer.log" 2>&1 &
    pids+=($!); names+=(venv-importer)
  fi

  # The shellcheck program lets ansible-test's shellcheck sanity test check scripts/*.sh (else it only warns).
  if ! command -v shellcheck >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      { timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq shellcheck; } \
        > "$LOGS/apt-shellcheck.log" 2>&1 || say "could not install shellcheck (see apt-shellcheck.log): its sanity test will be skipped"
    else
      say "shellcheck missing (not root): its sanity test will be skipped"
    fi
  fi
  command -v shellcheck >/dev/null 2>&1 && say "$(shellcheck --version | sed -n 's/^version: /shellcheck /p')"

  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}" && [ -f "$WORK/${names[$i]}/.installed" ]; then :; else
      rc=1; say "${names[$i]}: pip install FAILED:"; tail -n 20 "$LOGS/${names[$i]}.log" >&3
    fi
  done
  local times=""
  for i in "${names[@]}"; do times+=" $i $(cat "$WORK/$i.seconds" 2>/dev/null)s"; done
  say "venvs installed in $((SECONDS - t0))s (in parallel:$times)"
  [ -f "$V219/.installed" ] && seed_get_pip "$V219" && say "2.19: $("$V219/bin/ansible" --version | sed -n 1p), $("$V219/bin/ansible-lint" --version 2>/dev/null | sed -n 1p)"
  [ -f "$V221/.installed" ] && seed_get_pip "$V221" && say "2.21: $("$V221/bin/ansible" --version | sed -n 1p)"
  copy_collection "$C219"
  copy_collection "$CX"
  if wanted 2.21-; then copy_collection "$C221"; fi
  return "$rc"
}

# ------------------------------------------------------------------------------------ per-core steps
core_env() {  # core_env 2.19|2.21: PATH and cwd for that ansible-core version
  local venv="$WORK/venv-$1"
  need "$venv"
  export PATH="$venv/bin:$BASE_PATH"
  cd "$WORK/c$1/ansible_collections/$NS/$NAME"
}

lint() {
  core_env 2.19
  ANSIBLE_COLLECTIONS_PATH="$C219" t ansible-lint --offline --nocolor
  say "$(grep -E '^(Passed|Failed):' "$LOGS/2.19-ansible-lint.log" | tail -1)"
}

changelog_lint() {
  core_env 2.19
  antsibull-changelog lint -v
  antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
  say "changelogs/fragments: $(find changelogs/fragments -name '*.y*ml' | wc -l) fragment(s), lint ok"
}

sanity() {  # sanity CORE
  core_env "$1"
  local rc=0 log="$LOGS/$1-sanity.log" n
  t ansible-test sanity --venv --color no || rc=$?
  n=$(grep -c '^Running sanity test' "$log" || true)
  say "$n sanity test runs; $(grep '^WARNING: Skipping sanity test' "$log" | sort -u | wc -l) skipped (missing interpreters/tools)"
  grep -E '^WARNING: (Skipping|Required program)' "$log" | sort -u | head -n 5 | sed 's/^/    /' >&3 || true
  [ "$n" -gt 0 ] || { say "no sanity test ran"; return 1; }
  return "$rc"
}

count_pytest() {  # count_pytest LOG: sum of "N passed" / "N failed" over pytest summary lines -> "P F"
  awk '/^=+ .*( passed| failed| error)/ || /^[0-9]+ (passed|failed)/ {
         for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^(failed|errors?)/) f += $i } }
       END { print p + 0, f + 0 }' "$1"
}

units() {  # units CORE [coverage]
  core_env "$1"
  local rc=0 log="$LOGS/$1-units.log" cov=() p f
  [ "${2:-}" = coverage ] && cov=(--coverage)
  [ -d tests/unit ] || { say "no tests/unit folder"; return 1; }
  t ansible-test units --venv "${cov[@]}" --color no || rc=$?
  read -r p f < <(count_pytest "$log")
  say "pytest: $p passed, $f failed; pythons: $(grep -E '^Unit test .* with Python' "$log" | awk '{print $NF}' | sort -uV | tr '\n' ' ')"
  [ "$p" -gt 0 ] || { say "no unit test ran"; return 1; }
  [ "$rc" -eq 0 ] || return "$rc"
  [ "${2:-}" = coverage ] || return 0
  # Coverage of plugins/ (files that no test imports count as 0%).
  t ansible-test coverage report --venv --python "$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" --color no --all --include 'plugins/*' > "$WORK/coverage.txt"
  sed -n '/^Name /,$p' "$WORK/coverage.txt" | sed 's/^/      /' >&3
  local total
  total=$(awk '$1 == "TOTAL" { sub(/%/, "", $NF); print $NF }' "$WORK/coverage.txt")
  [ -n "$total" ] || { say "no coverage total found"; return 1; }
  if awk -v t="$total" -v m="$COV_MIN" 'BEGIN { exit !(t + 0 >= m + 0) }'; then
    say "coverage of plugins/: ${total}% (minimum ${COV_MIN}%)"
  else
    say "coverage of plugins/: ${total}% is below the minimum of ${COV_MIN}%"; return 1
  fi
}

EMU_PIDS=()
stop_emulators() {
  local p
  for p in "${EMU_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${EMU_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  EMU_PIDS=()
}

start_emulators() {  # start_emulators DIR: a normal and a --strict-dto emulator; writes integration_config.yml
  local dir="$1" py script="tests/emulator/sim_emulator.py" k i
  [ -f "$script" ] || { say "$script not found: the integration tests need the emulator"; return 1; }
  py="$VEMU/bin/python"; [ -f "$VEMU/.installed" ] || py="$(command -v python)"
  mkdir -p "$dir"; rm -f "$dir"/*.port
  trap stop_emulators EXIT
  for k in a b; do
    local extra=(); [ "$k" = b ] && extra=(--strict-dto)
    "$py" "$script" --port 0 --port-file "$dir/$k.port" --lifetime 1800 \
      --client-id emulator-client --client-secret emulator-secret \
      --read-only-client readonly-client:readonly-secret "${extra[@]}" > "$dir/emulator-$k.log" 2>&1 &
    EMU_PIDS+=($!)
  done
  for i in $(seq 300); do
    [ -s "$dir/a.port" ] && [ -s "$dir/b.port" ] && break
    for k in 0 1; do
      kill -0 "${EMU_PIDS[$k]}" 2>/dev/null || { say "emulator exited early:"; cat "$dir"/emulator-*.log >&3; return 1; }
    done
    sleep 0.1
  done
  if ! [ -s "$dir/a.port" ] || ! [ -s "$dir/b.port" ]; then
    say "emulators wrote no port file in 30s"; cat "$dir"/emulator-*.log >&3; return 1
  fi
  cat > tests/integration/integration_config.yml <<EOF
sim_emulator_url: http://127.0.0.1:$(cat "$dir/a.port")
sim_emulator_strict_url: http://127.0.0.1:$(cat "$dir/b.port")
sim_client_id: emulator-client
sim_client_secret: emulator-secret
sim_readonly_client_id: readonly-client
sim_readonly_client_secret: readonly-secret
EOF
  say "emulators on ports $(cat "$dir/a.port") and $(cat "$dir/b.port") (--strict-dto)"
}

integration() {  # integration CORE: on the controller's Python (the Python of that core's venv)
  core_env "$1"
  local rc=0 log="$LOGS/$1-integration.log" n pyv
  pyv=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [ -z "$(ls tests/integration/targets 2>/dev/null)" ]; then say "no integration targets"; return 1; fi
  start_emulators "$WORK/emulators-$1"
  t ansible-test integration --venv --python "$pyv" --color no --continue-on-error || rc=$?
  stop_emulators
  n=$(grep -c -E '^Running [^ ]+ integration test (role|script)' "$log" || true)
  say "$n integration target(s) ran: $(grep -E '^Running [^ ]+ integration test (role|script)' "$log" | awk '{print $2}' | tr '\n' ' ')"
  if [ "$rc" -ne 0 ]; then  # for each failed target: its failed tasks and the end of its output
    local failed tgt
    failed=$(awk '/^FATAL: The [0-9]+ integration test\(s\) listed below/ { on = 1; next } on && /^[A-Za-z0-9_.-]+$/ { print } on && !/^[A-Za-z0-9_.-]+$/ { on = 0 }' "$log")
    [ -n "$failed" ] || failed=$(grep -E '^NOTICE: To resume at this test target' "$log" | awk '{print $NF}')
    for tgt in $failed; do
      echo "--- failed target $tgt:"
      awk -v t="$tgt" '$0 ~ "^Running " t " integration test" { on = 1; next } on && /^Running [^ ]+ integration test/ { on = 0 } on' \
        "$log" > "$log.segment"
      # failed tasks that were not ignored, with their task line; then the end of the target's output
      awk '/^TASK \[/ { task = $0 } /^(fatal|failed): / { if (p != "") print p; p = task "\n" $0; next }
           /^\.\.\.ignoring/ { p = ""; next } { if (p != "") print p; p = "" } END { if (p != "") print p }' \
        "$log.segment" | cut -c1-400 | tail -n 20
      echo "  (last lines of $tgt:)"; grep -v '^$' "$log.segment" | tail -n 8 | cut -c1-400
    done > "$log.digest"
  fi
  [ "$n" -gt 0 ] || { say "no integration target ran"; return 1; }
  return "$rc"
}

# ------------------------------------------------------------------------------------- other steps
emulator_tests() {
  need "$VEMU"
  cd "$CX/ansible_collections/$NS/$NAME"
  local rc=0 p f log="$LOGS/emulator-tests.log"
  if [ -z "$(find tests/emulator -name 'test_*.py' -o -name '*_test.py' 2>/dev/null)" ]; then
    say "no tests: tests/emulator has no test_*.py files"; return 1
  fi
  t "$VEMU/bin/python" -m pytest tests/emulator -q -p no:cacheprovider || rc=$?
  read -r p f < <(count_pytest "$log")
  say "pytest: $p passed, $f failed"
  [ "$p" -gt 0 ] || { say "no emulator test ran"; return 1; }
  return "$rc"
}

awx_runner() {  # the AWX job-template playbook through ansible-runner, SAIL_* injected from the credential type
  need "$VAWX"
  cd "$CX/ansible_collections/$NS/$NAME"
  local rc=0 p f log="$LOGS/awx-runner.log"
  PATH="$VAWX/bin:$BASE_PATH" t "$VAWX/bin/python" -m pytest tests/awx -q -p no:cacheprovider || rc=$?
  read -r p f < <(count_pytest "$log")
  say "pytest: $p passed, $f failed"
  [ "$p" -gt 0 ] || { say "no AWX test ran"; return 1; }
  return "$rc"
}

galaxy_importer() {
  need "$V219"; need "$VIMP"
  local coll="$CX/ansible_collections/$NS/$NAME" tarball
  rm -rf "$WORK/dist"; mkdir -p "$WORK/dist"
  "$V219/bin/ansible-galaxy" collection build "$coll" --output-path "$WORK/dist"
  tarball=$(ls "$WORK/dist"/*.tar.gz)
  say "built $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB, $(tar -tzf "$tarball" | wc -l) entries)"
  cd "$WORK/dist"
  PATH="$VIMP/bin:$BASE_PATH" GALAXY_IMPORTER_CONFIG="$SRC/.ci/galaxy-importer.cfg" \
    t "$VIMP/bin/python" -m galaxy_importer.main "$tarball"
  local warns; warns=$(grep -c -E 'WARNING' "$LOGS/galaxy-importer.log" || true)
  say "galaxy-importer accepted the tarball ($warns warning line(s))"
  grep -E 'WARNING|ERROR' "$LOGS/galaxy-importer.log" | head -n 20 | sed 's/^/      /' >&3 || true
}

docs_lint() {
  need "$V219"
  export PATH="$V219/bin:$BASE_PATH"
  cd "$CX/ansible_collections/$NS/$NAME"
  ANSIBLE_COLLECTIONS_PATH="$CX" t antsibull-docs lint-collection-docs --plugin-docs .
  say "antsibull-docs lint-collection-docs --plugin-docs: no findings"
}

builder() {
  need "$V219"
  local coll="$CX/ansible_collections/$NS/$NAME" ee="$WORK/ee"
  rm -rf "$ee"; mkdir -p "$ee"
  # The paths in meta/execution-environment.yml are relative to the collection root (that is how
  # ansible-builder reads a collection's EE file), so check it beside those files.
  cp "$coll/meta/execution-environment.yml" "$coll/requirements.txt" "$coll/bindep.txt" "$ee/"
  "$V219/bin/ansible-builder" create -f "$ee/execution-environment.yml" -c "$ee/context" --output-filename Containerfile -v 2
  [ -s "$ee/context/Containerfile" ] || { say "no Containerfile written"; return 1; }
  say "ansible-builder create: $(wc -l < "$ee/context/Containerfile") line Containerfile, context: $(cd "$ee/context" && find . -type f | sort | tr '\n' ' ')"
  # What an EE build would take from this collection.
  "$V219/bin/ansible-builder" introspect --sanitize "$CX" | tee "$ee/introspect.txt"
  local dep
  while read -r dep; do
    grep -q -i "$dep" "$ee/introspect.txt" || { say "introspect does not list $dep"; return 1; }
  done < <(grep -v -E '^[[:space:]]*(#|$)' "$coll/requirements.txt" | sed 's/[<>=!~ ;].*//')
  say "ansible-builder introspect finds the collection's python deps: $(grep -v -E '^[[:space:]]*(#|$)' "$coll/requirements.txt" | tr '\n' ' ')"
}

# ------------------------------------------------------------------------------------------------ run
T_START=$SECONDS
echo "sailpoint.identitynow test suite: $SRC ($(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "work dir $WORK; logs are copied to tests/output/ci-logs/"
run_step setup setup

chain_221() {
  run_step 2.21-sanity sanity 2.21
  run_step 2.21-units units 2.21
  run_step 2.21-integration integration 2.21
  # Short steps that need no ansible-test: here, to even out the two chains.
  run_step emulator-tests emulator_tests
  run_step awx-runner awx_runner
  run_step galaxy-importer galaxy_importer
  run_step docs-lint docs_lint
  run_step ansible-builder builder
}
# The ansible-core 2.21 steps (and the short ones) run beside the 2.19 ones (2 cores: most of the time
# goes to pip and single-threaded linters). They get their own HOME, so the two ansible-test versions
# never build the same per-test venv at the same time; their output is shown after the 2.19 steps.
CHAIN_PID=""
if [ "${CI_PARALLEL:-1}" = 1 ]; then
  ( mkdir -p "$HOME/core-2.21/.ansible/test"; cp -r "$HOME/.ansible/test/cache" "$HOME/core-2.21/.ansible/test/"
    HOME="$HOME/core-2.21"; CHAIN_RESULTS="$LOGS/results-2.21"; : > "$CHAIN_RESULTS"
    chain_221 ) > "$LOGS/chain-2.21.out" 3>&1 2>&1 &
  CHAIN_PID=$!
  echo "(the ansible-core 2.21 and the short steps run in parallel; their output follows the 2.19 steps)"
fi
run_step 2.19-ansible-lint lint
run_step 2.19-changelog-lint changelog_lint
run_step 2.19-sanity sanity 2.19
run_step 2.19-units units 2.19 coverage
run_step 2.19-integration integration 2.19
if [ -n "$CHAIN_PID" ]; then
  wait "$CHAIN_PID"
  cat "$LOGS/chain-2.21.out"
  cat "$LOGS/results-2.21" >> "$RESULTS"
else
  chain_221
fi

TABLE=$(awk '{ printf "%-24s %-7s %5ss\n", $1, $2, $3 }' "$RESULTS")
PASSED=$(grep -c ' ok ' "$RESULTS" || true)
FAILED=$(grep -c ' FAILED ' "$RESULTS" || true)
cleanup
echo
echo "=== summary ($((SECONDS - T_START))s in all)"
echo "$TABLE"
echo "ci: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
