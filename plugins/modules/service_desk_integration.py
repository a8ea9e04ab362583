#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: service_desk_integration
short_description: Create, update or delete a SailPoint IdentityNow Service Desk integration
version_added: 0.2.0
description:
  - Manages a Service Desk integration (SDIM) of SailPoint Identity Security Cloud (IdentityNow), which turns
    provisioning actions into tickets in ServiceNow, Jira, BMC Helix, Zendesk or a generic service desk. Tenants set
    up since July 2021 can only use these, not SIM integrations (see M(sailpoint.identitynow.sim_integration)).
  - The integration is found by O(id) or by O(name) (names are unique; if several match, the task fails).
  - Only the options you set are compared and changed. The service takes only top-level C(replace) operations, so an
    update sends one JSON Patch (a bare RFC 6902 array) that replaces each changed top-level field whole, or the full
    object with PUT if O(update_method=put). A second run with the same options sends no write and reports no change.
author:
  - sailpoint.identitynow contributors (@sailpoint-identitynow)
extends_documentation_fragment:
  - sailpoint.identitynow.integration
  - sailpoint.identitynow.connection.SERVICE_DESK
  - sailpoint.identitynow.connection
  - sailpoint.identitynow.attributes
  - sailpoint.identitynow.attributes.CHECK_MODE_PREDICTS
  - sailpoint.identitynow.attributes.ACTION_GROUP_IDENTITYNOW
seealso:
  - module: sailpoint.identitynow.service_desk_integration_info
  - module: sailpoint.identitynow.service_desk_template_info
  - module: sailpoint.identitynow.service_desk_status_check
  - name: SailPoint Service Desk Integration API
    description: The API this module calls.
    link: https://developer.sailpoint.com/docs/api/v3/create-service-desk-integration
options:
  description:
    description:
      - Description of the integration. Required to create one (the API requires it).
    type: str
  type:
    description:
      - Type of the integration, for example V(ServiceNowSDIM). When creating and not set, V(ServiceNowSDIM) is used.
      - M(sailpoint.identitynow.service_desk_template_info) lists the types of the tenant.
    type: str
  attributes:
    description:
      - Connection attributes of the integration, for example C(url), C(username), C(password), C(authType).
      - Merged key by key with the integration's attributes; keys you do not name are left alone.
        Set a key to V(null) to remove it. A nested object is managed whole.
      - Password-like values (see the notes) are write-only. See O(update_write_only).
      - The service replaces attributes only whole, which would erase the password-like values it holds but does not
        return. A change of attributes is therefore refused, before any write and naming what would be lost, unless the
        task passes the password-like values too (V(null) for one the integration should not hold).
      - Decimal numbers, and V(null) inside a list or a nested object, are refused before any request.
    type: dict
  owner:
    description: ID of the identity that owns the integration (C(ownerRef)).
    type: str
  cluster:
    description: ID of the virtual appliance cluster (C(clusterRef)). The live service requires it to create a ServiceNow integration.
    type: str
  managed_sources:
    description:
      - IDs of the sources whose provisioning the integration handles (C(provisioningConfig.managedResourceRefs)).
        Order does not matter. Empty or blank entries are refused.
    type: list
    elements: str
  plan_initializer_script:
    description:
      - Source of the plan initializer script (C(provisioningConfig.planInitializerScript.source)), a string.
      - A mapping, a list or a number is refused before any request (it would otherwise be sent as its Python representation).
    type: raw
  no_provisioning_requests:
    description: Do not save provisioning request objects for plans sent through the integration (C(provisioningConfig.noProvisioningRequests)).
    type: bool
  provisioning_request_expiration:
    description: Hours a saved pending request lives before it expires (C(provisioningConfig.provisioningRequestExpiration)).
    type: int
  before_provisioning_rule:
    description: The rule run before provisioning (C(beforeProvisioningRule)).
    type: dict
    suboptions:
      id:
        description: ID of the rule. An empty or blank one is refused.
        type: str
        required: true
      name:
        description: Name of the rule. Compared only when set.
        type: str
"""

EXAMPLES = r"""
- name: Create or update the ServiceNow service desk integration
  sailpoint.identitynow.service_desk_integration:
    name: ServiceNow
    description: Tickets for disconnected applications
    type: ServiceNowSDIM
    owner: 2c9180a46faadee4016fb4e018c20639
    cluster: 2c9180887de347b1017de8859d160bb1
    managed_sources:
      - 2c9180835d191a86015d28455b4a2329
    provisioning_request_expiration: 7
    attributes:
      url: https://acme.service-now.com
      authType: Basic
      username: svc_sailpoint
      password: "{{ servicenow_password }}"

