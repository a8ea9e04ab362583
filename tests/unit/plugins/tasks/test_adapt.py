# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client adapts to the live API and never loses data (issue 12, client section): every rule and every
refusal, over real HTTP against the emulator's variant flags, on both code paths where the paths differ."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.sailpoint.identitynow.plugins.module_utils._client import SailPointClient
from ansible_collections.sailpoint.identitynow.plugins.module_utils._resource import SimIntegrations

P = "/v2024/sim-integrations"
SNOW = {"name": "SNOW", "description": "d", "attributes": {"url": "https://a", "username": "svc", "password": "Adapt-Pass-1"}}


def _patches(emu):
    return [c for c in emu.calls() if c[0] == "PATCH"]


def test_auto_sends_the_array_first(start_emulator, path):
    emu = start_emulator(patch_body="array")
    emu.seed(SNOW)
    result = path("sim_integration", {"name": "SNOW", "description": "e"}, emu)
    assert result["changed"] and len(_patches(emu)) == 1 and emu.integrations()[0]["description"] == "e"
    forced = path("sim_integration", {"name": "SNOW", "description": "f", "patch_format": "operations"}, emu)
    assert forced["failed"] and forced["status"] == 400 and emu.integrations()[0]["description"] == "e"


def test_auto_falls_back_to_the_wrapper_once_and_keeps_it(start_emulator, path):
    emu = start_emulator(patch_body="operations")
    emu.seed(SNOW)
    result = path("sim_integration", {"name": "SNOW", "description": "e"}, emu)
    assert result["changed"] and not result.get("failed"), result
    assert len(_patches(emu)) == 2 and emu.integrations()[0]["description"] == "e"


def test_the_choice_is_kept_on_the_client_for_the_run(start_emulator):
    emu = start_emulator(patch_body="operations")
    seeded = emu.seed(SNOW)
    client = SailPointClient(emu.url, client_id="unit-client", client_secret="unit-secret-7f3a9c")
    for description in ("e", "f", "g"):
        sim = SimIntegrations(client, "v2024", patch_format="auto")
        current = sim.get(seeded["id"])
        sim.update(current, [{"op": "replace", "path": "/description", "value": description}], lambda doc: [])
    assert len(_patches(emu)) == 4  # one refusal, then the wrapper straight away
    assert client.adapt["form"] == "operations"


def test_both_refusals_are_reported(emu, path):
    emu.seed(SNOW)
    emu.faults({"method": "PATCH", "status": 400, "times": 2, "body": {"messages": [{"text": "refused"}]}})
    result = path("sim_integration", {"name": "SNOW", "description": "y"}, emu)
    assert result["failed"] and "every form was refused" in result["msg"]
    assert "bare RFC 6902 array" in result["msg"] and "operations" in result["msg"]


def test_replace_only_service_gets_whole_fields_and_no_secret_is_lost(start_emulator, path):
    emu = start_emulator(patch_ops="replace")
    emu.seed(SNOW)
    refused = path("sim_integration", {"name": "SNOW", "attributes": {"username": None}}, emu)
    assert refused["failed"] and refused["option"] == "attributes" and "attributes.password" in refused["msg"]
    assert len(_patches(emu)) == 1 and emu.integrations()[0]["attributes"]["password"] == "Adapt-Pass-1"
    args = {"name": "SNOW", "attributes": {"username": None, "password": "Adapt-Pass-1"}}
    result = path("sim_integration", args, emu)
    assert result["changed"] and not result.get("failed"), result
    assert result["operations"] == [{"op": "replace", "path": "/attributes", "value": {"url": "https://a", "password": "********"}}]
    assert emu.integrations()[0]["attributes"] == {"url": "https://a", "password": "Adapt-Pass-1"}
    assert sum("top-level replace of whole fields" in w for w in result["warnings"]) == 1
    assert path("sim_integration", args, emu)["changed"] is False


def test_top_level_paths_only_with_masked_secrets_names_them(start_emulator, path):
    emu = start_emulator(patch_paths="top", secrets="mask")
    emu.seed(dict(SNOW, attributes=dict(SNOW["attributes"], oauth={"client_id": "c", "client_secret": "Adapt-Nested-2"})))
    refused = path("sim_integration", {"name": "SNOW", "attributes": {"url": "https://b"}}, emu)
    assert refused["failed"] and "attributes.password" in refused["msg"] and "attributes.oauth.client_secret" in refused["msg"]
    assert emu.integrations()[0]["attributes"]["url"] == "https://a"
    args = {"name": "SNOW", "attributes": {"url": "https://b", "password": "Adapt-Pass-1", "oauth": {"client_id": "c", "client_secret": "Adapt-Nested-2"}}}
    result = path("sim_integration", args, emu)
    assert result["changed"] and not result.get("failed"), result
    stored = emu.integrations()[0]["attributes"]
    assert stored["url"] == "https://b" and stored["password"] == "Adapt-Pass-1" and stored["oauth"]["client_secret"] == "Adapt-Nested-2"
    assert "********" not in str(stored)  # a masked value is never sent back


