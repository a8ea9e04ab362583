# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The list shared by the items of a loop: a lookup copies only the record it returns, never the whole list,
and nothing a caller gets is the list's own object; plain values only, in check mode too."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest
from unittest.mock import MagicMock

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.sailpoint.identitynow.plugins.action import sim_integration as sim_action
from ansible_collections.sailpoint.identitynow.plugins.module_utils import _resource as resource_mod
from ansible_collections.sailpoint.identitynow.plugins.module_utils._client import SailPointClient
from ansible_collections.sailpoint.identitynow.plugins.module_utils._service_desk import ServiceDeskIntegrations
from ansible_collections.sailpoint.identitynow.plugins.plugin_utils import _action as base

P = "/v2024/sim-integrations"


@pytest.fixture(autouse=True)
def fresh_caches():
    base._CLIENTS.clear()
    base._LISTS.clear()
    yield
    base._CLIENTS.clear()
    base._LISTS.clear()


def client(emu):
    return SailPointClient(emu.url, client_id="unit-client", client_secret="unit-secret-7f3a9c")


def sims(emu, cache, check_mode=False, cls=resource_mod.SimIntegrations, version="v2024"):
    return cls(client(emu), version, check_mode=check_mode, cache=cache)


def test_a_lookup_hands_out_a_copy_of_one_record_not_the_shared_one(emu):
    for name in ("A", "B"):
        emu.seed({"name": name, "description": "d", "attributes": {"url": "https://x"}})
    cache = {}
    sim = sims(emu, cache)
    found = sim.find(None, "A")
    kept = copy.deepcopy(cache["list"])
    found["description"] = "changed by the caller"
    found["attributes"]["url"] = "https://changed"
    assert cache["list"] == kept
    again = sim.find(None, "A")
    assert again["description"] == "d" and again["attributes"] == {"url": "https://x"}
    assert all(again is not doc and again["attributes"] is not doc.get("attributes") for doc in cache["list"])


def test_list_and_get_hand_out_copies(emu):
    emu.seed({"name": "A", "description": "d", "attributes": {"url": "https://x"}})
    cache = {}
    sim = sims(emu, cache)
    docs = sim.list()
    kept = copy.deepcopy(cache["list"])
    docs[0]["attributes"]["url"] = "https://changed"
    docs.append({"name": "injected"})
    assert cache["list"] == kept
    got = sim.get(kept[0]["id"])
    got["attributes"].clear()
    assert cache["list"] == kept and sim.find(None, "A")["attributes"] == {"url": "https://x"}


def test_a_lookup_does_not_copy_the_whole_list(emu, monkeypatch):
    for index in range(20):
        emu.seed({"name": "N%d" % index, "description": "d"})
    cache = {}
    sim = sims(emu, cache)
    sim.find(None, "N0")  # fills the shared list
    copied = []
    real = resource_mod.json_copy
    monkeypatch.setattr(resource_mod, "json_copy", lambda value: copied.append(value) or real(value))
    assert sim.find(None, "N7")["name"] == "N7"
    assert [c["name"] for c in copied] == ["N7"]  # the record handed out, nothing else
    assert sim.find(None, "missing") is None and len(copied) == 1


def test_the_shared_list_follows_writes_and_stays_unaliased(emu):
    cache = {}
    sim = sims(emu, cache)
    created, _adopted = sim.create({"name": "A", "description": "d", "attributes": {"url": "https://x"}})
    created["attributes"]["url"] = "https://changed"  # the caller's copy
    current = sim.find(None, "A")
    assert current["attributes"] == {"url": "https://x"}
    ops = [{"op": "replace", "path": "/description", "value": "e"}]
    updated = sim.update(current, ops, lambda fresh: ops)
    updated["description"] = "changed by the caller"
    assert sim.find(None, "A")["description"] == "e"
    sim.delete(sim.find(None, "A"))
    assert sim.find(None, "A") is None and cache["list"] == []


