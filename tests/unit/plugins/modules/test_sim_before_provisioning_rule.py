# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.sailpoint.identitynow.plugins.modules import sim_before_provisioning_rule as rule_module

P = "/v2024/sim-integrations"
TOKEN = ("POST", "/oauth/token")
RULE = {"type": "RULE", "id": "r1", "name": "Rule One"}


@pytest.mark.parametrize("has_rule,state,args,check,changed,op", [
    (False, "present", {"rule_id": "r1", "rule_name": "Rule One"}, True, True, "add"),
    (False, "present", {"rule_id": "r1", "rule_name": "Rule One"}, False, True, "add"),
    (True, "present", {"rule_id": "r1"}, False, False, None),
    (True, "present", {"rule_id": "r1", "rule_name": "Rule One"}, True, False, None),
    (True, "present", {"rule_id": "r2"}, True, True, "replace"),
    (True, "present", {"rule_id": "r2"}, False, True, "replace"),
    (True, "absent", {}, True, True, "remove"),
    (True, "absent", {}, False, True, "remove"),
    (False, "absent", {}, False, False, None),
])
def test_rule_table(emu, run_module, has_rule, state, args, check, changed, op):
    seeded = emu.seed(dict({"name": "SNOW", "description": "d"}, **({"beforeProvisioningRule": RULE} if has_rule else {})))
    result = run_module(rule_module, dict(args, name="SNOW", state=state), emu, check_mode=check, diff=True)
    assert result["changed"] is changed, result
    writes = [] if check or not changed else [("PATCH", P + "/" + seeded["id"] + "/beforeProvisioningRule")]
    assert emu.calls() == [TOKEN, ("GET", P)] + writes
    assert [o["op"] for o in result["operations"]] == ([op] if op else [])
    stored = emu.integrations()[0].get("beforeProvisioningRule")
    if check or not changed:
        assert stored == (RULE if has_rule else None)
    elif state == "present":
        assert stored["id"] == args["rule_id"]
        assert result["diff"]["after"]["before_provisioning_rule"]["id"] == args["rule_id"]
    else:
        assert stored is None and result["diff"]["after"] == {}


def test_operations_wrapper_and_v1(emu, run_module):
    seeded = emu.seed({"name": "SNOW", "description": "d"})
    result = run_module(rule_module, {"id": seeded["id"], "rule_id": "r9", "patch_format": "operations", "api_version": "v1"}, emu)
    assert result["changed"] and emu.integrations()[0]["beforeProvisioningRule"]["id"] == "r9"
    assert emu.calls()[-1] == ("PATCH", "/sim-integrations/v1/%s/beforeProvisioningRule" % seeded["id"])


def test_missing_integration(emu, run_module):
    result = run_module(rule_module, {"name": "nope", "rule_id": "r1"}, emu)
    assert result["failed"] and "create it first" in result["msg"]
    assert run_module(rule_module, {"name": "nope", "state": "absent"}, emu)["changed"] is False


def test_rule_id_required_for_present(emu, run_module):
    result = run_module(rule_module, {"name": "SNOW"}, emu)
    assert result["failed"] and "rule_id" in result["msg"]
    assert emu.calls() == []
