#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sim_integration
short_description: Create, update or delete a SailPoint IdentityNow SIM integration
version_added: 0.1.0
description:
  - Manages a Service Integration Module (SIM) integration of SailPoint Identity Security Cloud (IdentityNow),
    which turns provisioning actions into ServiceNow tickets.
  - The integration is found by O(id) or by O(name) (names are unique; if several match, the task fails).
  - Only the options you set are compared and changed. An update sends the smallest JSON Patch (RFC 6902) that
    makes the integration match, or the full object with PUT if O(update_method=put). A second run with the same
    options sends no write and reports no change.
author:
  - sailpoint.identitynow contributors (@sailpoint-identitynow)
extends_documentation_fragment:
  - sailpoint.identitynow.integration
  - sailpoint.identitynow.connection
  - sailpoint.identitynow.attributes
  - sailpoint.identitynow.attributes.CHECK_MODE_PREDICTS
  - sailpoint.identitynow.attributes.ACTION_GROUP
  - sailpoint.identitynow.attributes.ACTION_GROUP_IDENTITYNOW  # after ACTION_GROUP, whose membership (both groups) wins the merge
seealso:
  - module: sailpoint.identitynow.sim_integration_info
  - module: sailpoint.identitynow.sim_before_provisioning_rule
  - name: SailPoint SIM integrations API
    description: The API this module calls.
    link: https://developer.sailpoint.com/docs/api/v2024/create-sim-integration