- name: Connection options once for a whole play
  module_defaults:
    group/sailpoint.identitynow.identitynow:
      base_url: https://acme.api.identitynow.com
      client_id: "{{ sail_client_id }}"
      client_secret: "{{ sail_client_secret }}"
  block:
    - name: Change only the description
      sailpoint.identitynow.service_desk_integration:
        name: ServiceNow
        description: Managed by Ansible

- name: Delete it
  sailpoint.identitynow.service_desk_integration:
    name: ServiceNow
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
    id: 62945a496ef440189b1f03e3623411c8
    name: ServiceNow
    description: Tickets for disconnected applications
    type: ServiceNowSDIM
    attributes:
      url: https://acme.service-now.com
      authType: Basic
      username: svc_sailpoint
    owner: 2c9180a46faadee4016fb4e018c20639
    cluster: 2c9180887de347b1017de8859d160bb1
    managed_sources:
      - 2c9180835d191a86015d28455b4a2329
    no_provisioning_requests: false
    provisioning_request_expiration: 7
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
from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import SERVICE_DESK_API_VERSIONS, api_version_spec
from ansible_collections.sailpoint.identitynow.plugins.module_utils._plan import is_given, top_level
from ansible_collections.sailpoint.identitynow.plugins.module_utils._records import (
    HIDDEN_MASKED,
    create_body,
    diff_of,
    has_secret,
    json_copy,
    plan_attributes,
)
from ansible_collections.sailpoint.identitynow.plugins.module_utils._resource import apply_operations
from ansible_collections.sailpoint.identitynow.plugins.module_utils._service_desk import (
    DEFAULT_TYPE,
    PROVISIONING,
    WRITABLE,
    ServiceDeskIntegrations,
    apply_top_level,
    source_ids,
    to_record,
)
from ansible_collections.sailpoint.identitynow.plugins.module_utils._validation import service_desk_params

RESOURCE = ServiceDeskIntegrations


def _provisioning(params, have):
    """provisioningConfig with the task's options on top of `have` (universalManager is read-only: never sent)."""
    config = dict((k, json_copy(v)) for k, v in (have or {}).items() if k != "universalManager")
    sources = params.get("managed_sources")
    if sources is not None and sorted(set(sources)) != sorted(set(source_ids({"provisioningConfig": config}) or [])):
        config["managedResourceRefs"] = [{"type": "SOURCE", "id": s} for s in sources]
    if params.get("plan_initializer_script") is not None:
        script = config.get("planInitializerScript")
        if not isinstance(script, dict) or script.get("source") != params["plan_initializer_script"]:
            config["planInitializerScript"] = {"source": params["plan_initializer_script"]}
    for option, key in PROVISIONING[1:]:
        if params.get(option) is not None:
            config[key] = params[option]
    return config


def _ref(ref_type, ref_id):
    return {"type": ref_type, "id": ref_id}


def plan(current, params):
    """Top-level `replace` operations that make `current` match the task; the only operations the service takes."""
    ops = []
    for key in ("name", "description", "type"):
        if params.get(key) is not None and current.get(key) != params[key]:
            ops.append({"op": "replace", "path": "/" + key, "value": params[key]})
    given = params.get("attributes")
    if given is not None:
        key_level = plan_attributes(current.get("attributes") or {}, given, params["update_write_only"])
        if key_level:
            # Whole attributes, with the secrets the task passes; refused before writing if it would erase hidden ones.
            ops.extend(top_level(current, apply_operations(current, key_level), key_level, given))
    for option, field, ref_type in (("owner", "ownerRef", "IDENTITY"), ("cluster", "clusterRef", "CLUSTER")):
        if params.get(option) is not None and (current.get(field) or {}).get("id") != params[option]:
            ops.append({"op": "replace", "path": "/" + field, "value": _ref(ref_type, params[option])})
    if any(params.get(option) is not None for option in ["managed_sources"] + [o for o, _k in PROVISIONING]):
        have = current.get("provisioningConfig")
        config = _provisioning(params, have)
        if config != dict((k, v) for k, v in (have or {}).items() if k != "universalManager"):
            ops.append({"op": "replace", "path": "/provisioningConfig", "value": config})
    rule = params.get("before_provisioning_rule")
    if rule is not None:
        want = dict({"type": "RULE"}, **dict((k, v) for k, v in rule.items() if v is not None))
        have = current.get("beforeProvisioningRule") or {}
        if any(have.get(k) != v for k, v in want.items() if k != "type" or "type" in have):
            ops.append({"op": "replace", "path": "/beforeProvisioningRule", "value": want})
    return ops


