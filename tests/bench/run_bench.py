# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of the sailpoint.identitynow collection against the local SIM emulator (not part of the test suite).

    python tests/bench/run_bench.py                  # N = 1, 10, 50; 200-integration scale run (~15 min on 2 cores)
    python tests/bench/run_bench.py --quick          # N = 1, 10; 50-integration scale run
    python tests/bench/run_bench.py --sizes 1,10 --scale 0 --venv .venv

Sets up a virtualenv (tests/output/bench/venv, from tests/bench/requirements.txt) unless --venv names one,
copies this checkout as the collection into tests/output/bench/collections, starts the emulator on loopback
(it stops by itself after --lifetime seconds), runs the scenarios and writes tests/output/bench/results.md
and results.json. See tests/bench/README.md.
"""

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "bench"
PLAYBOOKS = BENCH / "playbooks"
sys.path.insert(0, str(ROOT / "tests" / "emulator"))
import harness  # noqa: E402  pylint: disable=wrong-import-position
OUT = ROOT / "tests" / "output" / "bench"
CLIENT_ID = "bench-client"
CLIENT_SECRET = "bench-secret"
TOKEN_PATH = "/oauth/token"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
METHODS = ("GET",) + WRITES

WAYS = (
    ("a", "collection.yml", "collection, credentials only (the default)"),
    ("b", "collection_shared_token.yml", "collection, shared token (access_token lookup)"),
    ("c", "uri.yml", "ansible.builtin.uri playbook"),
)
WAY_KEYS = tuple(way[0] for way in WAYS)
PLAYBOOK_OF = dict((way[0], way[1]) for way in WAYS)
WAY_NAMES = dict((way[0], way[2]) for way in WAYS)
# (scenario, extra vars, check mode): run in this order on an emptied emulator, once per way and N.
SCENARIOS = (
    ("create", dict(bench_state="present", bench_description="Managed by Ansible"), False),
    ("no-op", dict(bench_state="present", bench_description="Managed by Ansible"), False),
    ("change", dict(bench_state="present", bench_description="Changed by the benchmark"), False),
    ("check --diff", dict(bench_state="present", bench_description="Previewed by the benchmark"), True),
    ("delete", dict(bench_state="absent", bench_description="Changed by the benchmark"), False),
)
SCENARIO_NAMES = tuple(scenario[0] for scenario in SCENARIOS)
SCENARIO_VARS = dict((scenario[0], scenario[1]) for scenario in SCENARIOS)
CHECK_SCENARIOS = tuple(scenario[0] for scenario in SCENARIOS if scenario[2])
STARTUP_VARIANTS = (
    ("ping", "ansible.builtin.ping", {}),
    ("uri", "ansible.builtin.uri GET (shared token)", {}),
    ("sim", "sim_integration no-op (credentials only)", {}),
    ("sim_shared", "sim_integration no-op (shared token)", {}),
    ("sim_module", "sim_integration no-op (shared token), run as a module", {}),
    ("sim_module", "sim_integration no-op (shared token), run as a module, pipelining on", {"ANSIBLE_PIPELINING": "true"}),
)
# Against a rate-limited emulator: the collection's own pacing setting (SAIL_RATE_LIMIT left out).
RATE_LIMITED_ENV = {"SAIL_RATE_LIMIT": None}
ITEM_LINE = re.compile(r"^(changed|ok|skipping|failed|fatal): \[localhost\] => \(item=", re.MULTILINE)
RECAP = re.compile(r"^localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


def log(msg):
    print("[bench %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


# ---- setup ----------------------------------------------------------------------------------------------

def ensure_venv(venv_arg):
    """The virtualenv to run ansible-playbook and the emulator from: --venv, or tests/output/bench/venv."""
    if venv_arg:
        venv = Path(venv_arg).resolve()
        if not (venv / "bin" / "ansible-playbook").exists():
            sys.exit("bench: %s has no bin/ansible-playbook" % venv)
        return venv
    venv = OUT / "venv"
    reqs = BENCH / "requirements.txt"
    stamp = reqs.read_text()
    stamp_file = venv / ".bench-installed"
    if (venv / "bin" / "ansible-playbook").exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return venv
    log("creating %s (ansible-core, requests, jsonpatch from PyPI)" % venv.relative_to(ROOT))
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(reqs)], check=True)
    stamp_file.write_text(stamp)
    return venv


def git(*args):
    proc = subprocess.run(["git", "-C", str(ROOT)] + list(args), capture_output=True, text=True, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else None


def install_collection(ref):
    """Copy the collection content into a private collections path: from the working tree (a snapshot, so
    edits made while the benchmark runs do not leak into it), or from commit `ref` with git archive."""
    galaxy = (ROOT / "galaxy.yml").read_text()
    namespace = re.search(r"^namespace:\s*(\S+)", galaxy, re.MULTILINE).group(1).strip("'\"")
    name = re.search(r"^name:\s*(\S+)", galaxy, re.MULTILINE).group(1).strip("'\"")
    collections = OUT / "collections"
    target = collections / "ansible_collections" / namespace / name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    entries = ("galaxy.yml", "README.md", "meta", "plugins")
    if ref:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref, "--"] + list(entries), capture_output=True, check=False)
        if archive.returncode != 0:
            sys.exit("bench: git archive %s failed: %s" % (ref, archive.stderr.decode(errors="replace").strip()))
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
        return collections
    for entry in entries:
        src = ROOT / entry
        if src.is_dir():
            shutil.copytree(src, target / entry, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.exists():
            shutil.copy2(src, target / entry)
    return collections


def ansible_version(venv):
    """('ansible [core X]', 'Python version') of the venv's ansible."""
    out = subprocess.run([str(venv / "bin" / "ansible"), "--version"], capture_output=True, text=True, check=True).stdout
    python = re.search(r"python version = (\S+)", out)
    return out.splitlines()[0].strip(), python.group(1) if python else "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            models = re.findall(r"^model name\s*:\s*(.+)$", f.read(), re.MULTILINE)
    except OSError:
        return platform.processor() or "?"
    return models[0].strip() if models else platform.processor() or "?"


# ---- the emulator -----------------------------------------------------------------------------------------

