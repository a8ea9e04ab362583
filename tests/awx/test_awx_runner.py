# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX / Automation Platform path of the collection, end to end, without AWX.

What an AWX job does, and what stands in for each step here:

1. AWX renders the credential's inputs into the job's environment with the credential type's
   ``injectors.env`` templates: a Jinja2 ImmutableSandboxedEnvironment whose namespace holds the
   inputs that are not empty. Here: ``awx_inject()`` on extensions/awx/credential_type_sailpoint.yml.
2. AWX calls ansible-runner with that environment (``envvars``, ``suppress_env_files=True``) to run
   the job template's playbook from the project checkout against the inventory (the Demo Inventory's
   ``localhost`` with ``ansible_connection=local``). Here: ``ansible_runner.run(...)`` with process
   isolation off, on examples/awx_job_template.yml, with the collection on ANSIBLE_COLLECTIONS_PATH.
3. The modules run on localhost and read SAIL_*. Here they talk to the SIM emulator
   (tests/emulator/sim_emulator.py), started on loopback with a lifetime by tests/emulator/harness.py.

Run it (about 10 s):

    python -m pip install -r tests/awx/requirements.txt && python -m pytest tests/awx -q -p no:cacheprovider
"""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
import shutil
import sys
from pathlib import Path

import ansible_runner
import pytest
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "emulator"))
import harness  # noqa: E402  pylint: disable=wrong-import-position

REPO = Path(__file__).resolve().parents[2]
CREDENTIAL_TYPE_FILE = REPO / "extensions" / "awx" / "credential_type_sailpoint.yml"
PLAYBOOK = "examples/awx_job_template.yml"  # relative to the project, as in a job template
OPTIONS = REPO / "plugins" / "module_utils" / "_options.py"

MODULE = "sailpoint.identitynow.sim_integration"
EXPECTED_ENV = {"SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET", "SAIL_API_VERSION"}
CLIENT_ID = "awx-runner-test-client"
# Distinctive, so that a grep finds every copy of it; new for every test session.
CLIENT_SECRET = "awxSecret-%s" % secrets.token_hex(16)
API_VERSION = "v2025"  # not the default: the emulator's request log shows that the injected value is used

# The job template's extra variables (a survey would set them the same way).
EXTRA_VARS = {"sim_name": "AWX job template SIM"}
EXPECTED_DOCUMENT = {
    "name": "AWX job template SIM",
    "description": "Tickets for disconnected applications",
    "cluster": "2c9180887de347b1017de8859d160bb1",
    "sources": ["2c9180835d191a86015d28455b4a2329"],
    "attributes": {"url": "https://acme.service-now.com", "authType": "Basic", "username": "svc_sailpoint"},
    "statusMap": {"requested": "Queued", "in_process": "Queued", "closed_complete": "Committed",
                  "closed_incomplete": "Failed", "closed_cancelled": "Failed", "closed_rejected": "Failed"},
}

# What AWX accepts in a custom credential type (awx/main/fields.py: CredentialTypeInputField's schema in
# the oldest AWX releases still around, and CredentialTypeInjectorField.validate_env_var_allowed).
AWX_FIELD_KEYS = {"id", "label", "type", "help_text", "multiline", "secret", "ask_at_runtime", "choices", "format"}
AWX_ENV_BLOCKLIST = {"VIRTUAL_ENV", "PATH", "PYTHONPATH", "JOB_ID", "INVENTORY_ID", "INVENTORY_SOURCE_ID",
                     "INVENTORY_UPDATE_ID", "AD_HOC_COMMAND_ID", "REST_API_URL", "REST_API_TOKEN", "MAX_EVENT_RES",
                     "CALLBACK_QUEUE", "CALLBACK_CONNECTION", "CACHE", "JOB_CALLBACK_DEBUG", "INVENTORY_HOSTVARS",
                     "AWX_HOST", "PROJECT_REVISION", "SUPERVISOR_CONFIG_PATH"}
HIDDEN_PASSWORD = "*" * 10


def load_credential_type():
    with open(CREDENTIAL_TYPE_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def collection_constants():
    """The API version constants of plugins/module_utils/_options.py, read without importing it."""
    found = {}
    for node in ast.parse(OPTIONS.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("API_VERSIONS", "DEFAULT_API_VERSION", "SERVICE_DESK_API_VERSIONS"):
                found[node.targets[0].id] = ast.literal_eval(node.value)
    return found


def awx_inject(credential_type, inputs):
    """AWX's CredentialType.inject_credential for ``env`` injectors: returns (env, safe_env).

    As in AWX, inputs that are empty are left out of the namespace (so an optional field left empty
    renders as ""), and the "safe" environment AWX stores with the job sees secret fields as asterisks.
    """
    secret_ids = {f["id"] for f in credential_type["inputs"]["fields"] if f.get("secret")}
    namespace = {k: v for k, v in inputs.items() if v}
    safe_namespace = {k: (HIDDEN_PASSWORD if k in secret_ids else v) for k, v in namespace.items()}
    sandbox = ImmutableSandboxedEnvironment()
    env, safe_env = {}, {}
    for name, template in credential_type["injectors"].get("env", {}).items():
        if name in AWX_ENV_BLOCKLIST:
            continue
        env[name] = sandbox.from_string(template).render(**namespace)
        safe_env[name] = sandbox.from_string(template).render(**safe_namespace)
    return env, safe_env


def credential_inputs(base_url, api_version=API_VERSION):
    return {"base_url": base_url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "api_version": api_version}


# ------------------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def emulator():
    """The SIM emulator on loopback (tests/emulator/harness.py). It stops by itself after its lifetime, or at teardown."""
    try:
        running = harness.start(["--host", "127.0.0.1", "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET], lifetime=300)
    except harness.HarnessError as exc:
        pytest.fail(str(exc))
    with running:
        yield running


@pytest.fixture(scope="module")
def collections_path(tmp_path_factory):
    """A collections path holding this checkout as ansible_collections/sailpoint/identitynow."""
    root = tmp_path_factory.mktemp("collections")
    (root / "ansible_collections" / "sailpoint").mkdir(parents=True)
    (root / "ansible_collections" / "sailpoint" / "identitynow").symlink_to(REPO, target_is_directory=True)
    return root


class Job:
    """One ansible-runner run of the job template's playbook, laid out as AWX lays out a job."""

    def __init__(self, private_data_dir, ident, runner, events):
        self.private_data_dir = private_data_dir
        self.ident = ident
        self.runner = runner
        self.events = events
        self.stdout = (Path(runner.config.artifact_dir) / "stdout").read_text(encoding="utf-8")

    def module_events(self, event):
        return [e for e in self.events if e["event"] == event and e.get("event_data", {}).get("task_action") == MODULE]

    def describe(self):
        return "status=%s rc=%s\n%s" % (self.runner.status, self.runner.rc, self.stdout[-4000:])