def test_status_map_is_replaced_whole_on_a_top_level_service(start_emulator, path):
    emu = start_emulator(patch_paths="top")
    emu.seed(dict(SNOW, statusMap={"requested": "Queued", "closed_complete": "Committed"}))
    status_map = {"requested": "Failed", "closed_complete": "Committed"}
    result = path("sim_integration", {"name": "SNOW", "status_map": status_map}, emu)
    assert result["changed"] and emu.integrations()[0]["statusMap"] == status_map
    assert result["operations"] == [{"op": "replace", "path": "/statusMap", "value": status_map}]


def test_rule_module_sets_the_rule_with_replace_when_add_is_refused(start_emulator, path):
    emu = start_emulator(patch_ops="replace")
    emu.seed({"name": "SNOW"})
    result = path("sim_before_provisioning_rule", {"name": "SNOW", "rule_id": "r1"}, emu)
    assert result["changed"] and not result.get("failed"), result
    assert emu.integrations()[0]["beforeProvisioningRule"]["id"] == "r1"
    assert result["operations"][0]["op"] == "replace"


def test_rest_status_codes_are_success(start_emulator, path):
    emu = start_emulator(status_codes="rest")
    created = path("sim_integration", SNOW, emu)
    assert created["changed"] and created["record"]["id"] and len(emu.integrations()) == 1
    deleted = path("sim_integration", {"name": "SNOW", "state": "absent"}, emu)
    assert deleted["changed"] and not deleted.get("failed") and emu.integrations() == []


def test_empty_2xx_answer_to_a_patch_is_read_back(emu, path):
    seeded = emu.seed(SNOW)
    emu.faults({"method": "PATCH", "path": P + "/" + seeded["id"], "status": 204, "body": ""})
    result = path("sim_integration", {"name": "SNOW", "description": "e"}, emu)
    assert not result.get("failed") and result["record"]["id"] == seeded["id"]
    assert ("GET", P + "/" + seeded["id"]) in emu.calls()


def test_empty_2xx_answer_to_a_create_that_cannot_be_read_back_fails(emu, path):
    emu.faults({"method": "POST", "path": P, "status": 201, "body": ""})
    result = path("sim_integration", SNOW, emu)
    assert result["failed"] and "empty body" in result["msg"] and "could be read back" in result["msg"]


def test_409_on_a_create_adopts_the_winner(start_emulator, path):
    emu = start_emulator(duplicate_status=409)
    emu.seed(SNOW)
    emu.faults({"method": "GET", "path": P, "status": 200, "body": []})  # the list did not show it yet
    result = path("sim_integration", dict(SNOW, description="mine"), emu)
    assert not result.get("failed") and result["changed"], result
    assert len(emu.integrations()) == 1 and emu.integrations()[0]["description"] == "mine"
    assert any("created concurrently" in w for w in result["warnings"])


@pytest.mark.parametrize("check_mode", [True, False])
def test_check_mode_predicts_the_plan_learned_in_the_run(start_emulator, check_mode):
    emu = start_emulator(patch_ops="replace")
    seeded = emu.seed(SNOW)
    client = SailPointClient(emu.url, client_id="unit-client", client_secret="unit-secret-7f3a9c")
    client.adapt["top_level"] = True  # learned by an earlier loop item

    def whole(doc, ops):
        from ansible_collections.sailpoint.identitynow.plugins.module_utils._plan import top_level
        from ansible_collections.sailpoint.identitynow.plugins.module_utils._resource import apply_operations
        return top_level(doc, apply_operations(doc, ops), ops, {"username": None, "password": "Adapt-Pass-1"})

    sim = SimIntegrations(client, "v2024", check_mode=check_mode)
    sim.update(sim.get(seeded["id"]), [{"op": "remove", "path": "/attributes/username"}], lambda doc: [], whole=whole)
    assert sim.operations == [{"op": "replace", "path": "/attributes", "value": {"url": "https://a", "password": "Adapt-Pass-1"}}]
    assert len(_patches(emu)) == (0 if check_mode else 1)


def test_a_403_for_missing_rights_is_still_reported_as_such(emu, path):
    emu.seed(SNOW)
    ro = {"client_id": "unit-readonly", "client_secret": "unit-readonly-secret"}
    refused = path("sim_integration", dict(ro, name="SNOW", attributes={"username": None}), emu)
    assert refused["failed"] and "ORG_ADMIN" in refused["msg"] and "HTTP 403" in refused["msg"]
    passed = path("sim_integration", dict(ro, name="SNOW", attributes={"username": None, "password": "Adapt-Pass-1"}), emu)
    assert passed["failed"] and passed["status"] == 403 and "ORG_ADMIN" in passed["msg"]
    assert emu.integrations()[0]["attributes"]["username"] == "svc"