def start_emulator(venv, name, rate_limit, lifetime):
    """The SIM emulator as a detached child process on 127.0.0.1 (tests/emulator/harness.py), its log under OUT."""
    try:
        emulator = harness.start(["--host", "127.0.0.1", "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
                                  "--rate-limit", str(rate_limit), "--rate-window", "10"],
                                 lifetime=int(lifetime), python=str(venv / "bin" / "python"), detach=True)
    except harness.HarnessError as exc:
        sys.exit("bench: the %s emulator did not start: %s" % (name, exc))
    log("%s emulator on %s (log %s)" % (name, emulator.url, emulator.log_path))
    return emulator


def proc_stat(pid):
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces): [state, ppid, ...]."""
    with open("/proc/%s/stat" % pid) as handle:
        return handle.read().rsplit(")", 1)[1].split()


def process_cpu(pid):
    """User + system CPU seconds of a running process (Linux /proc, 10 ms steps), or None where it cannot be read."""
    try:
        fields = proc_stat(pid)
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError, TypeError):
        return None


def count_requests(entries):
    """Requests by kind: token, each method (API calls only), 429 answers, and API calls the rate limit counted."""
    counts = dict(token=0, http429=0, counted=0, other_errors=0)
    counts.update((m, 0) for m in METHODS)
    for entry in entries:
        if entry["path"] == TOKEN_PATH:
            counts["token"] += 1
            continue
        counts[entry["method"]] = counts.get(entry["method"], 0) + 1
        if entry["status"] == 429:
            counts["http429"] += 1
        else:
            counts["counted"] += 1
            if entry["status"] != 200:
                counts["other_errors"] += 1
    counts["api"] = sum(counts[m] for m in METHODS)
    counts["writes"] = sum(counts[m] for m in WRITES)
    counts["total"] = counts["api"] + counts["token"]
    return counts


# ---- running playbooks ------------------------------------------------------------------------------------

class Runner:
    def __init__(self, venv, collections):
        self.venv = venv
        cfg = OUT / "ansible.cfg"
        cfg.write_text("[defaults]\n")  # no user or system ansible.cfg changes what is measured
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "SAIL_")))
        env.update(PATH="%s:%s" % (venv / "bin", env.get("PATH", "")), ANSIBLE_CONFIG=str(cfg), ANSIBLE_COLLECTIONS_PATH=str(collections),
                   ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
                   ANSIBLE_RETRY_FILES_ENABLED="false", SAIL_CLIENT_ID=CLIENT_ID, SAIL_CLIENT_SECRET=CLIENT_SECRET, PYTHONUNBUFFERED="1",
                   # The emulators without rate limit need no pacing (the collection paces at 100 per 10 s by default);
                   # the rate-limited runs leave this out, so they show the default.
                   SAIL_RATE_LIMIT="0")
        self.env = env
        self.logs = OUT / "logs"
        if self.logs.exists():
            shutil.rmtree(self.logs)  # only this run's logs
        self.logs.mkdir(parents=True)

    def start(self, playbook, emulator, extra_vars, log_name, check=False, args=(), env=None, memory=False):
        """Start one ansible-playbook in its own session (a timeout kills the whole process group)."""
        cmd = [str(self.venv / "bin" / "ansible-playbook"), str(PLAYBOOKS / playbook), "-e", json.dumps(extra_vars)]
        if check:
            cmd += ["--check", "--diff"]
        cmd += list(args)
        run_env = dict(self.env, SAIL_BASE_URL=emulator.url)
        for key, value in (env or {}).items():  # None: leave the variable out (the collection's default)
            if value is None:
                run_env.pop(key, None)
            else:
                run_env[key] = value
        out = tempfile.TemporaryFile(mode="w+")
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=str(BENCH), env=run_env, stdout=out, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        sampler = MemorySampler(proc.pid) if memory else None
        return dict(cmd=cmd, proc=proc, out=out, start=start, sampler=sampler, log_name=log_name)

    def finish(self, handle, timeout=900):
        """Wait for a started run; returns (wall seconds, rc, output, memory samples or None)."""
        proc = handle["proc"]
        # A blocking wait returns as the run ends: wait(timeout=...) polls, at most every 50 ms, which put 0-50 ms
        # on every measured time (2-3% of a 200-item floor). The timeout is a timer that kills the session instead.
        watchdog = threading.Timer(timeout, _kill_session, (proc.pid,))
        watchdog.daemon = True
        watchdog.start()
        try:
            proc.wait()
        finally:
            watchdog.cancel()
        seconds = time.monotonic() - handle["start"]
        memory = handle["sampler"].stop() if handle["sampler"] else None
        handle["out"].seek(0)
        output = handle["out"].read()
        handle["out"].close()
        (self.logs / ("%s.log" % handle["log_name"])).write_text("$ %s\n%s" % (" ".join(handle["cmd"]), output))
        return seconds, proc.returncode, output, memory

    def run(self, playbook, emulator, extra_vars, log_name, check=False, args=(), env=None, timeout=900, memory=False):
        """Run one ansible-playbook; returns (wall seconds, CPU seconds, rc, output) of the whole command, and
        with memory=True a fifth item, the peak PSS samples (MemorySampler.stop()).

        CPU time is user + system of ansible-playbook and every process it waited for (workers, modules):
        unlike wall time it hardly moves when other work shares the machine.
        """
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        handle = self.start(playbook, emulator, extra_vars, log_name, check=check, args=args, env=env, memory=memory)
        seconds, rc, output, peak = self.finish(handle, timeout=timeout)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
        if memory:
            return seconds, cpu, rc, output, peak
        return seconds, cpu, rc, output


def _kill_session(pid):
    try:
        os.killpg(pid, 9)
    except OSError:  # it ended meanwhile
        pass


class MemorySampler:
    """Peak PSS of a process and its descendants (ansible-playbook and its forked workers), sampled.

    PSS (from /proc/<pid>/smaps_rollup) shares the pages a fork has in common between parent and child, so the
    sum over the processes is what the run really occupies; RSS would count the shared pages once per worker.
    """

    INTERVAL = 0.05

    def __init__(self, pid):
        self.pid = pid
        self.peak_total = self.peak_main = self.peak_worker = 0
        self.samples = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    @staticmethod
    def _pss_kib(pid):
        try:
            with open("/proc/%d/smaps_rollup" % pid) as f:
                for line in f:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            return 0
        return 0

    def _members(self):
        """The playbook process and its descendants (a worker calls setsid, so the session would miss it)."""
        children = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                ppid = int(proc_stat(entry)[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
        todo, seen = [self.pid], []
        while todo:
            pid = todo.pop()
            seen.append(pid)
            todo.extend(children.get(pid, ()))
        return seen

    def _loop(self):
        while not self._done.is_set():
            total = 0
            for pid in self._members():
                pss = self._pss_kib(pid)
                total += pss
                if pid == self.pid:
                    self.peak_main = max(self.peak_main, pss)
                else:
                    self.peak_worker = max(self.peak_worker, pss)
            self.peak_total = max(self.peak_total, total)
            self.samples += 1
            self._done.wait(self.INTERVAL)

    def stop(self):
        self._done.set()
        self._thread.join()
        return dict(peak_total_kib=self.peak_total, peak_main_kib=self.peak_main, peak_worker_kib=self.peak_worker, samples=self.samples)


def item_counts(output):
    counts = dict(changed=0, ok=0, skipping=0, failed=0)
    for match in ITEM_LINE.finditer(output):
        key = "failed" if match.group(1) == "fatal" else match.group(1)
        counts[key] += 1
    recap = RECAP.search(output)
    counts["failed_tasks"] = int(recap.group(4)) + int(recap.group(3)) if recap else None
    return counts


def expected_state(scenario, n, integrations, previous_description, prefix="bench-sim-"):
    """Whether the emulator holds what the scenario should leave; returns (ok, why)."""
    names = sorted(doc["name"] for doc in integrations)
    want = sorted("%s%d" % (prefix, i) for i in range(1, n + 1))
    if scenario == "delete":
        return (not names, "%d integrations left" % len(names))
    if names != want:
        return False, "integrations %s, expected %s" % (names[:5], want[:5])
    descriptions = set(doc.get("description") for doc in integrations)
    want_desc = previous_description if scenario == "check --diff" else SCENARIO_VARS[scenario]["bench_description"]
    return descriptions == {want_desc}, "descriptions %s" % sorted(descriptions)


def run_scenarios(runner, emulators, sizes, repeat):
    """Every N x scenario x way; returns result rows (median over `repeat` cycles).

    Each way has its own emulator, so the three ways run interleaved, scenario by scenario, in an order
    that rotates: load from other processes on the machine then falls on all three alike.
    """
    rows = []
    for n in sizes:
        samples = dict(((way, scenario), []) for way in WAY_KEYS for scenario in SCENARIO_NAMES)
        for cycle in range(repeat):
            for emulator in emulators.values():
                emulator.admin.reset()
            previous = None
            for index, (scenario, extra, check) in enumerate(SCENARIOS):
                shift = (index + cycle + n) % len(WAY_KEYS)
                for way in WAY_KEYS[shift:] + WAY_KEYS[:shift]:
                    playbook, emulator = PLAYBOOK_OF[way], emulators[way]
                    emulator.admin.clear_requests()
                    log_name = "n%d-%s-%s-%d" % (n, way, scenario.split()[0], cycle + 1)
                    seconds, cpu, rc, output = runner.run(playbook, emulator, dict(extra, bench_n=n), log_name, check=check, timeout=max(300, 20 * n))
                    reqs = count_requests(emulator.admin.requests())
                    items = item_counts(output)
                    state_ok, why = expected_state(scenario, n, emulator.admin.integrations(), previous)
                    ok = rc == 0 and items["failed_tasks"] == 0 and state_ok
                    samples[(way, scenario)].append(dict(seconds=seconds, cpu=cpu, rc=rc, requests=reqs, items=items, ok=ok, why=why, log=log_name))
                    log("N=%-3d %s %-13s %6.2fs (cpu %5.2fs) %4d requests (%d token, %d writes)  changed items %d%s" % (
                        n, way, scenario, seconds, cpu, reqs["total"], reqs["token"], reqs["writes"], items["changed"],
                        "" if ok else "  NOT OK: rc=%s failed=%s %s (tests/output/bench/logs/%s.log)" % (rc, items["failed_tasks"], why, log_name)))
                if not check:
                    previous = extra["bench_description"]
        for way in WAY_KEYS:
            for scenario in SCENARIO_NAMES:
                runs = samples[(way, scenario)]
                rows.append(dict(n=n, way=way, scenario=scenario, check=scenario in CHECK_SCENARIOS, seconds=statistics.median(r["seconds"] for r in runs),
                                 cpu=statistics.median(r["cpu"] for r in runs), samples=[round(r["seconds"], 3) for r in runs],
                                 requests=runs[-1]["requests"], items=runs[-1]["items"], ok=all(r["ok"] for r in runs),
                                 notes=[r["why"] for r in runs if not r["ok"]], logs=[r["log"] for r in runs]))
    return rows


def run_startup(runner, emulator, calls, repeat):
    """Seconds per call of each variant: (playbook with `calls` calls - baseline playbook) / calls, medians."""
    emulator.admin.reset()
    runner.run("startup.yml", emulator, dict(bench_calls=1), "startup-warmup", args=["--tags", "sim,uri,ping"])  # creates bench-startup
    results = dict(calls=calls, repeat=repeat, variants=[])
    base = [runner.run("startup.yml", emulator, dict(bench_calls=calls), "startup-baseline-%d" % i, args=["--tags", "baseline"])[:2] for i in range(repeat)]
    results["baseline_seconds"] = statistics.median(b[0] for b in base)
    results["baseline_cpu"] = statistics.median(b[1] for b in base)
    log("start-up: playbook with only the token task %.2fs (cpu %.2fs)" % (results["baseline_seconds"], results["baseline_cpu"]))
    for tag, label, env in STARTUP_VARIANTS:
        times, cpus = [], []
        for i in range(repeat):
            emulator.admin.clear_requests()
            log_name = "startup-%s%s-%d" % (tag, "-pipelining" if env else "", i)
            seconds, cpu, rc, output = runner.run("startup.yml", emulator, dict(bench_calls=calls), log_name, args=["--tags", tag], env=env)
            if rc != 0 or item_counts(output)["changed"]:
                sys.exit("bench: start-up run %s failed or changed something; see tests/output/bench/logs" % tag)
            times.append(seconds)
            cpus.append(cpu)
        reqs = count_requests(emulator.admin.requests())
        seconds, cpu = statistics.median(times), statistics.median(cpus)
        per_call = (seconds - results["baseline_seconds"]) / calls
        cpu_per_call = (cpu - results["baseline_cpu"]) / calls
        results["variants"].append(dict(tag=tag, label=label, seconds=seconds, cpu=cpu, per_call=per_call, cpu_per_call=cpu_per_call,
                                        requests_per_call=(reqs["total"] - 1) / float(calls)))  # - the token task's request
        log("start-up: %-52s %.3fs per call (cpu %.3fs)" % (label, per_call, cpu_per_call))
    return results


def run_scale(runner, venv, n, lifetime):
    """The shared-token design against the real rate limit (100 requests / 10 s): create n, then a no-op re-run."""
    emulator = start_emulator(venv, "emulator-rate-limited", 100, lifetime)
    out = dict(n=n, rate_limit="100 requests / 10 s per client id and API version", runs=[])
    try:
        for scenario in ("create", "no-op"):
            extra = SCENARIO_VARS[scenario]
            emulator.admin.clear_requests()
            log_name = "scale-%d-%s" % (n, scenario.split()[0])
            seconds, cpu, rc, output = runner.run("collection_shared_token.yml", emulator, dict(extra, bench_n=n), log_name, timeout=max(900, 10 * n),
                                                  env=RATE_LIMITED_ENV)
            reqs = count_requests(emulator.admin.requests())
            items = item_counts(output)
            state_ok, why = expected_state(scenario, n, emulator.admin.integrations(), extra["bench_description"])
            floor = reqs["counted"] / 10.0
            # The window slides: request k can go no earlier than 10 s after request k - 100, so the first 100 are free.
            window_floor = max(0, (reqs["counted"] - 1) // 100) * 10.0
            retries = len(re.findall(r"rate limited \(HTTP 429\)", output))
            run = dict(scenario=scenario, seconds=seconds, cpu=cpu, rc=rc, requests=reqs, items=items, floor_seconds=floor, window_floor_seconds=window_floor,
                       retry_warnings=retries,
                       ok=rc == 0 and items["failed_tasks"] == 0 and state_ok, why=why)
            out["runs"].append(run)
            log("scale N=%d %s: %.1fs (floor %.1fs), %d requests, %d x 429, failed tasks %s, %s" % (
                n, scenario, seconds, floor, reqs["total"], reqs["http429"], items["failed_tasks"], "ok" if run["ok"] else "NOT OK: " + why))
    finally:
        emulator.stop()
    return out


# ---- against the engine floor -----------------------------------------------------------------------------

FLOOR_SCENARIOS = ("create", "no-op", "change", "check --diff")
# Issue 14's goals: the most each scenario may cost against the floor.
FLOOR_GOALS = {"create": 1.3, "no-op": 1.15, "change": 1.3, "check --diff": 1.15}
# The loops measured against their own floor: (floor playbook, collection playbook, name prefix, emulator state key, title).
FLOOR_RESOURCES = {
    "sim": ("floor.yml", "collection.yml", "bench-sim-", "integrations", "SIM integrations (sim_integration)"),
    "sdim": ("floor_service_desk.yml", "service_desk.yml", "bench-sdim-", "service_desk_integrations",
             "Service Desk integrations (service_desk_integration)"),
}


def run_floor(runner, emulator, sizes, repeat, resource="sim"):
    """Way (a) against the engine floor (set_fact with the same 8 templated arguments), paired.

    Each cycle starts from an empty emulator and runs create, no-op, change and check --diff; every scenario
    runs the floor and the collection back to back, in an order that alternates, so a pair shares the
    machine's load and the ratio of a pair is what is kept: the table gives the medians of the paired ratios.
    `resource`: a key of FLOOR_RESOURCES (the SIM loop or the Service Desk one).
    """
    floor_playbook, collection_playbook, prefix, state_key, _title = FLOOR_RESOURCES[resource]
    rows = []
    for n in sizes:
        pairs = dict((scenario, []) for scenario in FLOOR_SCENARIOS)
        for cycle in range(repeat):
            emulator.admin.reset()
            previous = None
            for index, scenario in enumerate(FLOOR_SCENARIOS):
                extra, check = SCENARIO_VARS[scenario], scenario in CHECK_SCENARIOS
                pair = {}
                for which in (("floor", "sim") if (index + cycle) % 2 == 0 else ("sim", "floor")):
                    emulator.admin.clear_requests()
                    log_name = "floor-%s-n%d-%s-%s-%d" % (resource, n, which, scenario.split()[0], cycle + 1)
                    playbook = floor_playbook if which == "floor" else collection_playbook
                    emulator_before = process_cpu(emulator.pid)
                    seconds, cpu, rc, output, memory = runner.run(playbook, emulator, dict(extra, bench_n=n), log_name, check=check,
                                                                  timeout=max(300, 20 * n), memory=True)
                    emulator_after = process_cpu(emulator.pid)
                    emulator_cpu = emulator_after - emulator_before if None not in (emulator_before, emulator_after) else None
                    reqs = count_requests(emulator.admin.requests())
                    items = item_counts(output)
                    ok = rc == 0 and items["failed_tasks"] == 0
                    why = "rc=%s" % rc
                    if which == "sim":
                        state_ok, why = expected_state(scenario, n, emulator.admin.state()[state_key], previous, prefix)
                        ok = ok and state_ok
                    pair[which] = dict(seconds=seconds, cpu=cpu, rc=rc, requests=reqs, items=items, memory=memory, ok=ok, why=why, log=log_name,
                                       emulator_cpu=emulator_cpu)
                    log("floor %-4s N=%-3d %-5s %-13s %6.2fs (cpu %5.2fs) peak PSS %6.1f MiB, %4d requests%s" % (
                        resource, n, which, scenario, seconds, cpu, memory["peak_total_kib"] / 1024.0, reqs["total"],
                        "" if ok else "  NOT OK: %s (tests/output/bench/logs/%s.log)" % (why, log_name)))
                pairs[scenario].append(pair)
                if not check:
                    previous = extra["bench_description"]
        for scenario in FLOOR_SCENARIOS:
            runs = pairs[scenario]
            med = statistics.median
            # The emulator answers on the same 2 cores while the worker waits for it: its CPU time is in the collection's
            # wall time, and a real service's would be elsewhere. Shown apart; the goals are judged on the measured ratios.
            ratios = [p["sim"]["seconds"] / p["floor"]["seconds"] for p in runs]
            measured = [p for p in runs if p["sim"]["emulator_cpu"] is not None and p["floor"]["emulator_cpu"] is not None]
            rows.append(dict(
                resource=resource, n=n, scenario=scenario,
                floor_seconds=med(p["floor"]["seconds"] for p in runs), sim_seconds=med(p["sim"]["seconds"] for p in runs),
                ratio=med(ratios), ratio_quartiles=quartiles(ratios),
                cpu_ratio=med(p["sim"]["cpu"] / p["floor"]["cpu"] for p in runs if p["floor"]["cpu"]),
                ms_per_item=med(1000.0 * (p["sim"]["seconds"] - p["floor"]["seconds"]) / n for p in runs),
                cpu_ms_per_item=med(1000.0 * (p["sim"]["cpu"] - p["floor"]["cpu"]) / n for p in runs),
                emulator_ms_per_item=med(1000.0 * p["sim"]["emulator_cpu"] / n for p in measured) if measured else None,
                ratio_less_emulator=med((p["sim"]["seconds"] - p["sim"]["emulator_cpu"]) / (p["floor"]["seconds"] - p["floor"]["emulator_cpu"])
                                        for p in measured) if measured else None,
                floor_peak_kib=med(p["floor"]["memory"]["peak_total_kib"] for p in runs),
                sim_peak_kib=med(p["sim"]["memory"]["peak_total_kib"] for p in runs),
                sim_main_kib=med(p["sim"]["memory"]["peak_main_kib"] for p in runs),
                sim_worker_kib=med(p["sim"]["memory"]["peak_worker_kib"] for p in runs),
                floor_main_kib=med(p["floor"]["memory"]["peak_main_kib"] for p in runs),
                floor_worker_kib=med(p["floor"]["memory"]["peak_worker_kib"] for p in runs),
                kib_per_item=med((p["sim"]["memory"]["peak_total_kib"] - p["floor"]["memory"]["peak_total_kib"]) / float(n) for p in runs),
                requests=runs[-1]["sim"]["requests"], changed=runs[-1]["sim"]["items"]["changed"],
                samples=[dict(floor=round(p["floor"]["seconds"], 3), sim=round(p["sim"]["seconds"], 3)) for p in runs],
                ok=all(p["sim"]["ok"] and p["floor"]["ok"] for p in runs),
                notes=[p["sim"]["why"] for p in runs if not p["sim"]["ok"]]))
    return rows


def quartiles(values):
    """(first, third) quartile of values, or None for fewer than 4: how far the paired ratios spread around their median."""
    if len(values) < 4:
        return None
    q1, _q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q3


def fmt_ratio(ratio, spread):
    return "%.2fx" % ratio if not spread else "%.2fx (%.2f-%.2f)" % (ratio, spread[0], spread[1])


# ---- under the real rate limit ------------------------------------------------------------------------------

def run_rate(runner, venv, n, lifetime, pacing_env=None):
    """n creates against the real limit (100 requests / 10 s per client id and API version), three ways:
    one loop; the loop split over 4 tasks of one play; two concurrent ansible-playbook runs with the same
    client id, n / 2 items each. 429 answers are counted from the emulator's request log."""
    pacing_env = RATE_LIMITED_ENV if pacing_env is None else pacing_env
    emulator = start_emulator(venv, "emulator-rate-limited", 100, lifetime)
    extra = dict(SCENARIO_VARS["create"], bench_n=n)
    half = n // 2
    shapes = (
        ("one loop", [("collection.yml", extra)]),
        ("4 tasks of one play", [("collection_split.yml", extra)]),
        ("2 concurrent runs", [("collection.yml", dict(extra, bench_n=half)), ("collection.yml", dict(extra, bench_first=half + 1))]),
    )
    runs = []
    try:
        for label, plays in shapes:
            emulator.admin.reset()
            time.sleep(10.5)  # the window of the previous run must be empty: reset clears the counters, this makes sure
            emulator.admin.clear_requests()
            start = time.monotonic()
            handles = [runner.start(playbook, emulator, vars_, "rate-%s-%d" % (label.split()[0] + label.split()[1], i), env=pacing_env)
                       for i, (playbook, vars_) in enumerate(plays)]
            finished = [runner.finish(h, timeout=max(900, 10 * n)) for h in handles]
            seconds = time.monotonic() - start
            reqs = count_requests(emulator.admin.requests())
            outputs = [f[2] for f in finished]
            items = [item_counts(o) for o in outputs]
            state_ok, why = expected_state("create", n, emulator.admin.integrations(), None)
            floor = reqs["counted"] / 10.0
            window_floor = max(0, (reqs["counted"] - 1) // 100) * 10.0
            retries = sum(len(re.findall(r"rate limited \(HTTP 429\)", o)) for o in outputs)
            ok = all(f[1] == 0 for f in finished) and all(i["failed_tasks"] == 0 for i in items) and state_ok
            run = dict(shape=label, processes=len(plays), seconds=seconds, requests=reqs, floor_seconds=floor, window_floor_seconds=window_floor,
                       ratio=seconds / floor if floor else None, retry_warnings=retries, ok=ok, why=why,
                       failed_tasks=sum(i["failed_tasks"] or 0 for i in items))
            runs.append(run)
            log("rate N=%d %-20s %.1fs (floor %.1fs, %.3fx), %s, %d x 429, %s" % (
                n, label, seconds, floor, run["ratio"] or 0, fmt_requests(reqs), reqs["http429"], "ok" if ok else "NOT OK: " + why))
    finally:
        emulator.stop()
    return dict(n=n, rate_limit="100 requests / 10 s per client id and API version", runs=runs)


# ---- report -----------------------------------------------------------------------------------------------

def fmt_requests(r):
    parts = ["%d tok" % r["token"]] if r["token"] else []
    parts += ["%d %s" % (r[m], m) for m in METHODS if r[m]]
    return "%d (%s)" % (r["total"], ", ".join(parts)) if parts else "0"


def ratio(x, y):
    return "%.2f" % (float(x) / y) if y else "n/a"


def evaluate_targets(rows, scale):
    by = dict(((r["n"], r["way"], r["scenario"]), r) for r in rows)
    sizes = sorted(set(r["n"] for r in rows))
    targets = []

    def add(name, met, evidence):
        targets.append(dict(target=name, met=bool(met), evidence=evidence))

    noop_a = [by[(n, "a", "no-op")]["requests"] for n in sizes]
    add("no-op by name: at most 2 requests per item (token + list), way (a)",
        all(r["total"] <= 2 * n for r, n in zip(noop_a, sizes)),
        "; ".join("N=%d: %d" % (n, r["total"]) for r, n in zip(noop_a, sizes)))
    noop_b = [by[(n, "b", "no-op")]["requests"] for n in sizes]
    add("no-op by name: 1 request per item with a reused token, way (b) (+1 token for the play)",
        all(r["api"] <= n and r["token"] <= 1 for r, n in zip(noop_b, sizes)),
        "; ".join("N=%d: %d API + %d token" % (n, r["api"], r["token"]) for r, n in zip(noop_b, sizes)))
    for way in ("a", "b"):
        bad, ev = [], []
        for n in sizes:
            noop = by[(n, way, "no-op")]["requests"]
            for scenario in ("create", "change", "delete"):
                r = by[(n, way, scenario)]["requests"]
                extra = r["total"] - noop["total"]
                if r["writes"] != n or extra != n:
                    bad.append("N=%d %s: %d writes, +%d requests" % (n, scenario, r["writes"], extra))
            ev.append("N=%d: change +%d" % (n, by[(n, way, "change")]["requests"]["total"] - noop["total"]))
        add("a change adds exactly one write per item (create, change, delete vs no-op), way (%s)" % way, not bad, "; ".join(bad or ev))
    writes = dict((way, [by[(n, way, "check --diff")]["requests"]["writes"] for n in sizes]) for way in WAY_KEYS)
    add("check mode sends no write", all(w == 0 for ws in writes.values() for w in ws),
        "; ".join("(%s): %s" % (way, "/".join(str(w) for w in ws)) for way, ws in sorted(writes.items())))
    for way in ("a", "b"):
        slower = ["N=%d %s %.1fs vs %.1fs" % (n, s, by[(n, way, s)]["seconds"], by[(n, "c", s)]["seconds"])
                  for n in sizes for s in SCENARIO_NAMES if by[(n, way, s)]["seconds"] >= by[(n, "c", s)]["seconds"]]
        add("collection time below the uri way's in every scenario, way (%s)" % way, not slower,
            ("slower or equal in %d of %d: %s" % (len(slower), len(sizes) * len(SCENARIOS), "; ".join(slower))) if slower else "faster in all")
    add("every scenario run left the expected state, with no failed task", all(r["ok"] for r in rows),
        "; ".join("N=%d %s %s: %s" % (r["n"], r["way"], r["scenario"], r["notes"]) for r in rows if not r["ok"]) or "all")
    if scale:
        add("scale: %d integrations with the real rate limit, no failed task" % scale["n"], all(r["ok"] for r in scale["runs"]),
            "; ".join("%s %.0fs, %d x 429" % (r["scenario"], r["seconds"], r["requests"]["http429"]) for r in scale["runs"]))
    return targets


def floor_report(floor, meta):
    if not floor:
        return []
    md = []
    for resource in FLOOR_RESOURCES:
        rows = [r for r in floor if r.get("resource", "sim") == resource]
        if rows:
            md += floor_table(rows, meta, FLOOR_RESOURCES[resource][4])
    return md


def floor_table(floor, meta, title):
    md = ["", "## Against the engine floor (set_fact with the same 8 templated arguments), way (a): %s" % title, "",
          "Paired runs, the floor and the collection back to back in alternating order; ratio = median of the %d paired ratios. "
          "Load average %s at the start of the benchmark. Per item above the floor: median of (collection - floor) / N. "
          "Peak PSS: the sum over ansible-playbook and its workers, sampled every %.2f s. Emulator CPU: its user + system time "
          "during the collection's run, per item; the ratio less it takes that time out of the collection's wall time (an estimate "
          "of the ratio against an instant service; the goals are judged on the measured ratios). In brackets after a time ratio: "
          "the first and third quartiles of the paired ratios (with 4 pairs or more), how much one pair moves with the machine." % (
              meta["floor_repeat"], meta["load_start"], MemorySampler.INTERVAL),
          "", "| N | scenario | floor s | collection s | time ratio | CPU ratio | emulator CPU ms per item | time ratio less the emulator's CPU "
          "| ms per item above floor | CPU ms per item above floor "
          "| floor peak PSS MiB | collection peak PSS MiB | KiB per item above floor | main / worker peak MiB | requests | changed "
          "| goal | met (time / CPU) |",
          "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---|"]
    for r in floor:
        goal = FLOOR_GOALS[r["scenario"]]
        served = "%.2f" % r["emulator_ms_per_item"] if r.get("emulator_ms_per_item") is not None else "-"
        less = "%.2fx" % r["ratio_less_emulator"] if r.get("ratio_less_emulator") is not None else "-"
        md.append("| %d | %s | %.2f | %.2f | %s | %.2fx | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f / %.0f | %s | %d | %.2fx | %s / %s |" % (
            r["n"], r["scenario"], r["floor_seconds"], r["sim_seconds"], fmt_ratio(r["ratio"], r.get("ratio_quartiles")), r["cpu_ratio"], served, less,
            r["ms_per_item"], r["cpu_ms_per_item"],
            r["floor_peak_kib"] / 1024.0, r["sim_peak_kib"] / 1024.0, r["kib_per_item"], r["sim_main_kib"] / 1024.0, r["sim_worker_kib"] / 1024.0,
            fmt_requests(r["requests"]), r["changed"], goal, "yes" if r["ratio"] <= goal else "**no**", "yes" if r["cpu_ratio"] <= goal else "**no**"))
    sizes = sorted(set(r["n"] for r in floor))
    if len(sizes) > 1:
        by = dict(((r["n"], r["scenario"]), r) for r in floor)
        lo, hi = sizes[0], sizes[-1]
        md += ["", "Growth from N = %d to %d (flat cost per item: the same ms and KiB per item at both sizes; marginal = the extra cost of "
               "the %d more items, per item):" % (lo, hi, hi - lo), "",
               "| scenario | ms per item above floor, N=%d | N=%d | marginal ms per item | marginal KiB per item above floor |" % (lo, hi),
               "|---|---:|---:|---:|---:|"]
        for scenario in FLOOR_SCENARIOS:
            a, b = by[(lo, scenario)], by[(hi, scenario)]
            marginal = ((b["sim_seconds"] - b["floor_seconds"]) - (a["sim_seconds"] - a["floor_seconds"])) * 1000.0 / (hi - lo)
            kib = ((b["sim_peak_kib"] - b["floor_peak_kib"]) - (a["sim_peak_kib"] - a["floor_peak_kib"])) / float(hi - lo)
            md.append("| %s | %.1f | %.1f | %.1f | %.1f |" % (scenario, a["ms_per_item"], b["ms_per_item"], marginal, kib))
    return md


def rate_report(rate):
    if not rate:
        return []
    md = ["", "## %d creates under the real rate limit (%s), way (a)" % (rate["n"], rate["rate_limit"]), "",
          "| run | processes | time s | floor s (counted requests / 10 per s) | time / floor | window floor s | requests | 429 answers "
          "| retry warnings | failed tasks | state |",
          "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|"]
    for r in rate["runs"]:
        md.append("| %s | %d | %.1f | %.1f | %.3f | %.0f | %s | %d | %d | %d | %s |" % (
            r["shape"], r["processes"], r["seconds"], r["floor_seconds"], r["ratio"] or 0, r["window_floor_seconds"], fmt_requests(r["requests"]),
            r["requests"]["http429"], r["retry_warnings"], r["failed_tasks"], "ok" if r["ok"] else r["why"]))
    md += ["", "Time: from the start of the first ansible-playbook to the end of the last, start-up included. The floors count only the "
           "requests the limit let through (not /oauth/token, not the 429s)."]
    return md


def write_report(meta, rows, startup, scale, targets, floor=None, rate=None):
    by = dict(((r["n"], r["way"], r["scenario"]), r) for r in rows)
    sizes = sorted(set(r["n"] for r in rows))
    md = ["# sailpoint.identitynow benchmark", ""]
    md.append("%s, %s, %s core(s), %s, Python %s; load average %s at start, %s at the end. Collection from the %s. Command: `%s`." % (
        meta["date"], meta["machine"], meta["cores"], meta["ansible"], meta["python"], meta["load_start"], meta["load_end"], meta["source"], meta["command"]))
    md.append("")
    md.append("Ways: (a) %s; (b) %s; (c) %s. Emulator on loopback without rate limit (scale run: with it). "
              "Time: wall time of the whole `ansible-playbook` run%s; CPU: user + system time of it and its child processes "
              "(steadier than wall time when other work shares the machine). Requests: as logged by the emulator; `tok` = `/oauth/token`." % (
                  WAY_NAMES["a"], WAY_NAMES["b"], WAY_NAMES["c"], ", median of %d cycles" % meta["repeat"] if meta["repeat"] > 1 else ""))
    if rows:  # not with --only floor,rate
        md += ["", "## Scenarios", "",
               "| N | scenario | (a) time s | (a) requests | (b) time s | (b) requests | (c) uri time s | (c) requests "
               "| time a/c | time b/c | requests a/c | requests b/c | CPU a/c | CPU b/c |",
               "|---:|---|---:|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|"]
        for n in sizes:
            for scenario in SCENARIO_NAMES:
                a, b, c = (by[(n, w, scenario)] for w in "abc")
                md.append("| %d | %s | %.2f | %s | %.2f | %s | %.2f | %s | %s | %s | %s | %s | %s | %s |" % (
                    n, scenario, a["seconds"], fmt_requests(a["requests"]), b["seconds"], fmt_requests(b["requests"]),
                    c["seconds"], fmt_requests(c["requests"]), ratio(a["seconds"], c["seconds"]), ratio(b["seconds"], c["seconds"]),
                    ratio(a["requests"]["total"], c["requests"]["total"]), ratio(b["requests"]["total"], c["requests"]["total"]),
                    ratio(a["cpu"], c["cpu"]), ratio(b["cpu"], c["cpu"])))
        md += ["", "Items reported changed (a / b / c): " + "; ".join(
            "N=%d %s %d/%d/%d" % (n, s, by[(n, "a", s)]["items"]["changed"], by[(n, "b", s)]["items"]["changed"], by[(n, "c", s)]["items"]["changed"])
            for n in sizes for s in ("create", "no-op", "check --diff")) + ". In check mode uri skips its writes, so (c) reports "
            "no change and shows no diff; (a) and (b) report each predicted change with a diff of the changed fields."]
    if startup:
        md += ["", "## Start-up cost of one call", "",
               "%d calls in a loop, minus a playbook that runs only the token task (%.2fs), divided by %d%s." % (
                   startup["calls"], startup["baseline_seconds"], startup["calls"],
                   ", medians of %d runs" % startup["repeat"] if startup["repeat"] > 1 else ""),
               "", "| call | playbook s | per call s | CPU per call s | requests per call |", "|---|---:|---:|---:|---:|"]
        for v in startup["variants"]:
            md.append("| %s | %.2f | %.3f | %.3f | %.1f |" % (v["label"], v["seconds"], v["per_call"], v["cpu_per_call"], v["requests_per_call"]))
    if scale:
        md += ["", "## Scale: %d integrations, way (b), real rate limit (%s)" % (scale["n"], scale["rate_limit"]), "",
               "| run | time s | CPU s | floor s (requests / 10 per s) | window floor s | requests | 429 answers | retry warnings | failed tasks | state |",
               "|---|---:|---:|---:|---:|---|---:|---:|---:|---|"]
        for r in scale["runs"]:
            md.append("| %s | %.1f | %.1f | %.1f | %.0f | %s | %d | %d | %s | %s |" % (
                r["scenario"], r["seconds"], r["cpu"], r["floor_seconds"], r["window_floor_seconds"], fmt_requests(r["requests"]),
                r["requests"]["http429"], r["retry_warnings"], r["items"]["failed_tasks"], "ok" if r["ok"] else r["why"]))
        md += ["", "Requests by method include the ones answered 429; the floors count only those the limit let through. Floor: at the "
               "sustained rate of 10 per second. Window floor: the least the sliding window allows, as the first 100 requests go at once "
               "((requests - 1) // 100 x 10 s); a run of fewer than about 100 requests can beat the first."]
    md += floor_report(floor, meta) + rate_report(rate)
    if targets:
        md += ["", "## Targets", "", "| target | met | evidence |", "|---|---|---|"]
    for t in targets:
        md.append("| %s | %s | %s |" % (t["target"], "met" if t["met"] else "**not met**", t["evidence"]))
    if rows:
        md += ["", "## Every run", "", "| N | way | scenario | time s | CPU s | token | GET | POST | PATCH | DELETE | total | changed items | ok |",
               "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        q = r["requests"]
        md.append("| %d | %s | %s | %.2f | %.2f | %d | %d | %d | %d | %d | %d | %d | %s |" % (
            r["n"], r["way"], r["scenario"], r["seconds"], r["cpu"], q["token"], q["GET"], q["POST"], q["PATCH"], q["DELETE"], q["total"],
            r["items"]["changed"], "ok" if r["ok"] else "NOT OK"))
    (OUT / "results.md").write_text("\n".join(md) + "\n")
    (OUT / "results.json").write_text(json.dumps(dict(meta=meta, scenarios=rows, startup=startup, scale=scale, targets=targets, floor=floor, rate=rate),
                                                 indent=2) + "\n")


# ---- main -------------------------------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated numbers of integrations (default 1,10,50; --quick: 1,10)")
    parser.add_argument("--scale", type=int, help="integrations in the rate-limited scale run, 0 to skip (default 200; --quick: 50)")
    parser.add_argument("--quick", action="store_true", help="a fast check: N = 1,10 and a 50-integration scale run")
    parser.add_argument("--repeat", type=int, default=1, help="cycles per way and N; times are medians (default 1)")
    parser.add_argument("--startup-calls", type=int, default=20, help="calls per start-up measurement, 0 to skip (default 20)")
    parser.add_argument("--venv", help="an existing virtualenv with ansible-core, requests and jsonpatch (e.g. .venv of scripts/demo.sh)")
    parser.add_argument("--ref", help="benchmark the collection as committed at this git revision (default: the working tree)")
    parser.add_argument("--lifetime", type=int, default=2400, help="seconds after which the emulators stop by themselves (default 2400)")
    parser.add_argument("--floor-sizes", default="200,500", help="N of the runs against the engine floor, 0 to skip (default 200,500)")
    parser.add_argument("--floor-repeat", type=int, default=3, help="paired cycles per N against the floor (default 3)")
    parser.add_argument("--floor-resources", default="sim,sdim",
                        help="loops run against their floor: sim (sim_integration), sdim (service_desk_integration) (default sim,sdim)")
    parser.add_argument("--rate", type=int, default=200, help="creates under the real rate limit (one loop, 4 tasks, 2 processes), 0 to skip (default 200)")
    parser.add_argument("--only", help="comma-separated parts to run: startup, scenarios, scale, floor, rate (default all)")
    args = parser.parse_args(argv)
    args.parts = set(p.strip() for p in (args.only or "startup,scenarios,scale,floor,rate").split(",") if p.strip())
    if args.parts - {"startup", "scenarios", "scale", "floor", "rate"}:
        parser.error("--only: startup, scenarios, scale, floor, rate")
    args.floor_sizes = sorted(set(int(x) for x in args.floor_sizes.split(",") if x.strip() and int(x) > 0))
    if args.floor_repeat < 1 or args.floor_repeat > 10:
        parser.error("--floor-repeat: 1 to 10")
    args.floor_resources = [r.strip() for r in args.floor_resources.split(",") if r.strip()]
    if not args.floor_resources or set(args.floor_resources) - set(FLOOR_RESOURCES):
        parser.error("--floor-resources: one or more of %s" % ", ".join(FLOOR_RESOURCES))
    sizes = args.sizes or ("1,10" if args.quick else "1,10,50")
    args.sizes = sorted(set(int(s) for s in sizes.split(",") if s.strip()))
    if not args.sizes or min(args.sizes) < 1 or max(args.sizes) > 500:
        parser.error("--sizes: numbers from 1 to 500")
    if args.scale is None:
        args.scale = 50 if args.quick else 200
    if not 0 <= args.scale <= 1000:
        parser.error("--scale: 0 to 1000")
    if args.repeat < 1 or args.repeat > 10:
        parser.error("--repeat: 1 to 10")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    venv = ensure_venv(args.venv)
    collections = install_collection(args.ref)
    # Byte-compiled once, as Python does on a user's first run: where PYTHONDONTWRITEBYTECODE is set (as on our CI
    # machines), every ansible-playbook run would otherwise compile the collection again (about 0.05 s each).
    subprocess.run([str(venv / "bin" / "python"), "-m", "compileall", "-q", str(collections)], check=True)
    dirty = git("status", "--porcelain", "--", "plugins", "meta") if not args.ref else ""
    source = "commit %s" % (git("rev-parse", "--short", args.ref) or args.ref) if args.ref else "working tree at %s%s" % (
        git("rev-parse", "--short", "HEAD") or "?", " with uncommitted changes in plugins/ or meta/" if dirty else "")
    ansible, python = ansible_version(venv)
    meta = dict(date=datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), machine="%s, %s" % (platform.system(), cpu_model()), cores=os.cpu_count(),
                ansible=ansible, python=python, load_start="%.2f" % os.getloadavg()[0],
                command="python tests/bench/run_bench.py " + " ".join(sys.argv[1:] if argv is None else argv), repeat=args.repeat, sizes=args.sizes,
                source=source)
    log("%s; collection from the %s; sizes %s, scale %s, repeat %d; logs in tests/output/bench/logs" % (
        meta["ansible"], source, args.sizes, args.scale or "skipped", args.repeat))
    runner = Runner(venv, collections)
    meta["floor_repeat"] = args.floor_repeat
    emulators = {}
    startup, rows, floor, scale, rate = None, [], None, None, None
    try:
        for way in WAY_KEYS:  # one per way, without rate limit, so the ways can run interleaved
            emulators[way] = start_emulator(venv, "emulator-%s" % way, 0, args.lifetime)
        log("emulators (no rate limit) at %s" % ", ".join(e.url for e in emulators.values()))
        if "startup" in args.parts and args.startup_calls:
            startup = run_startup(runner, emulators["a"], args.startup_calls, args.repeat)
        if "scenarios" in args.parts:
            rows = run_scenarios(runner, emulators, args.sizes, args.repeat)
        if "floor" in args.parts and args.floor_sizes:
            floor = []
            for resource in args.floor_resources:
                floor += run_floor(runner, emulators["a"], args.floor_sizes, args.floor_repeat, resource)
    finally:
        for emulator in emulators.values():
            emulator.stop()
    if "scale" in args.parts and args.scale:
        scale = run_scale(runner, venv, args.scale, args.lifetime)
    if "rate" in args.parts and args.rate:
        rate = run_rate(runner, venv, args.rate, args.lifetime)
    targets = evaluate_targets(rows, scale) if rows else []
    meta["load_end"] = "%.2f" % os.getloadavg()[0]
    meta["total_seconds"] = round(time.monotonic() - started, 1)
    write_report(meta, rows, startup, scale, targets, floor, rate)
    log("done in %.0fs: tests/output/bench/results.md and results.json" % meta["total_seconds"])
    for t in targets:
        log("%-9s %s" % ("met" if t["met"] else "NOT MET", t["target"]))
    runs_ok = all(r["ok"] for r in rows) and all(r["ok"] for r in floor or []) and all(r["ok"] for r in (rate or {}).get("runs", []))
    return 0 if runs_ok and (not scale or all(r["ok"] for r in scale["runs"])) else 1


if __name__ == "__main__":
    sys.exit(main())
