#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sim_integration_info
short_description: List SailPoint IdentityNow SIM integrations
version_added: 0.1.0
description:
  - Lists the Service Integration Module (SIM) integrations of a SailPoint Identity Security Cloud tenant,
    or gets one by O(id) or O(name).
  - Records come back in the shape M(sailpoint.identitynow.sim_integration) takes, so an existing integration
    can be exported to YAML and applied again. Password-like attribute values are never returned.
author:
  - sailpoint.identitynow contributors (@sailpoint-identitynow)
extends_documentation_fragment:
  - sailpoint.identitynow.connection
  - sailpoint.identitynow.attributes
  - sailpoint.identitynow.attributes.ACTION_GROUP
  - sailpoint.identitynow.attributes.ACTION_GROUP_IDENTITYNOW  # after ACTION_GROUP, whose membership (both groups) wins the merge
  - sailpoint.identitynow.attributes.INFO_MODULE
seealso:
  - module: sailpoint.identitynow.sim_integration
options:
  id:
    description: Get only the integration with this ID (one GET). An unknown ID returns an empty list.
    type: str
  name:
    description: Return only integrations with exactly this name. The API cannot filter, so all are listed first.
    type: str
"""

EXAMPLES = r"""
- name: List every SIM integration
  sailpoint.identitynow.sim_integration_info:
  register: sims

- name: Export one integration as YAML
  ansible.builtin.copy:
    dest: sim.yml
    content: "{{ (sims.records | selectattr('name', 'equalto', 'ServiceNow SIM') | first) | to_nice_yaml }}"
    mode: "0600"

- name: Get one by id
  sailpoint.identitynow.sim_integration_info:
    id: 2c91808a7813090a017814121e121518
  register: one
"""

RETURN = r"""
records:
  description:
    - The integrations, always a list (empty when nothing matches), sorted by name.
    - Fields the service does not return are absent; password-like attribute values are left out.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 2c91808a7813090a017814121e121518
      name: ServiceNow SIM
      description: Tickets for disconnected applications
      type: ServiceNow Service Desk
      attributes:
        url: https://acme.service-now.com
        username: svc_sailpoint
      sources:
        - 2c9180835d191a86015d28455b4a2329
      cluster: 2c9180887de347b1017de8859d160bb1
      status_map:
        closed_complete: Committed
        requested: Queued
      created: "2026-01-17T18:45:25.994Z"
      modified: "2026-01-17T18:45:25.994Z"
"""

from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import OptionError
from ansible_collections.sailpoint.identitynow.plugins.module_utils._module import run_module
from ansible_collections.sailpoint.identitynow.plugins.module_utils._records import to_record


def run(module, sim):
    params = module.params
    if params["id"] is not None and not params["id"].strip():
        raise OptionError("id", "must not be empty")
    if params["id"]:
        doc = sim.get(params["id"])
        docs = [doc] if doc is not None and (params["name"] is None or doc.get("name") == params["name"]) else []
    else:
        docs = [d for d in sim.list() if params["name"] is None or d.get("name") == params["name"]]
    return [to_record(d) for d in sorted(docs, key=lambda d: (d.get("name") or "", d.get("id") or ""))]


ARGUMENT_SPEC = dict(id=dict(type="str"), name=dict(type="str"))
ARGUMENT_RULES = dict()


def execute(module, sim):
    """The task result; shared by main() and the controller-side action plugin."""
    return dict(changed=False, records=run(module, sim))


def main():
    run_module(ARGUMENT_SPEC, ARGUMENT_RULES, execute)


if __name__ == "__main__":
    main()
