#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sim_before_provisioning_rule
short_description: Set or remove the before-provisioning rule of a SailPoint IdentityNow SIM integration
version_added: 0.1.0
description:
  - Sets or removes the rule that runs before provisioning for a SIM integration, with one JSON Patch to
    C(/sim-integrations/{id}/beforeProvisioningRule).
  - The integration is found by O(id) or O(name). Nothing is sent when the rule is already as asked.
author:
  - sailpoint.identitynow contributors (@sailpoint-identitynow)
extends_documentation_fragment:
  - sailpoint.identitynow.connection
  - sailpoint.identitynow.attributes
  - sailpoint.identitynow.attributes.CHECK_MODE_PREDICTS
  - sailpoint.identitynow.attributes.ACTION_GROUP
  - sailpoint.identitynow.attributes.ACTION_GROUP_IDENTITYNOW  # after ACTION_GROUP, whose membership (both groups) wins the merge
seealso:
  - module: sailpoint.identitynow.sim_integration
  - name: Patch a SIM beforeProvisioningRule attribute
    description: The API this module calls.
    link: https://developer.sailpoint.com/docs/api/v2024/patch-before-provisioning-rule
options:
  id:
    description: ID of the integration.
    type: str
  name:
    description: Name of the integration (used when O(id) is not set).
    type: str
  state:
    description:
      - V(present) sets the rule, V(absent) removes it.
      - With V(absent), an integration that does not exist has no rule, so nothing changes.
    type: str
    choices: [present, absent]
    default: present
  rule_id:
    description: ID of the rule. Required with O(state=present); an empty or blank one is refused.
    type: str
  rule_name:
    description: Name of the rule. Compared only when set.
    type: str
  rule_type:
    description:
      - Reference type of the rule. The API takes only its C(DtoType) values; anything else is refused before any request.
    type: str
    default: RULE
  patch_format:
    description:
      - V(rfc6902) sends a bare JSON Patch array; V(operations) wraps it as an object with the key C(operations).
      - V(auto) sends the array and, if the service refuses that body form with HTTP 400, the wrapper once, keeping the
        form that works for the run. A service that refuses C(add) (HTTP 400 or 403) gets the rule set with C(replace).
    type: str
    choices: [auto, rfc6902, operations]
    default: auto
"""

EXAMPLES = r"""
- name: Set the before-provisioning rule
  sailpoint.identitynow.sim_before_provisioning_rule:
    name: ServiceNow SIM
    rule_id: 2c918085708c274401708c2a8a760001
    rule_name: Example Rule

- name: Remove it
  sailpoint.identitynow.sim_before_provisioning_rule:
    name: ServiceNow SIM
    state: absent
"""

RETURN = r"""
record:
  description: The integration after the task (predicted in check mode), as M(sailpoint.identitynow.sim_integration) returns it.
  returned: when the integration exists
  type: dict
  sample:
    id: 2c91808a7813090a017814121e121518
    name: ServiceNow SIM
    before_provisioning_rule:
      type: RULE
      id: 2c918085708c274401708c2a8a760001
      name: Example Rule
operations:
  description: The JSON Patch operations sent (or that would be sent in check mode); empty when nothing changes.
  returned: always
  type: list
  elements: dict
  sample:
    - op: add
      path: /beforeProvisioningRule
      value:
        type: RULE
        id: 2c918085708c274401708c2a8a760001
        name: Example Rule
diff:
  description: The rule before and after.
  returned: when diff mode is on
  type: dict
  sample:
    before: {}
    after:
      before_provisioning_rule:
        type: RULE
        id: 2c918085708c274401708c2a8a760001
        name: Example Rule
"""

from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import OptionError
from ansible_collections.sailpoint.identitynow.plugins.module_utils._module import run_module, state_result
from ansible_collections.sailpoint.identitynow.plugins.module_utils._records import diff_of, to_record
from ansible_collections.sailpoint.identitynow.plugins.module_utils._validation import rule_params

PATH = "/beforeProvisioningRule"


def plan(current, params):
    have = current.get("beforeProvisioningRule")
    if params["state"] == "absent":
        return [{"op": "remove", "path": PATH}] if have else []
    want = {"type": params["rule_type"], "id": params["rule_id"]}
    if params["rule_name"] is not None:
        want["name"] = params["rule_name"]
    if have and all(have.get(k) == v for k, v in want.items()):
        return []
    return [{"op": "replace" if have else "add", "path": PATH, "value": want}]


def run(module, sim):
    params = module.params
    rule_params(params)
    current = sim.find(params["id"], params["name"])
    if current is None:
        if params["state"] == "absent":
            return False, None, dict(before={}, after={})
        raise OptionError("id" if params["id"] else "name", "no SIM integration %s '%s'; create it first with sailpoint.identitynow.sim_integration"
                          % (("has id", params["id"]) if params["id"] else ("is named", params["name"])))
    ops = plan(current, params)
    updated = sim.patch_rule(current, ops)
    if not ops:
        return False, to_record(current), dict(before={}, after={})
    # The diff comes from the local prediction in both modes, so check mode shows exactly what a real run reports.
    before, after = current.get("beforeProvisioningRule"), sim.predict_update(current, ops).get("beforeProvisioningRule")
    diff = diff_of({"before_provisioning_rule": before} if before else {}, {"before_provisioning_rule": after} if after else {})
    return True, to_record(updated), diff


ARGUMENT_SPEC = dict(
    id=dict(type="str"),
    name=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    rule_id=dict(type="str"),
    rule_name=dict(type="str"),
    rule_type=dict(type="str", default="RULE"),
    patch_format=dict(type="str", choices=["auto", "rfc6902", "operations"], default="auto"),
)
ARGUMENT_RULES = dict(required_one_of=[("id", "name")], required_if=[("state", "present", ("rule_id",))])


def execute(module, sim):
    """The task result; shared by main() and the controller-side action plugin."""
    return state_result(module, sim, run)


def main():
    run_module(ARGUMENT_SPEC, ARGUMENT_RULES, execute)


if __name__ == "__main__":
    main()
