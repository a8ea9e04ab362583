# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures: the SIM emulator (real HTTP on loopback) and a way to run a module's main()."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import importlib.util
import json
import os
import shutil
import tempfile

import pytest
import requests

from ansible.module_utils import basic
from ansible.module_utils.common.parameters import PASS_VARS
from ansible.module_utils.common.text.converters import to_bytes

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The emulators here have no rate limit, and the tests of every xdist worker share one client id: the
# client's pacing (rate_limit, on by default) would only slow them down. tests/unit/plugins/module_utils/
# test_pacing.py turns it on where it is under test.
os.environ.setdefault("SAIL_RATE_LIMIT", "0")


def _ensure_collection_loader():
    """ansible-test installs Ansible's collection finder; plain pytest (PYTHONPATH=<dir of ansible_collections>) does not."""
    from ansible.utils.collection_loader import AnsibleCollectionConfig
    if AnsibleCollectionConfig.collection_finder is None:
        from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
        _AnsibleCollectionFinder(paths=[os.path.dirname(os.path.dirname(os.path.dirname(ROOT)))])._install()


_ensure_collection_loader()
CLIENT_ID, CLIENT_SECRET = "unit-client", "unit-secret-7f3a9c"


@pytest.fixture(autouse=True)
def _a_run_of_its_own():
    """Each test is an ansible-playbook run of its own: no token an earlier test's action plugin or lookup shared
    (plugins/plugin_utils/_token_share.py keeps them for the life of the process)."""
    from ansible_collections.sailpoint.identitynow.plugins.plugin_utils._token_share import STORE
    if STORE:
        STORE.clear()


RO_ID, RO_SECRET = "unit-readonly", "unit-readonly-secret"