@pytest.fixture(scope="module")
def run_job(tmp_path_factory, collections_path):
    def run(ident, envvars, verbosity=0):
        pdd = tmp_path_factory.mktemp("job-%s" % ident)
        # The project checkout: the playbook at the path the job template names.
        (pdd / "project" / "examples").mkdir(parents=True)
        shutil.copy(REPO / PLAYBOOK, pdd / "project" / PLAYBOOK)
        # AWX's Demo Inventory: localhost, local connection, the job's own Python.
        (pdd / "inventory").mkdir()
        (pdd / "inventory" / "hosts").write_text(
            'localhost ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"\n')
        env = dict(envvars)
        env.update({
            # The collection under test, and only it (no collections from site-packages).
            "ANSIBLE_COLLECTIONS_PATH": str(collections_path),
            "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "False",
            "ANSIBLE_HOME": str(pdd / "ansible_home"),
            # The ansible-playbook of this Python's environment, as an EE has its own.
            "PATH": os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]),
        })
        with pytest.MonkeyPatch.context() as mp:
            # ansible-runner starts from os.environ: SAIL_* may only come from the credential.
            for name in list(os.environ):
                if name.startswith("SAIL_"):
                    mp.delenv(name)
            runner = ansible_runner.run(
                private_data_dir=str(pdd), ident=ident, playbook=PLAYBOOK, envvars=env, extravars=EXTRA_VARS,
                cmdline="--diff", verbosity=verbosity, process_isolation=False, suppress_env_files=True,
                quiet=True, timeout=120)
        return Job(pdd, ident, runner, list(runner.events))
    return run


