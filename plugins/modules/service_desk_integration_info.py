#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: service_desk_integration_info
short_description: List SailPoint IdentityNow Service Desk integrations
version_added: 0.2.0
description:
  - Lists the Service Desk integrations (SDIM) of a SailPoint Identity Security Cloud tenant, or gets one by O(id).
  - O(name), O(type) and O(cluster) are sent to the server as its C(filters) (for example C(name eq "ServiceNow")), joined
    with C(and). Every page is read (250 records a page), so no record is missed.
  - Records come back in the shape M(sailpoint.identitynow.service_desk_integration) takes, so an existing integration can
    be exported to YAML and applied again. Password-like attribute values are never returned.
author:
  - sailpoint.identitynow contributors (@sailpoint-identitynow)
extends_documentation_fragment:
  - sailpoint.identitynow.connection.SERVICE_DESK
  - sailpoint.identitynow.connection
  - sailpoint.identitynow.attributes
  - sailpoint.identitynow.attributes.ACTION_GROUP_IDENTITYNOW
  - sailpoint.identitynow.attributes.INFO_MODULE
seealso:
  - module: sailpoint.identitynow.service_desk_integration
options:
  id:
    description:
      - Get only the integration with this ID (one GET). An unknown ID returns an empty list.
      - O(name), O(type) and O(cluster) then only check that the one found matches.
    type: str
  name:
    description: Only integrations with exactly this name (server filter C(name eq)).
    type: str
  type:
    description: Only integrations of this type, for example V(ServiceNowSDIM) (server filter C(type eq)).
    type: str
  cluster:
    description: Only integrations on this virtual appliance cluster ID (server filter C(cluster eq)).
    type: str
"""

EXAMPLES = r"""
- name: List every service desk integration
  sailpoint.identitynow.service_desk_integration_info:
  register: desks

- name: The ServiceNow integrations of one cluster
  sailpoint.identitynow.service_desk_integration_info:
    type: ServiceNowSDIM
    cluster: 2c9180887de347b1017de8859d160bb1
  register: snow

- name: Export one as YAML, to apply again with service_desk_integration
  ansible.builtin.copy:
    dest: service_desk.yml
    content: "{{ snow.records | first | to_nice_yaml }}"
    mode: "0600"
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
    - id: 62945a496ef440189b1f03e3623411c8
      name: ServiceNow
      description: Tickets for disconnected applications
      type: ServiceNowSDIM
      attributes:
        url: https://acme.service-now.com
        username: svc_sailpoint
      owner: 2c9180a46faadee4016fb4e018c20639
      cluster: 2c9180887de347b1017de8859d160bb1
      managed_sources:
        - 2c9180835d191a86015d28455b4a2329
      no_provisioning_requests: false
      created: "2026-01-17T18:45:25.994Z"
      modified: "2026-01-17T18:45:25.994Z"
"""

from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import OptionError
from ansible_collections.sailpoint.identitynow.plugins.module_utils._module import run_module
from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import SERVICE_DESK_API_VERSIONS, api_version_spec
from ansible_collections.sailpoint.identitynow.plugins.module_utils._service_desk import ServiceDeskIntegrations, filter_string, to_record

RESOURCE = ServiceDeskIntegrations
FILTERS = (("name", "name"), ("type", "type"), ("cluster", "cluster"))


def _matches(record, params):
    return all(params[option] is None or record.get(key) == params[option] for option, key in FILTERS)


def run(module, sim):
    params = module.params
    for option in ("id", "name", "type", "cluster"):
        if params[option] is not None and not params[option].strip():
            raise OptionError(option, "must not be empty; leave it out to list every integration")
    if params["id"]:
        doc = sim.get(params["id"])
        records = [to_record(doc)] if doc is not None else []
    else:
        filters = filter_string(params["name"], params["type"], params["cluster"])
        records = [to_record(doc) for doc in (sim.search(filters) if filters else sim.list())]
    # The server filters; checking again costs nothing and keeps an id lookup to the same rules.
    records = [r for r in records if _matches(r, params)]
    return sorted(records, key=lambda r: (r.get("name") or "", r.get("id") or ""))


ARGUMENT_SPEC = dict(
    api_version=api_version_spec(SERVICE_DESK_API_VERSIONS),
    id=dict(type="str"),
    name=dict(type="str"),
    type=dict(type="str"),
    cluster=dict(type="str"),
)
ARGUMENT_RULES = dict()


def execute(module, sim):
    """The task result; shared by main() and the controller-side action plugin."""
    return dict(changed=False, records=run(module, sim))


def main():
    run_module(ARGUMENT_SPEC, ARGUMENT_RULES, execute, RESOURCE)


if __name__ == "__main__":
    main()