def _load_harness():
    """tests/emulator/harness.py, the one way to start and inspect the emulator (it is not an importable package)."""
    spec = importlib.util.spec_from_file_location("sim_emulator_harness", os.path.join(ROOT, "tests", "emulator", "harness.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


harness = _load_harness()


class EmulatorHandle:
    """Admin view of a running emulator: what it was asked, what it holds, which faults to inject."""

    def __init__(self, running):
        self.running = running
        self.url = running.url
        self.admin = running.admin

    def reset(self):
        self.admin.reset()

    def calls(self):
        return [(c["method"], c["path"]) for c in self.admin.requests()]

    def clear_calls(self):
        self.admin.clear_requests()

    def integrations(self):
        return self.admin.integrations()

    def faults(self, *rules):
        self.admin.add_faults(list(rules))

    def _post(self, path, body):
        # One token per emulator for all the seeding of a worker (a fresh one when a test expired it).
        for fresh in (False, True):
            if fresh or self.url not in _SEED_TOKENS:
                form = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
                _SEED_TOKENS[self.url] = requests.post(self.url + "/oauth/token", data=form, timeout=10).json()["access_token"]
            resp = requests.post(self.url + path, json=body, timeout=10,
                                 headers={"Authorization": "Bearer " + _SEED_TOKENS[self.url], "X-SailPoint-Experimental": "true"})
            if resp.status_code != 401:
                break
        assert resp.status_code == 200, resp.text
        self.clear_calls()
        return resp.json()

    def seed(self, body, version="v2024"):
        """Create an integration through the public API, the way any client would."""
        return self._post("/%s/sim-integrations" % version, body)

    def seed_service_desk(self, body, version="v3"):
        """Create a Service Desk integration through the public API (a ServiceDeskIntegrationDto)."""
        return self._post("/%s/service-desk-integrations" % version, body)

    def service_desks(self):
        """The stored Service Desk integrations, secrets included (out of band)."""
        return self.admin.state()["service_desk_integrations"]


def _start(**kwargs):
    kwargs.setdefault("in_process", True)
    kwargs.setdefault("lifetime", 900)
    return harness.start(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, read_only_clients=["%s:%s" % (RO_ID, RO_SECRET)],
                         rate_limit=0, **kwargs)


# ansible-test runs each unit test in a fork of its own (its ansible_forked pytest plugin), so whatever a test is
# the first to set up (a session fixture, a lazy import, the emulator's parsed OpenAPI files) would be set up again
# in every test's fork. The process that forks (each xdist worker) does that once instead, before the first test:
# it starts the two shared emulators as child processes (an in-process one would lose its server thread in the
# fork; detached, so that its output goes to a file and never fills a pipe) and starts and stops one in-process
# emulator, which leaves the parsed OpenAPI files for start_emulator.
# For the same reason once() keeps a module-scoped result (an ansible-playbook run) in a directory the forks share.
_SHARED = {}
_SEED_TOKENS = {}  # emulator URL -> token for EmulatorHandle's seeding
_ONCE = {}  # "dir": where once() keeps its results, made by the process that forks
SHARED_LIFETIME = 3600  # seconds: longer than ansible-test's timeout for a whole run


def pytest_collection_finish(session):
    if session.items and not session.config.option.collectonly and not _SHARED:
        for name in ("default", "strict"):
            _SHARED[name] = _start(in_process=False, detach=True, lifetime=SHARED_LIFETIME, strict_dto=name == "strict")
        _start().stop()
        _ONCE["dir"] = tempfile.mkdtemp(prefix="sail-once-")


def pytest_sessionfinish(session):
    while _SHARED:
        _SHARED.popitem()[1].stop()
    if "dir" in _ONCE:
        shutil.rmtree(_ONCE.pop("dir"), ignore_errors=True)


def _once(name, compute, isolated=None):
    if isolated is not None:  # an emulator emptied before and after: the tests sharing it see no trace of compute()
        compute = functools.partial(_isolated, isolated, compute)
    if "dir" not in _ONCE:  # no fork to outlive: a module-scoped fixture already runs it once
        return compute()
    path = os.path.join(_ONCE["dir"], name + ".json")
    if not os.path.exists(path):
        result = compute()
        with open(path + ".tmp", "w") as f:
            json.dump(result, f)
        os.replace(path + ".tmp", path)
    with open(path) as f:
        return json.load(f)


def _isolated(emulator, compute):
    emulator.admin.reset()
    try:
        return compute()
    finally:
        emulator.admin.reset()


def _shared(name):
    if name not in _SHARED:  # pytest_collection_finish did not run: in-process, gone with this process (and fork)
        _SHARED[name] = _start(strict_dto=name == "strict")
    return _SHARED[name]


@pytest.fixture(scope="session")
def once():
    """once(name, compute, isolated=emulator): compute()'s JSON result, computed by the first test of this process (or
    of its forks) that asks for name, on that emulator emptied before and after; for the module-scoped fixtures that
    run ansible-playbook."""
    return _once


@pytest.fixture(scope="session")
def _emulator():
    return _shared("default")


@pytest.fixture(scope="session")
def _strict_emulator():
    return _shared("strict")


@pytest.fixture
def start_emulator():
    """Start an extra emulator with its own options (TLS, short tokens); stopped after the test."""
    started = []

    def _start_one(**kwargs):
        running = _start(**kwargs)
        started.append(running)
        return EmulatorHandle(running)

    yield _start_one
    for running in started:
        running.stop()


@pytest.fixture
def emu(_emulator):
    handle = EmulatorHandle(_emulator)
    handle.reset()
    return handle


@pytest.fixture
def strict_emu(_strict_emulator):
    handle = EmulatorHandle(_strict_emulator)
    handle.reset()
    return handle


def _fresh_secret_masker(monkeypatch):
    """ansible-core 2.22 keeps registered secrets in one process-wide masker and reports to the controller only
    those new to it; a real module process starts empty, so each run here starts with an empty one too."""
    try:
        from ansible.module_utils import secrets
        from ansible.module_utils._internal._secrets import SecretMasker
    except ImportError:
        return
    monkeypatch.setattr(secrets, "_secret_masker", SecretMasker())


@pytest.fixture
def run_module(monkeypatch, capsys):
    """Run a module's main() with args; return its JSON result as Ansible would print it (no_log masking included)."""

    def _run(module, args, emulator=None, check_mode=False, diff=False):
        full = dict(args)
        if emulator is not None:
            full.setdefault("base_url", emulator.url)
            full.setdefault("client_id", CLIENT_ID)
            full.setdefault("client_secret", CLIENT_SECRET)
        full["_ansible_check_mode"] = check_mode
        full["_ansible_diff"] = diff
        _fresh_secret_masker(monkeypatch)
        if "inject_invocation" in PASS_VARS:
            full["_ansible_inject_invocation"] = True  # ansible-core 2.22: the worst case, the invocation echoed
        monkeypatch.setattr(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": full})))
        if hasattr(basic, "_ANSIBLE_PROFILE"):
            monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy")
        try:
            from ansible.module_utils import _internal
        except ImportError:
            _internal = None
        if getattr(_internal, "is_controller", None):
            # Once a controller-side plugin was imported (the action plugin tests), ansible-core >= 2.19 would send
            # module warnings to the display instead of the result; a real module process is never in that state.
            monkeypatch.setattr(_internal, "is_controller", False)
        capsys.readouterr()
        with pytest.raises(SystemExit):
            module.main()
        out = capsys.readouterr().out
        result = json.loads(out)
        # ansible-core 2.22 no longer masks module output in the module: it hands the secrets the module
        # registered to the controller, which masks every result with them and never shows this key.
        # Doing the same here gives what the user would see, and a secret the module failed to register stays.
        controller_secrets = set(result.pop("_ansible_new_secrets", None) or ())
        if controller_secrets:
            from ansible_collections.sailpoint.identitynow.plugins.module_utils._module import mask_values
            result = mask_values(result, controller_secrets)
        result["_raw"] = json.dumps(result)
        # ansible-core 2.19 returns warnings as structured summaries, older versions as strings.
        result["warnings"] = [w if isinstance(w, str) else w.get("event", {}).get("msg", "") for w in result.get("warnings", [])]
        return result

    return _run


@pytest.fixture
def waits(monkeypatch):
    """The client's sleeps, recorded instead of slept (the budgets still count them)."""
    slept = []
    from ansible_collections.sailpoint.identitynow.plugins.module_utils import _client as client_mod
    monkeypatch.setattr(client_mod, "_sleep", slept.append)
    return slept


@pytest.fixture
def writes():
    """writes(emu): the requests of the emulator's log that could change something."""
    return lambda emu: [c for c in emu.calls() if c[0] != "GET" and c[1] != "/oauth/token"]