@pytest.fixture(scope="module")
def jobs(emulator, run_job):
    """The job template launched twice with the credential's environment, as AWX would."""
    env = awx_inject(load_credential_type(), credential_inputs(emulator.url))[0]
    first = run_job("first", env, verbosity=3)  # -vvv and --diff: the most output a job can have
    state_after_first = emulator.admin.state()
    second = run_job("second", env)
    return dict(first=first, second=second, state_after_first=state_after_first,
                state=emulator.admin.state(), requests=emulator.admin.requests())


# --------------------------------------------------------------------------------- credential type
def test_credential_type_is_what_awx_accepts():
    ct = load_credential_type()
    assert set(ct) == {"name", "description", "kind", "inputs", "injectors"}
    assert ct["kind"] in ("cloud", "net")  # the only kinds a custom credential type may have
    assert set(ct["inputs"]) == {"fields", "required"}
    fields = {f["id"]: f for f in ct["inputs"]["fields"]}
    assert len(fields) == len(ct["inputs"]["fields"]), "field ids must be unique"
    for field in ct["inputs"]["fields"]:
        assert set(field) <= AWX_FIELD_KEYS, field
        assert re.match(r"^[a-zA-Z_]+[a-zA-Z0-9_]*$", field["id"]) and field["id"] != "tower"
        assert field["label"] and field.get("type", "string") in ("string", "boolean")
    assert list(fields) == ["base_url", "client_id", "client_secret", "api_version"]
    assert ct["inputs"]["required"] == ["base_url", "client_id", "client_secret"]
    assert not fields["base_url"].get("secret") and fields["client_secret"].get("secret") is True

    constants = collection_constants()
    # Every version either API serves (v3 only for Service Desk): one credential serves a job that runs both.
    assert fields["api_version"]["choices"] == list(constants["SERVICE_DESK_API_VERSIONS"])
    assert set(constants["API_VERSIONS"]) <= set(fields["api_version"]["choices"])

    assert set(ct["injectors"]) == {"env"}
    assert set(ct["injectors"]["env"]) == EXPECTED_ENV
    # AWX validates each template against every field with StrictUndefined, and refuses some variables.
    example = {name: "EXAMPLE" for name in fields}
    for name, template in ct["injectors"]["env"].items():
        assert not name.startswith("ANSIBLE_") and name not in AWX_ENV_BLOCKLIST
        ImmutableSandboxedEnvironment(undefined=StrictUndefined).from_string(template).render(**example)


def test_injected_environment():
    ct = load_credential_type()
    env, safe_env = awx_inject(ct, credential_inputs("https://acme.api.identitynow.com"))
    assert env == {"SAIL_BASE_URL": "https://acme.api.identitynow.com", "SAIL_CLIENT_ID": CLIENT_ID,
                   "SAIL_CLIENT_SECRET": CLIENT_SECRET, "SAIL_API_VERSION": API_VERSION}
    # What AWX stores with the job (job_env) never holds the secret.
    assert safe_env["SAIL_CLIENT_SECRET"] == HIDDEN_PASSWORD
    assert CLIENT_SECRET not in json.dumps(safe_env)

    # API version left empty: AWX leaves it out of the namespace and injects "", which the modules take as
    # unset (each then calls its own default: SIM and Service Desk differ, so the injector must not choose).
    for empty in ("", None):
        env = awx_inject(ct, credential_inputs("https://acme.api.identitynow.com", api_version=empty))[0]
        assert set(env) == EXPECTED_ENV
        assert env["SAIL_API_VERSION"] == ""


