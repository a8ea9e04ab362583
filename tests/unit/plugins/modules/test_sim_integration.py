# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sim_integration over real HTTP against the emulator: the requests each case sends, and the end state."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.sailpoint.identitynow.plugins.modules import sim_integration

P = "/v2024/sim-integrations"
TOKEN = ("POST", "/oauth/token")
LIST = ("GET", P)

EXISTING = {
    "name": "SNOW", "description": "old", "type": "ServiceNow Service Desk", "cluster": "c1", "sources": ["s1", "s2"],
    "attributes": {"url": "https://acme.service-now.com", "username": "svc", "password": "Sn0w-Pa55-Existing"},
    "statusMap": {"requested": "Queued", "closed_complete": "Committed"},
}
SAME = {"name": "SNOW", "description": "old", "cluster": "c1", "sources": ["s2", "s1"],
        "attributes": {"url": "https://acme.service-now.com", "password": "Sn0w-Pa55-Existing"},
        "status_map": {"requested": "Queued", "closed_complete": "Committed"}}
CHANGED = dict(SAME, description="new")


def item(doc):
    return P + "/" + doc["id"]


# state, exists, args, check mode -> (changed, calls after the token and the list)
CASES = [
    ("present", False, SAME, True, True, []),
    ("present", False, SAME, False, True, [("POST", P)]),
    ("present", True, SAME, True, False, []),
    ("present", True, SAME, False, False, []),
    ("present", True, CHANGED, True, True, []),
    ("present", True, CHANGED, False, True, [("PATCH", "ITEM")]),
    ("absent", True, {"name": "SNOW"}, True, True, []),
    ("absent", True, {"name": "SNOW"}, False, True, [("DELETE", "ITEM")]),
    ("absent", False, {"name": "SNOW"}, True, False, []),
    ("absent", False, {"name": "SNOW"}, False, False, []),
]


@pytest.mark.parametrize("state,exists,args,check,changed,writes", CASES)
def test_state_exists_check_mode_table(emu, run_module, state, exists, args, check, changed, writes):
    seeded = emu.seed(EXISTING) if exists else None
    before = emu.integrations()
    result = run_module(sim_integration, dict(args, state=state), emu, check_mode=check, diff=True)
    assert result["changed"] is changed, result
    expected = [TOKEN, LIST] + [(m, item(seeded) if p == "ITEM" else p) for m, p in writes]
    assert emu.calls() == expected
    state_after = emu.integrations()
    if check or not changed:
        assert state_after == before
    elif state == "absent":
        assert state_after == [] and result["record"] is None
    else:
        assert len(state_after) == 1 and state_after[0]["description"] == args["description"]
        assert state_after[0]["attributes"]["password"] == "Sn0w-Pa55-Existing"
    if state == "present":
        assert result["record"]["description"] == args["description"]


def test_check_mode_predicts_the_real_run(emu, run_module):
    emu.seed(EXISTING)
    args = dict(CHANGED, attributes={"url": "https://other.service-now.com", "username": None}, sources=["s3"])
    predicted = run_module(sim_integration, args, emu, check_mode=True, diff=True)
    real = run_module(sim_integration, args, emu, diff=True)
    for key in ("changed", "diff", "operations"):
        assert predicted[key] == real[key], key
    drop = ("modified",)
    assert dict((k, v) for k, v in predicted["record"].items() if k not in drop) == dict((k, v) for k, v in real["record"].items() if k not in drop)
    assert real["operations"] == [
        {"op": "replace", "path": "/description", "value": "new"},
        {"op": "replace", "path": "/attributes/url", "value": "https://other.service-now.com"},
        {"op": "remove", "path": "/attributes/username"},
        {"op": "replace", "path": "/sources", "value": ["s3"]},
    ]
    assert real["diff"] == {"before": {"description": "old", "attributes": {"url": "https://acme.service-now.com", "username": "svc"},
                                       "sources": ["s1", "s2"]},
                            "after": {"description": "new", "attributes": {"url": "https://other.service-now.com"}, "sources": ["s3"]}}
    stored = emu.integrations()[0]
    assert stored["attributes"] == {"url": "https://other.service-now.com", "password": "Sn0w-Pa55-Existing"}
    again = run_module(sim_integration, args, emu)
    assert again["changed"] is False and again["operations"] == []


