# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller-side action plugins, over real HTTP against the emulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gc
import multiprocessing

import pytest
from unittest.mock import MagicMock

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.sailpoint.identitynow.plugins.action import sim_before_provisioning_rule as rule_action
from ansible_collections.sailpoint.identitynow.plugins.action import sim_integration as sim_action
from ansible_collections.sailpoint.identitynow.plugins.action import sim_integration_info as info_action
from ansible_collections.sailpoint.identitynow.plugins.plugin_utils import _action as base

P = "/v2024/sim-integrations"
TOKEN = ("POST", "/oauth/token")


@pytest.fixture(autouse=True)
def fresh_caches():
    """A worker process lives for one task; each test is one task."""
    base._CLIENTS.clear()
    base._LISTS.clear()
    yield
    base._CLIENTS.clear()
    base._LISTS.clear()


def make(action_module, args, emu, check_mode=False, diff=False, environment=None, transport="local"):
    task = MagicMock()
    task.args = dict(dict(base_url=emu.url, client_id="unit-client", client_secret="unit-secret-7f3a9c"), **args)
    task.check_mode = check_mode
    task.diff = diff
    task.environment = environment if environment is not None else [{}]
    task.async_val = 0
    connection = MagicMock()
    connection.transport = transport
    connection._shell.tmpdir = None
    action = action_module.ActionModule(task, connection, MagicMock(), DataLoader(), Templar(loader=DataLoader()), MagicMock())
    return action


def run(action_module, args, emu, **kwargs):
    return make(action_module, args, emu, **kwargs).run(task_vars={"ansible_inject_invocation": True})


def test_loop_items_share_one_token_and_one_list(emu):
    for name in ("A", "B", "C"):
        assert run(sim_action, {"name": name, "description": "d"}, emu)["changed"] is True
    assert emu.calls() == [TOKEN, ("GET", P), ("POST", P), ("POST", P), ("POST", P)]
    emu.clear_calls()
    for name in ("A", "B", "C"):
        assert run(sim_action, {"name": name, "description": "d"}, emu)["changed"] is False
    assert emu.calls() == []  # the list was kept in step with the creates