# ------------------------------------------------------------------------------------ job template
def test_first_run_creates_the_integration(jobs):
    job = jobs["first"]
    assert job.runner.status == "successful", job.describe()
    assert job.runner.rc == 0, job.describe()
    ok = job.module_events("runner_on_ok")
    assert len(ok) == 1 and ok[0]["event_data"]["res"]["changed"] is True, job.describe()

    docs = [d for d in jobs["state_after_first"]["integrations"] if d["name"] == EXPECTED_DOCUMENT["name"]]
    assert len(docs) == 1, jobs["state_after_first"]
    for key, value in EXPECTED_DOCUMENT.items():
        assert docs[0].get(key) == value, key
    assert ok[0]["event_data"]["res"]["record"]["id"] == docs[0]["id"]


def test_the_injected_api_version_is_used(jobs):
    sim_paths = {r["path"] for r in jobs["requests"] if "sim-integrations" in r["path"]}
    assert sim_paths and all(p.startswith("/%s/sim-integrations" % API_VERSION) for p in sim_paths), sim_paths


def test_second_run_changes_nothing(jobs):
    job = jobs["second"]
    assert job.runner.status == "successful", job.describe()
    assert job.runner.rc == 0, job.describe()
    ok = job.module_events("runner_on_ok")
    assert len(ok) == 1 and ok[0]["event_data"]["res"]["changed"] is False, job.describe()
    assert not job.runner.stats.get("changed"), job.runner.stats
    assert jobs["state"] == jobs["state_after_first"]


def test_client_secret_stays_out_of_output_and_artifacts(jobs):
    # The checks compute booleans first, so that a failure names where the secret is without printing it.
    needle = CLIENT_SECRET.encode("utf-8")
    for job in (jobs["first"], jobs["second"]):
        leaked_lines = [n for n, line in enumerate(job.stdout.splitlines(), 1) if CLIENT_SECRET in line]
        assert not leaked_lines, "%s: the secret is in stdout, lines %s" % (job.ident, leaked_lines)
        leaked_events = [e.get("counter") for e in job.events if CLIENT_SECRET in json.dumps(e)]
        assert not leaked_events, "%s: the secret is in the events %s" % (job.ident, leaked_events)
        assert list((Path(job.runner.config.artifact_dir) / "job_events").glob("*.json")), "no job events written"
        # Every file of the job's private data dir, artifacts included.
        hits = sorted(str(p.relative_to(job.private_data_dir)) for p in job.private_data_dir.rglob("*")
                      if p.is_file() and not p.is_symlink() and needle in p.read_bytes())
        # ansible-runner itself records the environment it started ansible-playbook with in
        # artifacts/<ident>/command (AWX keeps that file in the job's temporary private data dir and
        # stores only the masked job_env). That one value is the only copy allowed.
        command_file = "artifacts/%s/command" % job.ident
        assert hits in ([], [command_file]), "%s: the secret is in %s" % (job.ident, hits)
        if hits:
            command = json.loads((job.private_data_dir / command_file).read_text(encoding="utf-8"))
            from_env = command["env"].pop("SAIL_CLIENT_SECRET") == CLIENT_SECRET
            elsewhere = CLIENT_SECRET in json.dumps(command)
            assert from_env and not elsewhere, "%s: the secret is in %s outside env.SAIL_CLIENT_SECRET" % (job.ident, command_file)


def test_without_the_credential_the_job_fails_clearly(run_job):
    job = run_job("no-credential", {})
    assert job.runner.status == "failed" and job.runner.rc != 0, job.describe()
    failed = job.module_events("runner_on_failed")
    assert len(failed) == 1, job.describe()
    assert "SAIL_BASE_URL" in failed[0]["event_data"]["res"]["msg"]
