# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input x option: each refused before any request, in check mode exactly as for real, naming the option
and the fix, on both code paths (issue 11, defects 10 and 11)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

# (module, args, option named, words of the fix)
BAD = [
    ("sim_integration", {"attributes": {"timeout": 1.5}}, "attributes.timeout", "quote it"),
    ("sim_integration", {"attributes": {"a": {"b": 2.5}}}, "attributes.a.b", "decimal"),
    ("sim_integration", {"attributes": {"hosts": ["h1", None]}}, "attributes.hosts[1]", "remove the item"),
    ("sim_integration", {"attributes": {"a": [{"b": None}]}}, "attributes.a[0].b", "leave the key out"),
    ("sim_integration", {"attributes": {"a": {"b": None}}}, "attributes.a.b", "leave the key out"),
    ("sim_integration", {"attributes": {" ": "x"}}, "attributes", "empty key"),
    ("sim_integration", {"request": {"description": None}}, "request.description", "leave the key out"),
    ("sim_integration", {"request": {"description": 5}}, "request.description", "string"),
    ("sim_integration", {"request": {"description": ["a", None]}}, "request.description[1]", "remove the item"),
    ("sim_integration", {"status_map": {"requested": 1.5, "closed_complete": "Committed"}}, "status_map.requested", "decimal"),
    ("sim_integration", {"status_map": {"requested": None, "closed_complete": "Committed"}}, "status_map.requested", "leave the key out"),
    ("sim_integration", {"sources": ["s1", ""]}, "sources[1]", "remove the empty entry"),
    ("sim_integration", {"sources": ["   "]}, "sources[0]", "remove the empty entry"),
    ("sim_integration", {"before_provisioning_rule": {"id": ""}}, "before_provisioning_rule.id", "rule's ID"),
    ("sim_integration", {"before_provisioning_rule": {"id": "  "}}, "before_provisioning_rule.id", "rule's ID"),
    ("sim_integration", {"before_provisioning_rule": {"id": "r1", "name": ""}}, "before_provisioning_rule.name", "leave it out"),
    ("sim_integration", {"before_provisioning_rule": {"id": "r1", "type": "BOGUS"}}, "before_provisioning_rule.type", "use RULE"),
    ("sim_integration", {"before_provisioning_rule": {"id": "r1", "type": "rule"}}, "before_provisioning_rule.type", "use RULE"),
    ("sim_integration", {"type": ""}, "type", "leave type out"),
    ("sim_integration", {"type": "  "}, "type", "leave type out"),
    ("sim_integration", {"cluster": ""}, "cluster", "leave cluster out"),
    ("sim_before_provisioning_rule", {"rule_id": ""}, "rule_id", "must not be empty"),
    ("sim_before_provisioning_rule", {"rule_id": "r1", "rule_name": " "}, "rule_name", "must not be empty"),
    ("sim_before_provisioning_rule", {"rule_id": "r1", "rule_type": "BOGUS"}, "rule_type", "use RULE"),
]
IDS = ["%s-%s" % (m.rsplit("_", maxsplit=1)[-1], option) for m, _a, option, _n in BAD]


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "real"])
@pytest.mark.parametrize("module,args,option,fix", BAD, ids=IDS)
def test_bad_input_refused_before_any_request(emu, path, module, args, option, fix, check_mode):
    emu.seed({"name": "SNOW", "description": "d"})
    result = path(module, dict(args, name="SNOW"), emu, check_mode=check_mode)
    assert result.get("failed"), result
    assert result["option"] == option, result["msg"]
    assert result["msg"].startswith(option + ":") and fix in result["msg"], result["msg"]
    assert emu.calls() == []  # not even a token: refused before any request


def test_good_values_next_to_the_bad_ones_still_work(emu, path):
    """The checks refuse only what the API refuses: integers, booleans, nested objects and top-level nulls pass."""
    args = {"name": "SNOW", "attributes": {"port": 443, "verify": True, "opts": {"a": [1, "b", {"c": False}]}, "gone": None},
            "sources": ["s1"], "status_map": {}, "request": {"description": "x"},
            "before_provisioning_rule": {"id": "r1", "type": "RULE"}}
    first = path("sim_integration", args, emu)
    assert first["changed"] and not first.get("failed"), first
    assert path("sim_integration", args, emu)["changed"] is False
