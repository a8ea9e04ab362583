# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole test suite from scratch: what CI runs (.ci/run calls exactly this).

    python3 scripts/ci.py                  # every nox session, in two lanes
    python3 scripts/ci.py -s units-2.19 sanity-2.19   # only these sessions
    CI_HOME=~/.cache/identitynow-ci python3 scripts/ci.py  # keep ansible-test's venvs between runs

Makes a venv with nox and antsibull-nox (.ci/nox.txt), lists the sessions that noxfile.py declares,
splits them into two lanes of about equal expected time and runs one nox process per lane (the
machine has 2 cores; most of a session's time is pip and single-threaded linters). Then it prints
one line per session (result and seconds, read from nox's --report JSON) and, last,
`ci: N passed, N failed` (skipped sessions are named on the line before). It exits non-zero when a session failed.

The session logic is all in noxfile.py and antsibull-nox.toml; this file only runs them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET = int(os.environ.get("CI_BUDGET", "4800"))  # seconds for all lanes; CI stops a run at 5400 s
# Minutes for one ansible-test command (antsibull-nox passes it to `ansible-test env --timeout`).
ANSIBLE_TEST_TIMEOUT = os.environ.get("ANTSIBULL_NOX_TIMEOUT", "25")

# Seconds each session took in a cold run from a fresh clone (2 cores, 2026-12-05, 2285 s in all):
# used only to balance the lanes.
EXPECTED = {
    "sanity-2.17": 195, "sanity-2.18": 157, "sanity-2.19": 149, "sanity-2.20": 144, "sanity-2.21": 163,
    "sanity-2.22": 93, "units-2.17": 126, "units-2.17-modules": 201, "units-2.18": 112, "units-2.19": 263, "units-2.20": 147,
    "units-2.21": 162, "units-2.22": 315, "integration-2.17": 299, "integration-2.22": 419,
    "integration-2.22-rest": 311, "integration-2.22-patch-operations": 229, "integration-2.22-strict-top": 285,
    "integration-2.22-duplicate-409": 314, "build-import-check": 34, "docs-check": 18, "ansible-lint": 27,
    "emulator-tests": 72, "awx-runner": 11, "ee-create": 8, "changelog-lint": 7, "yamllint": 4,
}
DEFAULT_EXPECTED = 60
# Sessions that share a lane: the integration sessions of one core (and so the HOME where ansible-test
# caches its venvs), and antsibull-nox's `lint` with the sessions it requires (else they run twice).
GROUPS = (("integration-2.22", lambda name: name.startswith("integration-2.22")),
          ("lint", lambda name: name in ("lint", "yamllint", "antsibull-nox-config")))


def log(message: str) -> None:
    print(message, flush=True)


def pip_quiet(command: list, **kwargs) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode:
        sys.stdout.write(result.stdout + result.stderr)
        raise SystemExit("ci: %s failed (exit %d)" % (" ".join(command), result.returncode))


def make_venv(work: Path) -> Path:
    venv = work / "venv"
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip_quiet([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
               "-r", str(ROOT / ".ci" / "nox.txt")])
    log("ci: venv with %s in %.0fs (%s)" % (
        ", ".join(line.split("==")[0] for line in (ROOT / ".ci" / "nox.txt").read_text().split("\n")
                  if line and not line.startswith("#")),
        time.monotonic() - t0, sys.version.split()[0]))
    return venv


def list_sessions(venv: Path, env: dict) -> list:
    out = subprocess.run([str(venv / "bin" / "nox"), "--list", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode:
        sys.stdout.write(out.stdout + out.stderr)
        raise SystemExit("ci: nox --list failed")
    return [entry["name"] for entry in json.loads(out.stdout)]


def split_lanes(sessions: list, lanes: int) -> list:
    """Longest expected first, each to the lane with the least expected time (groups move together)."""
    units: dict = {}
    for name in sessions:
        key = next((group for group, member in GROUPS if member(name)), name)
        units.setdefault(key, []).append(name)
    cost = {key: sum(EXPECTED.get(n, DEFAULT_EXPECTED) for n in names) for key, names in units.items()}
    result: list = [[] for _lane in range(lanes)]
    load = [0] * lanes
    for key in sorted(units, key=lambda k: -cost[k]):
        lane = load.index(min(load))
        result[lane].extend(units[key])
        load[lane] += cost[key]
    return [lane for lane in result if lane]


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


class Lane:
    """One nox process running some of the sessions, with its own HOME, log and --report file."""

    def __init__(self, number: int, names: list, work: Path, logs: Path):
        self.number, self.names = number, names
        # Its own HOME: ansible-test caches its venvs there, and two ansible-test processes must not
        # build the same venv at the same time.
        base = Path(os.environ["CI_HOME"]) if os.environ.get("CI_HOME") else work
        self.home = base / ("home-%d" % number)
        self.report = work / ("report-%d.json" % number)
        self.logfile = logs / ("lane-%d.log" % number)
        self.offset = 0
        self.process = None

    def start(self, venv: Path, env: dict) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        # pip reads the user's configuration from HOME: the lane keeps the machine's index settings.
        for config in (".config/pip/pip.conf", ".pip/pip.conf"):
            if (Path.home() / config).is_file() and not (self.home / config).exists():
                (self.home / config).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path.home() / config, self.home / config)
        with open(self.logfile, "wb") as out:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [str(venv / "bin" / "nox"), "--no-color", "--error-on-missing-interpreters", "--report", str(self.report),
                 "-s", *self.names],
                cwd=ROOT, env=dict(env, HOME=str(self.home)), stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)

    def follow(self) -> None:
        """Print nox's session start and end lines that the log gained since the last call."""
        with open(self.logfile, "rb") as f:
            f.seek(self.offset)
            data = f.read()
        end = data.rfind(b"\n") + 1
        self.offset += end
        for line in data[:end].decode("utf-8", "replace").splitlines():
            if line.startswith("nox > Running session ") or (line.startswith("nox > Session ") and (
                    " was " in line or " failed" in line or " skipped" in line or " aborted" in line)):
                log("[lane %d] %s" % (self.number, line[len("nox > "):]))

    def results(self, reason_not_run: str) -> list:
        """(session, result, seconds, reason, log) for each of the lane's sessions, from the nox report."""
        entries = {}
        if self.report.is_file():
            entries = {entry["name"]: entry for entry in json.loads(self.report.read_text(encoding="utf-8"))["sessions"]}
        rows = []
        for name in self.names:
            entry = entries.get(name)
            if entry is None:
                rows.append((name, "not run", 0.0, reason_not_run, self.logfile))
            else:
                rows.append((name, entry["result"], float(entry.get("duration") or 0), entry.get("reason") or "", self.logfile))
        return rows


def session_tail(logfile: Path, name: str, lines: int = 60) -> str:
    """The end of one session's output in a lane log, for a failure's context."""
    text = logfile.read_text(encoding="utf-8", errors="replace").splitlines()
    start = max((i for i, line in enumerate(text) if line == "nox > Running session %s" % name), default=None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(text)) if text[i].startswith("nox > Running session ")), len(text))
    return "\n".join(text[max(start, end - lines):end])


