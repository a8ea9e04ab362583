# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input x option: each refused before any request, in check mode exactly as for real, naming the option
and the fix, on both code paths (issue 11, defects 10 and 11; the Service Desk modules of issue 13).

Decisions for the Service Desk (SDIM) modules, consistent with SIM:
- service_desk_integration takes the same attribute checks as sim_integration (no decimals, no null inside a list
  or nested object, no empty key), blank owner, cluster, type and managed_sources entries, and a blank rule id.
- before_provisioning_rule has no `type` there: the SDIM DTO's rule type is RULE only, so a `type` is an
  unsupported parameter, refused by the argument spec like an unserved api_version or a non-integer
  provisioning_request_expiration (ansible-core's message names the option and what it takes).
- provisioning_request_expiration: true was taken as an int (bool is one) and sent as a boolean, which the API
  refuses with a 400 in the real run only: now refused before any request. A plan_initializer_script that is
  not a string was sent as its Python repr: now refused. A blank script stays allowed (it clears the script).
- service_desk_status_check: the interval and days must be whole numbers of 1 or more (a string of digits too).
- The info modules escape quotes and backslashes in the server filter, so a name with a double quote is a
  value, not bad input: test_a_filter_value_cannot_break_the_filter_syntax shows it selects exactly that name.
"""

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

    ("service_desk_integration", {"attributes": {"timeout": 1.5}}, "attributes.timeout", "quote it"),
    ("service_desk_integration", {"attributes": {"a": {"b": 2.5}}}, "attributes.a.b", "decimal"),
    ("service_desk_integration", {"attributes": {"hosts": ["h1", None]}}, "attributes.hosts[1]", "remove the item"),
    ("service_desk_integration", {"attributes": {"a": [{"b": None}]}}, "attributes.a[0].b", "leave the key out"),
    ("service_desk_integration", {"attributes": {"a": {"b": None}}}, "attributes.a.b", "leave the key out"),
    ("service_desk_integration", {"attributes": {"": "x"}}, "attributes", "empty key"),
    ("service_desk_integration", {"attributes": {"a": {" ": "x"}}}, "attributes.a", "empty key"),
    ("service_desk_integration", {"name": " "}, "name", "must not be empty"),
    ("service_desk_integration", {"id": ""}, "id", "must not be empty"),
    ("service_desk_integration", {"owner": ""}, "owner", "leave owner out"),
    ("service_desk_integration", {"owner": "  "}, "owner", "leave owner out"),
    ("service_desk_integration", {"cluster": ""}, "cluster", "leave cluster out"),
    ("service_desk_integration", {"cluster": " "}, "cluster", "leave cluster out"),
    ("service_desk_integration", {"managed_sources": ["s1", ""]}, "managed_sources[1]", "remove the empty entry"),
    ("service_desk_integration", {"managed_sources": ["  "]}, "managed_sources[0]", "remove the empty entry"),
    ("service_desk_integration", {"before_provisioning_rule": {"id": ""}}, "before_provisioning_rule.id", "rule's ID"),
    ("service_desk_integration", {"before_provisioning_rule": {"id": "  "}}, "before_provisioning_rule.id", "rule's ID"),
    ("service_desk_integration", {"before_provisioning_rule": {"id": "r1", "name": ""}}, "before_provisioning_rule.name", "leave it out"),
    ("service_desk_integration", {"plan_initializer_script": {"a": 1}}, "plan_initializer_script", "block scalar"),
    ("service_desk_integration", {"plan_initializer_script": ["<Rule/>"]}, "plan_initializer_script", "must be a string"),
    ("service_desk_integration", {"plan_initializer_script": 5}, "plan_initializer_script", "quote it"),
    ("service_desk_integration", {"provisioning_request_expiration": -1}, "provisioning_request_expiration", "from 0 to"),
    ("service_desk_integration", {"provisioning_request_expiration": 2147483648}, "provisioning_request_expiration", "from 0 to"),
    ("service_desk_integration", {"provisioning_request_expiration": True}, "provisioning_request_expiration", "whole number"),
    ("service_desk_integration", {"type": ""}, "type", "leave type out"),
    ("service_desk_integration", {"type": "  "}, "type", "leave type out"),
    ("service_desk_integration_info", {"name": " "}, "name", "leave it out"),
    ("service_desk_integration_info", {"type": ""}, "type", "leave it out"),
    ("service_desk_integration_info", {"cluster": " "}, "cluster", "leave it out"),
    ("service_desk_integration_info", {"id": ""}, "id", "leave it out"),
    ("service_desk_template_info", {"script_name": " "}, "script_name", "leave it out"),
]
STATUS_OPTIONS = ("provisioning_status_check_interval_minutes", "provisioning_max_status_check_days")
BAD += [("service_desk_status_check", {option: value}, option, "whole number of 1 or more")
        for option in STATUS_OPTIONS for value in ("abc", -1, 0, "0", "1.5", 2.5, True, "", [30])]

# Refused by the argument spec (ansible-core's own message, which names the option and what it takes): no `option` key.
SPEC_BAD = [
    ("sim_integration", {"api_version": "v3"}, "api_version", "must be one of: beta, v2024"),
    ("service_desk_integration", {"api_version": "v2023"}, "api_version", "must be one of: v3, beta"),
    ("service_desk_integration_info", {"api_version": "v4"}, "api_version", "must be one of: v3"),
    ("service_desk_template_info", {"api_version": "v2"}, "api_version", "must be one of: v3"),
    ("service_desk_status_check", {"api_version": "2025"}, "api_version", "must be one of: v3"),
    ("service_desk_integration", {"provisioning_request_expiration": "abc"}, "provisioning_request_expiration", "convert to int"),
    ("service_desk_integration", {"provisioning_request_expiration": 1.5}, "provisioning_request_expiration", "convert to int"),
    ("service_desk_integration", {"before_provisioning_rule": {"id": "r1", "type": "RULE"}}, "before_provisioning_rule.type",
     "Supported parameters include: id, name"),
    ("service_desk_integration", {"no_provisioning_requests": "maybe"}, "no_provisioning_requests", "not a valid boolean"),
    ("service_desk_integration", {"update_method": "post"}, "update_method", "must be one of: patch, put"),
    ("service_desk_integration", {"update_write_only": "never"}, "update_write_only", "must be one of: on_create, always"),
    ("service_desk_integration", {"state": "gone"}, "state", "must be one of: present, absent"),
]
# What each module needs besides the bad value, so the value alone is what is wrong.
BASE = {
    "sim_integration": {"name": "SNOW"},
    "sim_before_provisioning_rule": {"name": "SNOW"},
    "service_desk_integration": {"name": "SNOW", "description": "d"},
}
IDS = ["%s-%s-%r" % (m, option, list(a.values())[0]) for m, a, option, _n in BAD]
SPEC_IDS = ["%s-%s" % (m, option) for m, _a, option, _n in SPEC_BAD]


def _seed(emu):
    emu.seed({"name": "SNOW", "description": "d"})
    emu.seed_service_desk({"name": "SNOW", "description": "d", "type": "ServiceNowSDIM", "attributes": {"url": "u"}})


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "real"])
@pytest.mark.parametrize("module,args,option,fix", BAD, ids=IDS)
def test_bad_input_refused_before_any_request(emu, path, module, args, option, fix, check_mode):
    _seed(emu)
    result = path(module, dict(BASE.get(module, {}), **args), emu, check_mode=check_mode)
    assert result.get("failed"), result
    assert result["option"] == option, result["msg"]
    assert result["msg"].startswith(option + ":") and fix in result["msg"], result["msg"]
    assert emu.calls() == []  # not even a token: refused before any request


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "real"])
@pytest.mark.parametrize("module,args,option,fix", SPEC_BAD, ids=SPEC_IDS)
def test_values_the_argument_spec_refuses_before_any_request(emu, path, module, args, option, fix, check_mode):
    _seed(emu)
    result = path(module, dict(BASE.get(module, {}), **args), emu, check_mode=check_mode)
    assert result.get("failed"), result
    assert option in result["msg"] and fix in result["msg"], result["msg"]
    assert emu.calls() == []


def test_good_values_next_to_the_bad_ones_still_work(emu, path):
    """The checks refuse only what the API refuses: integers, booleans, nested objects and top-level nulls pass."""
    args = {"name": "SNOW", "attributes": {"port": 443, "verify": True, "opts": {"a": [1, "b", {"c": False}]}, "gone": None},
            "sources": ["s1"], "status_map": {}, "request": {"description": "x"},
            "before_provisioning_rule": {"id": "r1", "type": "RULE"}}
    first = path("sim_integration", args, emu)
    assert first["changed"] and not first.get("failed"), first
    assert path("sim_integration", args, emu)["changed"] is False


def test_good_service_desk_values_next_to_the_bad_ones_still_work(emu, path):
    """Whole numbers, a blank plan initializer script (it clears the script), 0 hours, nested objects and a
    top-level null pass; the status check takes a string of digits with blanks around it."""
    attributes = {"port": 443, "verify": True, "opts": {"a": [1, "b", {"c": False}]}, "gone": None}
    args = {"name": "SNOW", "description": "d", "attributes": attributes,
            "managed_sources": ["s1"], "plan_initializer_script": "  ", "provisioning_request_expiration": 0,
            "no_provisioning_requests": "yes", "before_provisioning_rule": {"id": "r1"}}
    first = path("service_desk_integration", args, emu)
    assert first["changed"] and not first.get("failed"), first
    assert emu.service_desks()[0]["provisioningConfig"]["provisioningRequestExpiration"] == 0
    assert path("service_desk_integration", args, emu)["changed"] is False
    status = path("service_desk_status_check", {"provisioning_status_check_interval_minutes": " 45 "}, emu)
    assert not status.get("failed") and status["record"]["provisioning_status_check_interval_minutes"] == "45", status


@pytest.mark.parametrize("name", ['Desk "A"', "back\\slash", 'x" or name eq "Other', 'x") or (name eq "Other'])
def test_a_filter_value_cannot_break_the_filter_syntax(emu, path, name):
    """The info module escapes `"` and `\\` in its server filter: the name is one value, never more syntax."""
    import requests
    for each in (name, "Other"):
        emu.seed_service_desk({"name": each, "description": "d", "type": "ServiceNowSDIM", "attributes": {}})
    result = path("service_desk_integration_info", {"name": name}, emu)
    assert not result.get("failed") and [r["name"] for r in result["records"]] == [name], result
    [listing] = [r for r in emu.admin.requests() if r["method"] == "GET" and r["path"].endswith("/service-desk-integrations")]
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    assert "filters=" + requests.utils.quote('name eq "%s"' % escaped, safe="") in listing["query"], listing["query"]
