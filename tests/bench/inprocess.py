# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CPU per loop item of the collection's own code on the in-process path, without Ansible around it.

    python tests/bench/inprocess.py [--n 200] [--repeat 5] [--collections DIR] [--profile change|no-op|check]

Runs what the action plugins run for each loop item (plain arguments, validation, the module's execute(),
masking; one client and one shared list for the loop, as in a worker) N times against the emulator, for
sim_integration and service_desk_integration: change, no-op and check mode. Reports the CPU time of this
process per item (median of --repeat loops), which moves much less with the machine's load than wall time;
the emulator's own time is not in it. --collections: a directory holding ansible_collections/sailpoint/identitynow
(e.g. a `git archive` of another commit) instead of this checkout. --profile SCENARIO: one more loop of that scenario
per module under cProfile, and its functions with the most own time (where the CPU per item goes, deterministically;
a sampling profiler of a whole playbook drops samples when two processes are busy). Needs ansible-core, urllib3 and jsonpatch.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "emulator"))
import harness  # noqa: E402  pylint: disable=wrong-import-position

CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-secret"
COMMON = dict(state="present", cluster="2c9180887de347b1017de8859d160bb1",
              attributes=dict(url="https://bench.service-now.com", authType="Basic", username="svc_sailpoint"))
ARGS = {  # the arguments of playbooks/collection.yml and playbooks/service_desk.yml
    "sim": dict(COMMON, type="ServiceNow Service Desk", sources=["2c9180835d191a86015d28455b4a2329"],
                status_map=dict(requested="Queued", in_process="Queued", closed_complete="Committed", closed_incomplete="Failed",
                                closed_cancelled="Failed", closed_rejected="Failed")),
    "sdim": dict(COMMON, type="ServiceNowSDIM", managed_sources=["2c9180835d191a86015d28455b4a2329"], provisioning_request_expiration=24),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", choices=("change", "no-op", "check"), help="profile one more loop of this scenario per module")
    parser.add_argument("--collections", help="directory holding ansible_collections/sailpoint/identitynow (default: this checkout)")
    args = parser.parse_args()
    if args.collections:
        sys.path.insert(0, args.collections)
    else:
        link = Path(os.environ.get("TMPDIR", "/tmp")) / ("bench-inprocess-%d" % os.getuid()) / "ansible_collections" / "sailpoint"
        link.mkdir(parents=True, exist_ok=True)
        target = link / "identitynow"
        if target.is_symlink() and target.resolve() != ROOT:  # left by another checkout (or a removed worktree)
            target.unlink()
        if not target.exists():
            target.symlink_to(ROOT)
        sys.path.insert(0, str(link.parents[1]))
    from ansible_collections.sailpoint.identitynow.plugins.plugin_utils import _action as action
    from ansible_collections.sailpoint.identitynow.plugins.modules import service_desk_integration, sim_integration

    class Task:
        def __init__(self, task_args, check):
            self.args, self.check_mode, self.diff = task_args, check, check

    class Action(action.SimActionBase):
        def __init__(self, module, task_args, check):  # pylint: disable=super-init-not-called
            self.MODULE, self.MODULE_NAME, self._task = module, module.__name__, Task(task_args, check)

    modules = {"sim": sim_integration, "sdim": service_desk_integration}
    with harness.start(in_process=False, lifetime=900, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, rate_limit=0) as emulator:
        def loop(kind, description, check=False):
            action._CLIENTS.clear()
            action._LISTS.clear()
            started = time.process_time()
            for i in range(1, args.n + 1):
                task_args = dict(ARGS[kind], name="bench-%s-%d" % (kind, i), description=description, base_url=emulator.url,
                                 client_id=CLIENT_ID, client_secret=CLIENT_SECRET, rate_limit=0)
                outcome = Action(modules[kind], task_args, check)._run_here(True)
                if outcome.get("failed"):
                    sys.exit("inprocess: %s failed: %s" % (kind, outcome.get("msg")))
            return (time.process_time() - started) * 1000.0 / args.n

        for kind in ("sim", "sdim"):
            loop(kind, "created")
            times = dict(change=[], noop=[], check=[])
            for cycle in range(args.repeat):
                times["change"].append(loop(kind, "cycle %d" % cycle))
                times["noop"].append(loop(kind, "cycle %d" % cycle))
                times["check"].append(loop(kind, "check %d" % cycle, check=True))
            print("%-4s N=%d: CPU ms per item, median of %d: change %.2f, no-op %.2f, check --diff %.2f" % (
                kind, args.n, args.repeat, statistics.median(times["change"]), statistics.median(times["noop"]), statistics.median(times["check"])))
            if args.profile:
                # change: a new description, so every item is written; no-op: the same one again; check: a preview.
                description, check = {"change": ("profiled", False), "no-op": ("profiled", False), "check": ("previewed", True)}[args.profile]
                if args.profile == "no-op":
                    loop(kind, description)
                profiler = cProfile.Profile()
                profiler.runcall(loop, kind, description, check)
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
                print("%s %s, N=%d, under cProfile (times include its overhead):\n%s" % (kind, args.profile, args.n, out.getvalue()))


if __name__ == "__main__":
    main()