def _terminate(signum, _frame):
    raise KeyboardInterrupt("signal %d" % signum)


def main() -> int:
    signal.signal(signal.SIGTERM, _terminate)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-s", "--sessions", nargs="+", help="run only these nox sessions")
    parser.add_argument("--lanes", type=int, default=int(os.environ.get("CI_LANES", "2")))
    parser.add_argument("--keep-work", action="store_true", default=os.environ.get("KEEP_WORK") == "1")
    args = parser.parse_args()

    t_start = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="identitynow-ci."))
    logs = ROOT / "tests" / "output" / "ci-logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    log("ci: sailpoint.identitynow at %s (%s), work dir %s, logs in %s" % (
        ROOT, subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=False).stdout.strip() or "?", work, logs.relative_to(ROOT)))
    venv = make_venv(work)
    env = dict(os.environ, PATH="%s%s%s" % (venv / "bin", os.pathsep, os.environ.get("PATH", "")),
               ANTSIBULL_NOX_TIMEOUT=ANSIBLE_TEST_TIMEOUT, PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONUNBUFFERED="1")
    env.pop("VIRTUAL_ENV", None)
    sessions = args.sessions or list_sessions(venv, env)
    lanes = split_lanes(sessions, max(1, args.lanes))

    running = [Lane(number, names, work, logs) for number, names in enumerate(lanes, 1)]
    for lane in running:
        log("ci: lane %d: %s" % (lane.number, " ".join(lane.names)))
        lane.start(venv, env)
    timed_out = False
    try:
        while any(lane.process.poll() is None for lane in running):
            time.sleep(2)
            for lane in running:
                lane.follow()
            if not timed_out and time.monotonic() - t_start > BUDGET:
                timed_out = True
                log("ci: the time budget of %ds is used up: stopping the lanes" % BUDGET)
                for lane in running:
                    stop(lane.process)
    except KeyboardInterrupt:
        for lane in running:
            stop(lane.process)
        raise
    rows = []
    for lane in running:
        lane.follow()
        rows.extend(lane.results("the lane was stopped (time budget)" if timed_out else "the lane stopped first"))

    order = {name: i for i, name in enumerate(sessions)}
    rows.sort(key=lambda row: order.get(row[0], len(order)))
    failed = [row for row in rows if row[1] not in ("success", "skipped")]
    for name, _result, _seconds, _reason, logfile in failed:
        tail = session_tail(logfile, name)
        if tail:
            log("\n--- end of %s (whole log: %s)" % (name, logfile.relative_to(ROOT)))
            log(tail)
    passed = sum(1 for row in rows if row[1] == "success")
    skipped = [row for row in rows if row[1] == "skipped"]
    if not args.keep_work:
        shutil.rmtree(work, ignore_errors=True)

    log("\n=== summary (%.0fs in all, %d lane(s))" % (time.monotonic() - t_start, len(running)))
    log("%-36s %-8s %7s  %s" % ("session", "result", "seconds", "note"))
    for name, result, seconds, reason, _logfile in rows:
        log("%-36s %-8s %7.0f  %s" % (name, result, seconds, reason if result != "success" else ""))
    if skipped:
        log("skipped (not counted): %s" % ", ".join(row[0] for row in skipped))
    log("ci: %d passed, %d failed" % (passed, len(failed)))  # CI reads this last line
    return 0 if passed and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
