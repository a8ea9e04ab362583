# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input checks that run before any request, so that check mode refuses exactly what the real run
would have the server refuse, and every refusal names the option and the fix (raised as OptionError).

Internal to this collection: no stable API, it may change in any release.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import OptionError

STATUS_VALUES = ("Queued", "Committed", "Failed")
# DtoType of the vendored OpenAPI documents (tests/emulator/spec/*.json): the reference types the API takes.
RULE_TYPES = (
    "ACCOUNT_CORRELATION_CONFIG", "ACCESS_PROFILE", "ACCESS_REQUEST_APPROVAL", "ACCOUNT", "APPLICATION", "CAMPAIGN",
    "CAMPAIGN_FILTER", "CERTIFICATION", "CLUSTER", "CONNECTOR_SCHEMA", "ENTITLEMENT", "GOVERNANCE_GROUP", "IDENTITY",
    "IDENTITY_PROFILE", "IDENTITY_REQUEST", "MACHINE_IDENTITY", "LIFECYCLE_STATE", "PASSWORD_POLICY", "ROLE", "RULE",
    "SOD_POLICY", "SOURCE", "TAG", "TAG_CATEGORY", "TASK_RESULT", "REPORT_RESULT", "SOD_VIOLATION", "ACCOUNT_ACTIVITY",
    "WORKGROUP",
)


def not_blank(option, value, fix="set a value or leave the option out"):
    if value is not None and not str(value).strip():
        raise OptionError(option, "must not be empty or blank; %s" % fix)


def json_values(option, value, top_level_null=False):
    """Values the API's JSON takes: no floats (the JSON Patch schema refuses them), no null inside lists or objects.

    A float would pass check mode and then fail for real with a 400 that names no option.
    """
    if isinstance(value, float):
        raise OptionError(option, "%r is a decimal number, which the API does not take; quote it as a string ('%s') "
                                  "or use a whole number" % (value, value))
    if isinstance(value, list):
        for index, item in enumerate(value):
            path = "%s[%d]" % (option, index)
            if item is None:
                raise OptionError(path, "null inside a list is not a value the API takes; remove the item")
            json_values(path, item)
    elif isinstance(value, dict):
        for key, item in value.items():
            path = "%s.%s" % (option, key)
            if not str(key).strip():
                raise OptionError(option, "has an empty key")
            if item is None:
                if top_level_null:
                    continue  # documented: a null attribute removes the key
                raise OptionError(path, "null is not a value the API takes; leave the key out (the whole map is managed, "
                                        "so a key you leave out is removed)" if option in ("request", "status_map")
                                  else "null is not a value the API takes here; leave the key out (null removes only a "
                                       "top-level attribute)")
            json_values(path, item)


def rule_type(option, value):
    if value is not None and value not in RULE_TYPES:
        raise OptionError(option, "'%s' is not a reference type the API takes; use RULE (the default) or one of %s"
                          % (value, ", ".join(t for t in RULE_TYPES if t != "RULE")))


def integration_params(params):
    """Every check of sim_integration's options; raises OptionError on the first problem."""
    for option in ("id", "name"):
        if params.get(option) is not None and not params[option].strip():
            raise OptionError(option, "must not be empty")
    if not params.get("id") and not params.get("name"):
        raise OptionError("name", "set name (or id) to say which integration to manage")
    not_blank("type", params.get("type"),
              "leave type out to get ServiceNow Service Desk, or name the integration type (the service replaces an empty one with its own default)")
    not_blank("cluster", params.get("cluster"), "set the virtual appliance cluster ID or leave cluster out")
    for index, source in enumerate(params.get("sources") or []):
        not_blank("sources[%d]" % index, source, "remove the empty entry (sources are source IDs)")
    json_values("attributes", params.get("attributes"), top_level_null=True)
    json_values("request", params.get("request"))
    json_values("status_map", params.get("status_map"))
    for key, value in (params.get("request") or {}).items():
        if not isinstance(value, str):
            raise OptionError("request.%s" % key, "must be a string (a Velocity template), got %s" % type(value).__name__)
    status_map = params.get("status_map")
    if status_map:
        for key, value in status_map.items():
            if value not in STATUS_VALUES:
                raise OptionError("status_map.%s" % key, "'%s' is not a provisioning result; use one of %s" % (value, ", ".join(STATUS_VALUES)))
        if "Committed" not in status_map.values():
            raise OptionError("status_map", "needs at least one state mapped to Committed, or no request would ever complete")
    rule = params.get("before_provisioning_rule")
    if rule is not None:
        not_blank("before_provisioning_rule.id", rule.get("id"), "set the rule's ID, or leave before_provisioning_rule out")
        not_blank("before_provisioning_rule.name", rule.get("name"), "set the rule's name or leave it out")
        rule_type("before_provisioning_rule.type", rule.get("type"))


def rule_params(params):
    """The checks of sim_before_provisioning_rule's options."""
    for option in ("id", "name", "rule_id", "rule_name"):
        if params.get(option) is not None and not params[option].strip():
            raise OptionError(option, "must not be empty")
    rule_type("rule_type", params.get("rule_type"))


def service_desk_params(params):
    """Every check of service_desk_integration's options; raises OptionError on the first problem."""
    for option in ("id", "name"):
        if params.get(option) is not None and not params[option].strip():
            raise OptionError(option, "must not be empty")
    if not params.get("id") and not params.get("name"):
        raise OptionError("name", "set name (or id) to say which service desk integration to manage")
    not_blank("type", params.get("type"), "leave type out to get ServiceNowSDIM, or name the integration type "
                                          "(service_desk_template_info lists them)")
    for option, what in (("owner", "the owner's identity ID"), ("cluster", "the virtual appliance cluster ID")):
        not_blank(option, params.get(option), "set %s or leave %s out" % (what, option))
    for index, source in enumerate(params.get("managed_sources") or []):
        not_blank("managed_sources[%d]" % index, source, "remove the empty entry (managed_sources are source IDs)")
    json_values("attributes", params.get("attributes"), top_level_null=True)
    script = params.get("plan_initializer_script")
    if script is not None and not isinstance(script, str):
        # A str option would turn a mapping into its Python repr and send that as the script's source.
        raise OptionError("plan_initializer_script", "must be a string (the script's source), got %s; quote it, or write it "
                                                     "as a YAML block scalar (|)" % type(script).__name__)
    expiration = params.get("provisioning_request_expiration")
    # An int option takes true and false as they are (bool is an int), and the API refuses a boolean here.
    if expiration is not None and (isinstance(expiration, bool) or not 0 <= expiration <= 2147483647):
        raise OptionError("provisioning_request_expiration", "must be a whole number of hours from 0 to 2147483647, got %s" % expiration)
    rule = params.get("before_provisioning_rule")
    if rule is not None:
        not_blank("before_provisioning_rule.id", rule.get("id"), "set the rule's ID, or leave before_provisioning_rule out")
        not_blank("before_provisioning_rule.name", rule.get("name"), "set the rule's name or leave it out")