def test_create_then_idempotent_second_run(emu, run_module):
    args = dict(SAME, request={"short_description": "SailPoint Access Request $!plan.arguments.identityRequestId"},
                before_provisioning_rule={"id": "r1", "name": "Rule"})
    first = run_module(sim_integration, args, emu, diff=True)
    assert first["changed"] and first["record"]["id"] and first["record"]["type"] == "ServiceNow Service Desk"
    assert first["diff"]["before"] == {} and first["diff"]["after"]["attributes"]["password"] == "********"
    emu.clear_calls()
    second = run_module(sim_integration, args, emu)
    assert second["changed"] is False
    assert emu.calls() == [TOKEN, LIST]
    stored = emu.integrations()[0]
    assert stored["beforeProvisioningRule"] == {"type": "RULE", "id": "r1", "name": "Rule"}
    assert stored["attributes"]["password"] == "Sn0w-Pa55-Existing"


def test_by_id_reads_one_and_renames(emu, run_module):
    seeded = emu.seed(EXISTING)
    result = run_module(sim_integration, {"id": seeded["id"], "name": "Renamed"}, emu)
    assert result["changed"] and result["operations"] == [{"op": "replace", "path": "/name", "value": "Renamed"}]
    assert emu.calls() == [TOKEN, ("GET", item(seeded)), ("GET", P), ("PATCH", item(seeded))]
    assert emu.integrations()[0]["name"] == "Renamed"


def test_id_and_name_of_different_integrations_fail_without_writes(emu, run_module):
    a = emu.seed(EXISTING)
    emu.seed(dict(EXISTING, name="OTHER"))
    result = run_module(sim_integration, {"id": a["id"], "name": "OTHER", "description": "x"}, emu)
    assert result["failed"] and "belongs to another integration" in result["msg"] and result["option"] == "id"
    assert all(m == "GET" or p == "/oauth/token" for m, p in emu.calls())


def test_unknown_id_present_fails_absent_is_no_change(emu, run_module):
    result = run_module(sim_integration, {"id": "nope", "description": "x"}, emu)
    assert result["failed"] and "no integration has id 'nope'" in result["msg"]
    result = run_module(sim_integration, {"id": "nope", "state": "absent"}, emu)
    assert result["changed"] is False and not result.get("failed")


def test_duplicate_names_are_an_error_never_a_guess(emu, run_module):
    emu.seed(EXISTING)
    # The API refuses duplicate names, so a second one can only appear out of band: the admin API stores it as it is.
    emu.admin.seed(dict(emu.integrations()[0], id="d" * 32))
    result = run_module(sim_integration, {"name": "SNOW", "state": "absent"}, emu)
    assert result["failed"] and "2 integrations are named 'SNOW'" in result["msg"]
    assert len(emu.integrations()) == 2


def test_put_sends_the_whole_object(emu, run_module):
    seeded = emu.seed(EXISTING)
    result = run_module(sim_integration, dict(CHANGED, update_method="put"), emu)
    assert result["changed"]
    assert emu.calls() == [TOKEN, LIST, ("PUT", item(seeded))]
    stored = emu.integrations()[0]
    assert stored["description"] == "new" and stored["statusMap"] == EXISTING["statusMap"] and stored["cluster"] == "c1"
    assert stored["attributes"]["password"] == "Sn0w-Pa55-Existing"  # passed again by the user


def test_operations_wrapper_format(emu, run_module):
    emu.seed(EXISTING)
    result = run_module(sim_integration, dict(CHANGED, patch_format="operations"), emu)
    assert result["changed"] and emu.integrations()[0]["description"] == "new"