options:
  description:
    description: Description of the integration.
    type: str
  type:
    description:
      - Type of the integration. When creating and not set, V(ServiceNow Service Desk) is used.
      - An empty or blank value is refused (the service would replace it with its own default).
    type: str
  attributes:
    description:
      - Connection attributes, for example C(url), C(username), C(password), C(authType), C(catalogItem).
      - Merged key by key with the integration's attributes; keys you do not name are left alone.
        Set a key to V(null) to remove it. A nested object is managed whole (nested keys you leave out are removed),
        except password-like nested keys the service does not return, which are kept.
      - Password-like values (see the notes) are write-only. See O(update_write_only).
      - A password-like key set to V(null) is removed. Because the service never shows it, the task cannot tell whether it is
        still held, so it sends the removal and reports a change on every run; drop the V(null) once it has run.
      - Decimal numbers, and V(null) inside a list or a nested object, are refused before any request (the API does not take them).
    type: dict
  sources:
    description:
      - IDs of the sources the integration manages. Order does not matter. Empty or blank entries are refused.
    type: list
    elements: str
  cluster:
    description: ID of the virtual appliance cluster.
    type: str
  status_map:
    description:
      - Maps ServiceNow request states (such as C(requested), C(in_process), C(closed_complete)) to
        provisioning results. Values must be V(Queued), V(Committed) or V(Failed), and at least one must be V(Committed)
        (an empty map, as an export of an integration without one holds, is accepted).
      - The whole map is managed; keys you leave out are removed.
      - When the service answers with the plain ServiceDeskIntegrationDto shape, which does not return this map, a change
        cannot be detected; the task warns and does not send it, unless O(update_write_only=always), and
        O(update_method=put) is refused unless the task passes it.
    type: dict
  request:
    description:
      - Maps ServiceNow request fields (such as C(description), C(short_description)) to Velocity templates over the
        provisioning plan, for example C(SailPoint Access Request $!plan.arguments.identityRequestId).
      - The whole map is managed; keys you leave out are removed. Values must be strings (V(null) is refused; leave the key out).
      - Like O(status_map), not returned by the plain ServiceDeskIntegrationDto shape (a warning says it was not sent).
    type: dict
  before_provisioning_rule:
    description:
      - The rule run before provisioning. Also managed alone by M(sailpoint.identitynow.sim_before_provisioning_rule).
    type: dict
    suboptions:
      id:
        description: ID of the rule. An empty or blank one is refused.
        type: str
        required: true
      name:
        description: Name of the rule. Compared only when set.
        type: str
      type:
        description: Reference type. Only the API's C(DtoType) values are taken; anything else is refused before any request.
        type: str
        default: RULE
  patch_format:
    description:
      - V(rfc6902) sends the JSON Patch as a bare array (as SailPoint's PATCH guide shows);
        V(operations) wraps it as an object with the key C(operations), the form the OpenAPI specification declares.
      - V(auto) sends the array and, if the service refuses that body form with HTTP 400, the wrapper once; the form that
        works is kept for the rest of the run (a loop's items share it on the controller). If both are refused, both
        refusals are reported.
      - Whatever the form, if the service refuses key-level or non-replace operations (HTTP 400 or 403), the update is
        re-planned once as top-level V(replace) of the whole changed fields, with a warning, and kept so for the run.
        Replacing O(attributes) whole would erase password-like values the service does not return, so it is refused
        before writing unless the task passes them.
    type: str
    choices: [auto, rfc6902, operations]
    default: auto
notes:
  - The SIM API is experimental at SailPoint; the C(X-SailPoint-Experimental) header is sent for you.
"""

EXAMPLES = r"""
- name: Create or update the ServiceNow integration
  sailpoint.identitynow.sim_integration:
    name: ServiceNow SIM
    description: Tickets for disconnected applications
    cluster: 2c9180887de347b1017de8859d160bb1
    sources:
      - 2c9180835d191a86015d28455b4a2329
    attributes:
      url: https://acme.service-now.com
      authType: Basic
      username: svc_sailpoint
      password: "{{ servicenow_password }}"
    status_map:
      requested: Queued
      in_process: Queued
      closed_complete: Committed
      closed_incomplete: Failed
      closed_cancelled: Failed
      closed_rejected: Failed
  no_log: false

- name: Connection options once for a whole play (AWX injects SAIL_* instead)
  module_defaults:
    group/sailpoint.identitynow.sim:
      base_url: https://acme.api.identitynow.com
      client_id: "{{ sail_client_id }}"
      client_secret: "{{ sail_client_secret }}"
  block:
    - name: Change only the description
      sailpoint.identitynow.sim_integration:
        name: ServiceNow SIM
        description: Managed by Ansible

- name: Rotate the ServiceNow password (write-only, so force it)
  sailpoint.identitynow.sim_integration:
    name: ServiceNow SIM
    attributes:
      password: "{{ new_servicenow_password }}"
    update_write_only: always

- name: Several integrations in a loop; the label keeps passwords out of the item line Ansible prints
  sailpoint.identitynow.sim_integration:
    name: "{{ item.name }}"
    attributes: "{{ item.attributes }}"
  loop: "{{ sim_integrations }}"
  loop_control:
    label: "{{ item.name }}"

- name: Delete it
  sailpoint.identitynow.sim_integration:
    name: ServiceNow SIM
    state: absent
"""

RETURN = r"""
record:
  description:
    - The integration after the task (predicted in check mode), in the shape this module takes.
    - Password-like attribute values are left out. Fields the service does not return are absent.
    - V(null) after a delete.
  returned: always
  type: dict
  sample:
    id: 2c91808a7813090a017814121e121518
    name: ServiceNow SIM
    description: Tickets for disconnected applications
    type: ServiceNow Service Desk
    attributes:
      url: https://acme.service-now.com
      authType: Basic
      username: svc_sailpoint
    sources:
      - 2c9180835d191a86015d28455b4a2329
    cluster: 2c9180887de347b1017de8859d160bb1
    status_map:
      requested: Queued
      closed_complete: Committed
    created: "2026-01-17T18:45:25.994Z"
    modified: "2026-01-17T18:45:25.994Z"
operations:
  description:
    - The JSON Patch operations sent to update the integration (or that would be sent, in check mode);
      empty when nothing changes and for creates and deletes. Password-like values are masked.
  returned: always
  type: list
  elements: dict
  sample:
    - op: replace
      path: /description
      value: Managed by Ansible
diff:
  description: Only the fields that change, before and after, in the API's shape. Password-like values are masked.
  returned: when diff mode is on
  type: dict
  sample:
    before:
      description: Tickets for disconnected applications
    after:
      description: Managed by Ansible
"""

from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import OptionError
from ansible_collections.sailpoint.identitynow.plugins.module_utils._module import run_module, state_result
from ansible_collections.sailpoint.identitynow.plugins.module_utils._records import (
    HIDDEN_MAPS,
    create_body,
    desired_from_params,
    diff_of,
    has_secret,
    normalize,
    plan_update,
    put_body,
    to_record,
    write_only_removals,
)
from ansible_collections.sailpoint.identitynow.plugins.module_utils._plan import top_level
from ansible_collections.sailpoint.identitynow.plugins.module_utils._resource import apply_operations
from ansible_collections.sailpoint.identitynow.plugins.module_utils._validation import integration_params

DEFAULT_TYPE = "ServiceNow Service Desk"


def validate_params(params):
    integration_params(params)


def ensure_absent(sim, current):
    if current is None:
        return False, None, dict(before={}, after={})
    sim.delete(current)
    return True, None, diff_of(current, {})


def ensure_present(module, sim, current):
    params = module.params
    desired = desired_from_params(params)
    if current is None:
        if params["id"]:
            raise OptionError("id", "no integration has id '%s'; to create one, leave id out and set name" % params["id"])
        body = create_body(dict({"type": DEFAULT_TYPE}, **desired))
        created, adopted = sim.create(body)
        if not adopted:
            return True, to_record(created), diff_of({}, normalize(body))  # what is sent, in both modes
        current = created
    write_only = params["update_write_only"]
    _warn_hidden_maps(module, current, desired, write_only)
    ops = plan_update(current, desired, write_only)
    body = None
    if params["update_method"] == "put" and ops:
        _refuse_put_that_erases(current, desired)
        body = put_body(current, desired)
    updated = sim.update(current, ops, lambda fresh: plan_update(fresh, desired, write_only), params["update_method"], body,
                         whole=lambda doc, planned: top_level(doc, apply_operations(doc, planned), planned, desired.get("attributes")))
    if not ops:
        return False, to_record(current), dict(before={}, after={})
    return True, to_record(updated), diff_of(current, sim.predicted(current, ops, updated), write_only_removals(ops, current))


def _warn_hidden_maps(module, current, desired, write_only):
    """The plain DTO shape never returns statusMap/request: a change there cannot be seen, so say it was not sent."""
    if not current.get(HIDDEN_MAPS) or write_only == "always":
        return
    hidden = [option for option, api in (("status_map", "statusMap"), ("request", "request")) if api in desired and api not in current]
    if hidden:
        names = " and ".join(hidden)
        module.warn("sailpoint.identitynow: %s not compared or sent: this service answers with the plain ServiceDeskIntegrationDto "
                    "shape, which does not return %s, so a change cannot be detected; set update_write_only=always to send %s "
                    "on every run" % (names, "them" if len(hidden) > 1 else "it", "them" if len(hidden) > 1 else "it"))


def _refuse_put_that_erases(current, desired):
    """PUT replaces the whole integration: refuse to erase what the API does not show unless the task passes it."""
    lost = [option for option, api in (("status_map", "statusMap"), ("request", "request"))
            if current.get(HIDDEN_MAPS) and api not in current and api not in desired]
    given = desired.get("attributes") or {}
    if not has_secret(given):
        lost.append("the password-like attributes (the service never returns them, e.g. attributes.password)")
    if lost:
        names = " and ".join(lost)
        raise OptionError("update_method", "put would erase %s: this service does not return them, so they cannot be sent back; "
                                           "pass them too (attributes.<key>: null for a secret the integration should not hold), "
                                           "or use update_method=patch" % names)


def run(module, sim):
    validate_params(module.params)
    current = sim.find(module.params["id"], module.params["name"])
    if module.params["state"] == "absent":
        return ensure_absent(sim, current)
    return ensure_present(module, sim, current)


ARGUMENT_SPEC = dict(
    id=dict(type="str"),
    name=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    description=dict(type="str"),
    type=dict(type="str"),
    attributes=dict(type="dict"),
    sources=dict(type="list", elements="str"),
    cluster=dict(type="str"),
    status_map=dict(type="dict"),
    request=dict(type="dict"),
    before_provisioning_rule=dict(type="dict", options=dict(
        id=dict(type="str", required=True),
        name=dict(type="str"),
        type=dict(type="str", default="RULE"),
    )),
    update_method=dict(type="str", choices=["patch", "put"], default="patch"),
    patch_format=dict(type="str", choices=["auto", "rfc6902", "operations"], default="auto"),
    update_write_only=dict(type="str", choices=["on_create", "always"], default="on_create"),
    created=dict(type="raw"),
    modified=dict(type="raw"),
)
ARGUMENT_RULES = dict(required_one_of=[("id", "name")])


def execute(module, sim):
    """The task result; shared by main() and the controller-side action plugin."""
    return state_result(module, sim, run)


def main():
    run_module(ARGUMENT_SPEC, ARGUMENT_RULES, execute)


if __name__ == "__main__":
    main()
