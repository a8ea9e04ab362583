# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Round trip info -> sim_integration and values the API does not return (issue 11, defects 6, 7, 8 and 9),
on both code paths over real HTTP."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

P = "/v2024/sim-integrations"
FULL = {"name": "Full", "description": "d", "type": "ServiceNow Service Desk", "cluster": "c1", "sources": ["s2", "s1"],
        "attributes": {"url": "https://acme.service-now.com", "username": "svc", "password": "Rt-Pass-1111",
                       "oauth": {"client_id": "c", "client_secret": "Rt-Nested-2222"}},
        "statusMap": {"requested": "Queued", "closed_complete": "Committed"}, "request": {"description": "x"},
        "beforeProvisioningRule": {"type": "RULE", "id": "r1", "name": "Rule"}}
SHAPES = [
    ("full", FULL),
    ("empty status map", {"name": "Empty maps", "statusMap": {}, "request": {}}),
    ("minimal", {"name": "Minimal"}),
    ("blank description", {"name": "Blank", "description": "", "attributes": {}}),
]


@pytest.mark.parametrize("shape", ["plain", "strict"])
@pytest.mark.parametrize("case,seed", SHAPES, ids=[s[0] for s in SHAPES])
def test_every_info_record_reapplies_as_a_no_op(emu, strict_emu, path, writes, shape, case, seed):
    server = emu if shape == "plain" else strict_emu
    server.seed(seed)
    records = path("sim_integration_info", {"name": seed["name"]}, server)["records"]
    assert len(records) == 1 and "created" in records[0] and "modified" in records[0]
    server.clear_calls()
    result = path("sim_integration", records[0], server, diff=True)
    assert not result.get("failed"), result
    assert result["changed"] is False and result["operations"] == [], (case, result["operations"])
    assert writes(server) == []
    assert not any("not compared or sent" in w for w in result["warnings"])  # nothing was asked of the hidden maps


def test_put_refuses_to_erase_a_password_the_task_does_not_pass(emu, path, writes):
    emu.seed(FULL)
    result = path("sim_integration", {"name": "Full", "description": "other", "update_method": "put"}, emu)
    assert result["failed"] and result["option"] == "update_method"
    assert "password-like attributes" in result["msg"] and "attributes.password" in result["msg"] and "update_method=patch" in result["msg"]
    assert writes(emu) == [] and emu.integrations()[0]["attributes"]["password"] == "Rt-Pass-1111"


def test_put_goes_ahead_when_the_task_passes_the_secrets(emu, path):
    emu.seed(FULL)
    args = {"name": "Full", "description": "other", "update_method": "put",
            "attributes": {"password": "Rt-Pass-1111", "oauth": {"client_id": "c", "client_secret": "Rt-Nested-2222"}}}
    result = path("sim_integration", args, emu)
    assert result["changed"] and not result.get("failed"), result
    stored = emu.integrations()[0]
    assert stored["description"] == "other" and stored["attributes"]["password"] == "Rt-Pass-1111"
    assert stored["attributes"]["oauth"]["client_secret"] == "Rt-Nested-2222" and stored["statusMap"] == FULL["statusMap"]


def test_put_with_a_null_secret_says_the_integration_holds_none(emu, path):
    emu.seed(FULL)
    result = path("sim_integration", {"name": "Full", "description": "other", "update_method": "put", "attributes": {"password": None}}, emu)
    assert result["changed"] and "password" not in emu.integrations()[0]["attributes"]


@pytest.mark.parametrize("write_only", ["on_create", "always"])
def test_null_removes_a_hidden_secret(emu, path, write_only):
    emu.seed(FULL)
    args = {"name": "Full", "attributes": {"password": None}, "update_write_only": write_only}
    predicted = path("sim_integration", args, emu, check_mode=True, diff=True)
    assert predicted["changed"] and emu.integrations()[0]["attributes"]["password"] == "Rt-Pass-1111"
    result = path("sim_integration", args, emu, diff=True)
    assert result["changed"] and "password" not in emu.integrations()[0]["attributes"]
    assert result["operations"] == [{"op": "add", "path": "/attributes/password", "value": "********"},
                                    {"op": "remove", "path": "/attributes/password"}]
    assert result["diff"] == predicted["diff"] == {"before": {"attributes": {"password": "********"}}, "after": {"attributes": {}}}
    assert emu.integrations()[0]["attributes"]["username"] == "svc"  # nothing else touched
    again = path("sim_integration", args, emu)  # documented: cannot be seen, so it is sent again
    assert again["changed"] and not again.get("failed")


@pytest.mark.parametrize("option,value", [("status_map", {"requested": "Failed", "closed_complete": "Committed"}),
                                          ("request", {"description": "changed"})])
def test_plain_dto_map_change_is_not_silently_ignored(strict_emu, path, writes, option, value):
    strict_emu.seed(FULL)
    result = path("sim_integration", {"name": "Full", option: value}, strict_emu)
    assert result["changed"] is False and writes(strict_emu) == []
    assert any("%s not compared or sent" % option in w and "update_write_only=always" in w for w in result["warnings"]), result["warnings"]
    forced = path("sim_integration", {"name": "Full", option: value, "update_write_only": "always"}, strict_emu)
    assert forced["changed"] and strict_emu.integrations()[0]["statusMap" if option == "status_map" else "request"] == value
    assert not any("not compared or sent" in w for w in forced["warnings"])