def test_check_mode_predictions_stay_in_the_shared_list_unaliased(emu):
    cache = {}
    sim = sims(emu, cache, check_mode=True)
    assert sim.list() == []  # the loop's first item lists
    body = {"name": "P", "description": "d", "attributes": {"url": "https://x"}}
    predicted, _adopted = sim.create(body)
    body["attributes"]["url"] = "https://changed"
    predicted["description"] = "changed by the caller"
    found = sim.find(None, "P")
    assert found["description"] == "d" and found["attributes"] == {"url": "https://x"}
    assert emu.integrations() == []


def test_service_desk_shares_the_same_copy_rules(emu):
    cache = {}
    sd = sims(emu, cache, cls=ServiceDeskIntegrations, version="v3")
    sd.list()
    created, _adopted = sd.create({"name": "SD", "description": "d", "type": "ServiceNowSDIM", "ownerRef": {"type": "IDENTITY", "id": "o1"},
                                   "clusterRef": {"type": "CLUSTER", "id": "c1"}, "attributes": {"url": "https://x"}})
    found = sd.find(None, "SD")
    found["attributes"]["url"] = "https://changed"
    assert sd.find(None, "SD")["attributes"]["url"] == "https://x"


class Tagged(str):
    """Stands in for ansible-core 2.19's tagged str: a str subclass that is slow to copy."""


class TaggedDict(dict):
    pass


def test_plain_rebuilds_subclasses_as_plain_types():
    value = TaggedDict(a=Tagged("x"), b=[Tagged("y"), 3, 1.5, True, None], c=(Tagged("z"),))
    out = base.plain(value)
    assert out == {"a": "x", "b": ["y", 3, 1.5, True, None], "c": ["z"]}
    assert [type(v).__name__ for v in (out, out["a"], out["b"][0], out["c"][0])] == ["dict", "str", "str", "str"]


def test_plain_gives_the_same_text_in_every_loop_item_as_one_object():
    first, second = base.plain({"type": Tagged("ServiceNowSDIM")}), base.plain({"type": Tagged("ServiceNow" + "SDIM")})
    assert first["type"] is second["type"]


def test_check_mode_predictions_in_the_shared_list_hold_plain_values(emu):
    def run(args):
        task = MagicMock()
        task.args = dict(base_url=emu.url, client_id="unit-client", client_secret="unit-secret-7f3a9c", **args)
        task.check_mode, task.diff, task.environment, task.async_val = True, True, [{}], 0
        connection = MagicMock()
        connection.transport = "local"
        connection._shell.tmpdir = None
        action = sim_action.ActionModule(task, connection, MagicMock(), DataLoader(), Templar(loader=DataLoader()), MagicMock())
        return action.run(task_vars={"ansible_inject_invocation": True})

    result = run({"name": Tagged("T"), "description": Tagged("d"), "attributes": TaggedDict(url=Tagged("https://x")),
                  "sources": [Tagged("s1")]})
    assert result["changed"] and not result.get("failed")
    (docs,) = [cache["list"] for cache in base._LISTS.values()]

    def types(value):
        if isinstance(value, dict):
            return set([type(value)]).union(*[types(k) | types(v) for k, v in value.items()])
        if isinstance(value, list):
            return set([type(value)]).union(*[types(v) for v in value])
        return {type(value)}

    assert types(docs) <= {list, dict, str, bool, type(None)}
    assert types(result["invocation"]["module_args"]) <= {list, dict, str, bool, int, type(None)}


def test_a_rename_moves_the_record_in_the_shared_list(emu):
    emu.seed({"name": "Old", "description": "d"})
    cache = {}
    sim = sims(emu, cache)
    current = sim.find(None, "Old")
    ops = [{"op": "replace", "path": "/name", "value": "New"}]
    sim.update(current, ops, lambda fresh: ops)
    assert sim.find(None, "Old") is None and sim.find(None, "New")["id"] == current["id"]
    assert [d["name"] for d in cache["list"]] == ["New"]
    sim.list(fresh=True)  # a fresh list replaces the index too
    assert sim.find(None, "New")["id"] == current["id"] and sim.find(None, "Old") is None