def new_body(params):
    """The POST body: every field the task sets, with the DTO's required ones."""
    if params.get("description") is None:
        raise OptionError("description", "required to create service desk integration '%s' (the API requires name, description, "
                                         "type and attributes); set it, even to an empty string" % params["name"])
    body = {"name": params["name"], "description": params["description"], "type": params.get("type") or DEFAULT_TYPE,
            "attributes": create_body({"attributes": params.get("attributes") or {}})["attributes"]}
    if params.get("owner"):
        body["ownerRef"] = _ref("IDENTITY", params["owner"])
    if params.get("cluster"):
        body["clusterRef"] = _ref("CLUSTER", params["cluster"])
    config = _provisioning(params, None)
    if config:
        body["provisioningConfig"] = config
    rule = params.get("before_provisioning_rule")
    if rule is not None:
        body["beforeProvisioningRule"] = dict({"type": "RULE"}, **dict((k, v) for k, v in rule.items() if v is not None))
    return body


def put_body(current, ops, given):
    """The whole writable document for PUT: the current one with the changes, and the secrets the task passes."""
    refuse_put_that_erases(current, given or {})
    predicted = apply_top_level(current, ops)
    body = dict((key, json_copy(predicted[key])) for key in WRITABLE if key in predicted)
    if "provisioningConfig" in body:
        body["provisioningConfig"].pop("universalManager", None)
    attributes = dict(body.get("attributes") or {})
    for key, value in (given or {}).items():
        if value is None:
            attributes.pop(key, None)
        else:
            attributes[key] = json_copy(value)
    body["attributes"] = attributes
    return body


def refuse_put_that_erases(current, given):
    """PUT replaces the whole integration: refuse to erase password-like values the API does not show."""
    masked = [key for key in current.get(HIDDEN_MASKED, []) if not is_given(given, key)]
    if masked:
        names = ", ".join("attributes.%s" % key for key in masked)
    elif not has_secret(given):
        names = "the password-like attributes it holds (the service never returns them, e.g. attributes.password)"
    else:
        return
    raise OptionError("update_method", "put would erase %s: the service does not return them, so they cannot be sent back; "
                                       "pass them in attributes (null for one the integration should not hold), or use "
                                       "update_method=patch" % names)


def ensure_present(sim, current, params):
    if current is None:
        if params["id"]:
            raise OptionError("id", "no service desk integration has id '%s'; to create one, leave id out and set name" % params["id"])
        body = new_body(params)
        created, adopted = sim.create(body)
        if not adopted:
            return True, to_record(created), diff_of({}, sim.predict_create(body))
        current = created
    ops = plan(current, params)
    body = put_body(current, ops, params.get("attributes")) if params["update_method"] == "put" and ops else None
    updated = sim.update(current, ops, lambda fresh: plan(fresh, params), params["update_method"], body)
    if not ops:
        return False, to_record(current), dict(before={}, after={})
    return True, to_record(updated), diff_of(current, sim.predicted(current, ops, updated))


def run(module, sim):
    params = module.params
    service_desk_params(params)
    current = sim.find(params["id"], params["name"])
    if params["state"] == "absent":
        if current is None:
            return False, None, dict(before={}, after={})
        sim.delete(current)
        return True, None, diff_of(current, {})
    return ensure_present(sim, current, params)


ARGUMENT_SPEC = dict(
    api_version=api_version_spec(SERVICE_DESK_API_VERSIONS),
    id=dict(type="str"),
    name=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    description=dict(type="str"),
    type=dict(type="str"),
    attributes=dict(type="dict"),
    owner=dict(type="str"),
    cluster=dict(type="str"),
    managed_sources=dict(type="list", elements="str"),
    plan_initializer_script=dict(type="raw"),
    no_provisioning_requests=dict(type="bool"),
    provisioning_request_expiration=dict(type="int"),
    before_provisioning_rule=dict(type="dict", options=dict(
        id=dict(type="str", required=True),
        name=dict(type="str"),
    )),
    update_method=dict(type="str", choices=["patch", "put"], default="patch"),
    update_write_only=dict(type="str", choices=["on_create", "always"], default="on_create"),
    created=dict(type="raw"),
    modified=dict(type="raw"),
)
ARGUMENT_RULES = dict(required_one_of=[("id", "name")])


def execute(module, sim):
    """The task result; shared by main() and the controller-side action plugin."""
    return state_result(module, sim, run)


def main():
    run_module(ARGUMENT_SPEC, ARGUMENT_RULES, execute, RESOURCE)


if __name__ == "__main__":
    main()