def test_write_only_secret_forced_with_always(emu, run_module):
    emu.seed(EXISTING)
    args = {"name": "SNOW", "attributes": {"password": "Rotated-Secret-42"}}
    assert run_module(sim_integration, args, emu)["changed"] is False
    result = run_module(sim_integration, dict(args, update_write_only="always"), emu, diff=True)
    assert result["changed"] and result["operations"] == [{"op": "add", "path": "/attributes/password", "value": "********"}]
    assert "Rotated-Secret-42" not in result["_raw"]
    assert emu.integrations()[0]["attributes"]["password"] == "Rotated-Secret-42"


def test_strict_dto_shape_is_idempotent(strict_emu, run_module):
    args = dict(SAME, request={"description": "SailPoint Access Request"})
    assert run_module(sim_integration, args, strict_emu)["changed"] is True
    second = run_module(sim_integration, args, strict_emu)
    assert second["changed"] is False, second
    assert "status_map" not in second["record"] and second["record"]["sources"] == ["s1", "s2"]
    changed = run_module(sim_integration, dict(args, sources=["s1"], cluster="c2"), strict_emu)
    assert changed["operations"] == [{"op": "replace", "path": "/sources", "value": ["s1"]},
                                     {"op": "replace", "path": "/cluster", "value": "c2"}]
    stored = strict_emu.integrations()[0]
    assert stored["sources"] == ["s1"] and stored["cluster"] == "c2" and stored["statusMap"] == SAME["status_map"]


@pytest.mark.parametrize("version,prefix", [("v1", "/sim-integrations/v1"), ("beta", "/beta/sim-integrations"), ("v2026", "/v2026/sim-integrations")])
def test_api_versions(emu, run_module, version, prefix):
    result = run_module(sim_integration, dict(SAME, api_version=version), emu)
    assert result["changed"]
    assert emu.calls() == [TOKEN, ("GET", prefix), ("POST", prefix)]


@pytest.mark.parametrize("args,option,needle", [
    ({"name": ""}, "name", "must not be empty"),
    ({"name": "x", "status_map": {"requested": "Done", "closed_complete": "Committed"}}, "status_map.requested", "Queued, Committed, Failed"),
    ({"name": "x", "status_map": {"requested": "Queued"}}, "status_map", "Committed"),
    ({"name": "x", "base_url": "https://acme.api.identitynow.com/v2024"}, "base_url", "api_version"),
])
def test_bad_input_names_the_option_and_sends_nothing(emu, run_module, args, option, needle):
    result = run_module(sim_integration, args, emu)
    assert result["failed"] and result["option"] == option and needle in result["msg"]
    assert emu.calls() == []


def test_ansible_type_errors_name_the_option(emu, run_module):
    result = run_module(sim_integration, {"name": "x", "sources": {"a": 1}}, emu)
    assert result["failed"] and "'sources' is of type" in result["msg"] and "convert to list" in result["msg"]
    result = run_module(sim_integration, {"name": "x", "api_version": "v9"}, emu)
    assert result["failed"] and "api_version" in result["msg"] and "v2024" in result["msg"]
    result = run_module(sim_integration, {"name": "x", "before_provisioning_rule": {"name": "no id"}}, emu)
    assert result["failed"] and "id" in result["msg"] and "before_provisioning_rule" in result["msg"]
    assert emu.calls() == []


def test_read_only_client_gets_a_clear_403(emu, run_module):
    result = run_module(sim_integration, dict(SAME, client_id="unit-readonly", client_secret="unit-readonly-secret"), emu)
    assert result["failed"] and result["status"] == 403 and "ORG_ADMIN" in result["msg"] and result["tracking_id"]


def test_put_refuses_to_erase_maps_the_dto_hides(strict_emu, run_module):
    run_module(sim_integration, SAME, strict_emu)
    strict_emu.clear_calls()
    result = run_module(sim_integration, {"name": "SNOW", "description": "other", "update_method": "put"}, strict_emu)
    assert result["failed"] and result["option"] == "update_method" and "put would erase status_map and request" in result["msg"]
    assert [c for c in strict_emu.calls() if c[0] not in ("GET",) and c[1] != "/oauth/token"] == []
    assert strict_emu.integrations()[0]["statusMap"] == SAME["status_map"]
