# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules as real module processes (the path AWX and every non-local connection take), run by
ansible-playbook against the emulator, with syslog captured: what the module logged must hold no secret.

Runs on whatever ansible-core the unit tests run on; CI runs them on every supported core.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys
import textwrap

import pytest

import ansible

from ansible_collections.sailpoint.identitynow.plugins.modules import sim_integration

# The directory that holds ansible_collections/, as the tests import the collection from it.
COLLECTIONS = os.path.abspath(os.path.join(os.path.dirname(sim_integration.__file__), *[".."] * 5))

# A stand-in for the stdlib syslog module, first on the module process's PYTHONPATH: it writes what
# AnsibleModule.log() sends to syslog into a file, so the test reads exactly what would reach syslog.
SYSLOG_SHIM = textwrap.dedent('''
    import os
    def __getattr__(name):  # LOG_USER, LOG_INFO, LOG_NOTICE...
        if name.startswith("LOG_"):
            return 0
        raise AttributeError(name)
    def openlog(*args, **kwargs):
        pass
    def closelog():
        pass
    def syslog(*args):
        with open(os.environ["SYSLOG_CAPTURE"], "a") as f:
            f.write(str(args[-1]) + "\\n")
''')

# Writes each task result as the stdout callback would show it, one JSON line per task (the json callback
# is not in ansible-core).
RESULTS_CALLBACK = textwrap.dedent('''
    import json, os
    from ansible.plugins.callback import CallbackBase
    class CallbackModule(CallbackBase):
        CALLBACK_VERSION = 2.0
        CALLBACK_TYPE = "aggregate"
        CALLBACK_NAME = "results_file"
        CALLBACK_NEEDS_ENABLED = False
        def _write(self, result, failed):
            shown = dict(json.loads(self._dump_results(result._result)), failed=failed)
            with open(os.environ["RESULTS_FILE"], "a") as f:
                f.write(json.dumps({"task": result._task.get_name(), "result": shown}) + "\\n")
        def v2_runner_on_ok(self, result):
            self._write(result, False)
        def v2_runner_on_failed(self, result, ignore_errors=False):
            self._write(result, True)
''')

PASSWORD, NESTED, LISTED, CLIENT_SECRET = "Pw-Syslog-5k2Q", "Nested-Syslog-8mR4", "Listed-Syslog-2zT7", "unit-secret-7f3a9c"

PLAYBOOK = textwrap.dedent('''
    - hosts: localhost
      gather_facts: false
      module_defaults:
        group/sailpoint.identitynow.sim:
          base_url: "{{ url }}"
          client_id: unit-client
          client_secret: "%(client_secret)s"
      tasks:
        - name: module process (a task environment hands over to the module)
          sailpoint.identitynow.sim_integration:
            name: Syslog
            attributes: {url: "https://acme.service-now.com", password: "%(password)s", oauth: {client_secret: "%(nested)s"}}
          environment: {SAIL_TIMEOUT: "30"}
        - name: async
          sailpoint.identitynow.sim_integration:
            name: Syslog async
            attributes: {password: "%(password)s", oauth: {client_secret: "%(nested)s"}}
          async: 60
          poll: 1
        - name: validation fails as a module process
          sailpoint.identitynow.sim_integration:
            name: Syslog
            descripton: typo
            attributes: {password: "%(password)s", oauth: {client_secret: "%(nested)s"}, apiKeys: ["%(listed)s"]}
          environment: {SAIL_TIMEOUT: "30"}
          ignore_errors: true
        - name: validation fails in the worker
          sailpoint.identitynow.sim_integration:
            name: Syslog
            descripton: typo
            attributes: {password: "%(password)s", oauth: {client_secret: "%(nested)s"}}
          ignore_errors: true
''') % dict(password=PASSWORD, nested=NESTED, listed=LISTED, client_secret=CLIENT_SECRET)


def play(tmp, playbook, url, tasks, inventory="localhost,", args=()):
    """Run playbook with ansible-playbook (module processes possible), syslog captured: its output, one result per
    task (and host) as the stdout callback shows it, and what reached syslog. Shared with test_service_desk_process.py
    and test_token_share.py; `args` are more ansible-playbook arguments (--forks)."""
    (tmp / "shim").mkdir()
    (tmp / "shim" / "syslog.py").write_text(SYSLOG_SHIM)
    (tmp / "callbacks").mkdir()
    (tmp / "callbacks" / "results_file.py").write_text(RESULTS_CALLBACK)
    (tmp / "play.yml").write_text(playbook)
    capture = tmp / "syslog.log"
    capture.write_text("")
    # the shim first, then where this process imports ansible from (ansible-test puts it on sys.path, not in the environment)
    pythonpath = os.pathsep.join(p for p in (str(tmp / "shim"), os.path.dirname(os.path.dirname(ansible.__file__)),
                                             os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=pythonpath, SYSLOG_CAPTURE=str(capture), ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
               ANSIBLE_CALLBACK_PLUGINS=str(tmp / "callbacks"), RESULTS_FILE=str(tmp / "results.jsonl"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false", ANSIBLE_HOME=str(tmp / "home"),
               # one async dir for async_wrapper and async_status, whatever HOME and the passwd entry say
               ANSIBLE_ASYNC_DIR=str(tmp / "async"))
    for name in ("SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET", "SAIL_ACCESS_TOKEN", "SAIL_API_VERSION"):
        env.pop(name, None)
    proc = subprocess.run([sys.executable, "-m", "ansible.cli.playbook", "-vvv", "--diff", "-i", inventory, "-c", "local", *args,
                           "-e", "ansible_python_interpreter=" + sys.executable, "-e", "url=" + url, str(tmp / "play.yml")],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300, check=False)
    out = proc.stdout.decode("utf-8", "replace")
    assert proc.returncode == 0, out[-3000:]
    lines = (tmp / "results.jsonl").read_text()
    results = [json.loads(line)["result"] for line in lines.splitlines()]
    assert len(results) == tasks, lines
    return dict(out=out + lines, results=results, syslog=capture.read_text())


@pytest.fixture(scope="module")
def played(tmp_path_factory, _emulator, once):
    return once("module_process", lambda: play(tmp_path_factory.mktemp("module_process"), PLAYBOOK, _emulator.url, tasks=4),
                isolated=_emulator)


def test_a_module_process_logs_its_invocation_without_secrets(played):
    # The capture must hold the invocations (else the shim caught nothing and the test proves nothing)...
    assert played["syslog"].count("Invoked with") >= 2, played["syslog"]
    assert "Syslog" in played["syslog"] and "acme.service-now.com" in played["syslog"]
    # ...and none of the secrets, nested or not.
    for secret in (PASSWORD, NESTED, LISTED, CLIENT_SECRET):
        assert secret not in played["syslog"]


def test_no_secret_in_any_output(played):
    for secret in (PASSWORD, NESTED, LISTED, CLIENT_SECRET):
        assert secret not in played["out"]


def test_module_process_and_async_do_the_work(played, _emulator):
    created, in_async = played["results"][0], played["results"][1]
    assert created["changed"] is True and created["record"]["name"] == "Syslog"
    assert in_async["failed"] is False and in_async["changed"] is True, in_async
    assert in_async["record"]["name"] == "Syslog async"


def test_validation_failure_names_the_option_on_both_paths(played):
    module_path, worker = played["results"][2], played["results"][3]
    for result in (module_path, worker):
        assert result["failed"], result
        expected = "Unsupported parameters for (sailpoint.identitynow.sim_integration) module: descripton."
        assert result["msg"].startswith(expected), result["msg"]