def test_results_match_the_module(emu, run_module):
    from ansible_collections.sailpoint.identitynow.plugins.modules import sim_integration
    args = {"name": "SNOW", "description": "d", "attributes": {"url": "https://x", "password": "Action-Secret-1"},
            "status_map": {"requested": "Queued", "closed_complete": "Committed"}}
    via_action = run(sim_action, args, emu, diff=True)
    emu.reset()
    via_module = run_module(sim_integration, args, emu, diff=True)
    for key in ("changed", "diff", "operations"):
        assert via_action[key] == via_module[key]
    assert set(via_action["record"]) == set(via_module["record"])
    assert "Action-Secret-1" not in str(via_action) and "unit-secret-7f3a9c" not in str(via_action)
    assert via_action["invocation"]["module_args"]["client_secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_check_mode_sends_no_write_and_predicts_later_items(emu):
    results = [run(sim_action, dict(item, name="X"), emu, check_mode=True) for item in ({"description": "one"}, {"description": "two"})]
    assert [r["changed"] for r in results] == [True, True]
    assert results[1]["operations"] == [{"op": "replace", "path": "/description", "value": "two"}]
    assert emu.integrations() == [] and [c for c in emu.calls() if c[0] != "GET" and c != TOKEN] == []


def test_errors_and_bad_input(emu):
    result = run(sim_action, {"name": "x", "sources": {"a": 1}}, emu)
    assert result["failed"] and "sources" in result["msg"]
    result = run(sim_action, {"name": ""}, emu)
    assert result["failed"] and result["option"] == "name"
    result = run(sim_action, {"name": "x", "client_id": "unit-readonly", "client_secret": "unit-readonly-secret"}, emu)
    assert result["failed"] and result["status"] == 403 and "ORG_ADMIN" in result["msg"]
    assert emu.integrations() == []


def test_warnings_are_returned(emu):
    emu.faults({"method": "GET", "path": P, "status": 503})
    result = run(info_action, {}, emu)
    assert result["records"] == [] and any("503" in w for w in result["warnings"])


def test_rule_action(emu):
    emu.seed({"name": "SNOW", "description": "d"})
    result = run(rule_action, {"name": "SNOW", "rule_id": "r1"}, emu)
    assert result["changed"] and emu.integrations()[0]["beforeProvisioningRule"]["id"] == "r1"


# [{}, {...}]: the play sets `environment:` and the task does not (the first, empty level must not hide the second).
@pytest.mark.parametrize("environment,transport", [([{"SAIL_TIMEOUT": "5"}], "local"), ([{}, {"SAIL_TIMEOUT": "5"}], "local"), ([{}], "ssh"),
                                                   (["{{ undefined_var }}"], "local")])
def test_hands_over_to_the_module_when_it_cannot_run_here(emu, environment, transport, monkeypatch):
    action = make(sim_action, {"name": "x"}, emu, environment=environment, transport=transport)
    called = {}

    def fake_execute_module(module_name=None, module_args=None, task_vars=None, wrap_async=False):
        called.update(module_name=module_name, module_args=module_args, wrap_async=wrap_async)
        return {"changed": False, "from": "module"}

    monkeypatch.setattr(action, "_execute_module", fake_execute_module)
    assert action.run(task_vars={})["from"] == "module"
    assert called["module_name"] == "sailpoint.identitynow.sim_integration" and called["module_args"]["name"] == "x"
    assert called["wrap_async"] is False
    assert emu.calls() == []


def test_async_runs_the_module_through_async_wrapper(emu, monkeypatch):
    action = make(sim_action, {"name": "x"}, emu)
    action._task.async_val = 30
    action._connection.has_native_async = False
    called = {}
    monkeypatch.setattr(action, "_execute_module", lambda **kw: called.update(kw) or {"started": 1})
    assert action.run(task_vars={})["started"] == 1
    assert called["wrap_async"] is True and emu.calls() == []


@pytest.mark.parametrize("action_module,args,needle", [
    (sim_action, {"name": "x", "descripton": "typo"}, "Unsupported parameters for (sailpoint.identitynow.sim_integration) module: descripton"),
    (info_action, {"update_method": "put"}, "Unsupported parameters for (sailpoint.identitynow.sim_integration_info) module: update_method"),
    (sim_action, {"name": "x", "before_provisioning_rule": "r1"}, "before_provisioning_rule"),
])
def test_validation_errors_read_as_on_the_module_path(emu, action_module, args, needle):
    result = run(action_module, args, emu)
    assert result["failed"] and needle in result["msg"], result["msg"]
    assert emu.calls() == []


def test_recovery_reads_fresh_state_not_the_shared_list(emu):
    run(sim_action, {"name": "First", "description": "d"}, emu)  # fills the shared list
    emu.faults({"method": "POST", "path": P, "reset": "after"})
    result = run(sim_action, {"name": "Second", "description": "d"}, emu)
    assert result["changed"] and not result.get("failed")
    assert sorted(i["name"] for i in emu.integrations()) == ["First", "Second"]  # no duplicate
    seeded = [i for i in emu.integrations() if i["name"] == "First"][0]
    emu.faults({"method": "PATCH", "path": P + "/" + seeded["id"], "reset": "after"})
    emu.clear_calls()
    result = run(sim_action, {"name": "First", "attributes": {"x": None}, "description": "e"}, emu)
    assert result["changed"] and emu.calls() == [("PATCH", P + "/" + seeded["id"]), ("GET", P + "/" + seeded["id"])]


def test_invocation_follows_inject_invocation_where_the_core_has_it(emu):
    from ansible import constants as C
    from ansible.errors import AnsibleError
    try:
        C.config.get_config_value("INJECT_INVOCATION", variables={})
    except AnsibleError:
        pytest.skip("this ansible-core always returns the invocation")
    result = make(sim_action, {"name": "x"}, emu).run(task_vars={"ansible_inject_invocation": False})
    assert "invocation" not in result and result["changed"]


def _freeze_count_after_sparing(queue):
    base._FROZEN[:] = []
    base._spare_inherited_objects()
    base._spare_inherited_objects()  # once per worker: a second item adds nothing
    queue.put((gc.get_freeze_count(), len(base._FROZEN)))


def test_a_forked_worker_keeps_its_collector_off_inherited_objects():
    """A worker freezes what it inherited (so a full collection copies no shared page); ansible-playbook never does."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    worker = context.Process(target=_freeze_count_after_sparing, args=(queue,))
    worker.start()
    frozen, calls = queue.get(timeout=30)
    worker.join(30)
    assert frozen > 1000 and calls == 1
    before = gc.get_freeze_count()
    base._spare_inherited_objects()  # this process was not forked by multiprocessing
    assert gc.get_freeze_count() == before
