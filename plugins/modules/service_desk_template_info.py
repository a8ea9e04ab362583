#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: service_desk_template_info
short_description: List the Service Desk integration types and templates of SailPoint IdentityNow
version_added: 0.2.0
description:
  - Returns the Service Desk integration C(types) of the tenant (name, type and script name of each desk it can connect),
    and, with O(script_name), the C(template) of one type (its type, attributes and provisioning configuration).
  - Use a template's C(attributes) to see which attributes an integration of that type takes; password-like values it
    holds are masked.
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
  script_name:
    description:
      - Also get the template of the type with this script name (the C(script_name) of an entry of RV(types)).
      - An unknown script name fails, naming the script names there are.
    type: str
"""

EXAMPLES = r"""
- name: Which desks the tenant can connect, and the ServiceNow template
  sailpoint.identitynow.service_desk_template_info:
    script_name: servicenow-sdim
  register: desks

- name: Show the attributes a ServiceNow integration takes
  ansible.builtin.debug:
    msg: "{{ desks.template.attributes.keys() | list }}"
"""

RETURN = r"""
types:
  description: The integration types, as C(name), C(type) (the value of a service desk integration's C(type)) and C(script_name).
  returned: always
  type: list
  elements: dict
  sample:
    - name: ServiceNow Service Desk
      type: ServiceNowSDIM
      script_name: servicenow-sdim
template:
  description:
    - The template for O(script_name), in the API's shape (C(type), C(attributes), C(provisioningConfig), C(id), C(name),
      C(created), C(modified)); password-like values masked.
  returned: when O(script_name) is set
  type: dict
  sample:
    name: ServiceNow Service Desk
    type: ServiceNowSDIM
    attributes:
      url: https://example.service-now.com
      username: ""
      password: ""
    provisioningConfig:
      universalManager: false
      managedResourceRefs: []
"""

from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import OptionError
from ansible_collections.sailpoint.identitynow.plugins.module_utils._module import run_module
from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import SERVICE_DESK_API_VERSIONS, api_version_spec
from ansible_collections.sailpoint.identitynow.plugins.module_utils._service_desk import ServiceDeskIntegrations

RESOURCE = ServiceDeskIntegrations


def run(module, sim):
    script = module.params["script_name"]
    if script is not None and not script.strip():
        raise OptionError("script_name", "must not be empty; leave it out to list the types only")
    types = [dict((k, t.get(src)) for k, src in (("name", "name"), ("type", "type"), ("script_name", "scriptName")))
             for t in sim.types() if isinstance(t, dict)]
    result = dict(changed=False, types=types)
    if script is not None:
        found = sim.template(script)
        if found is None:
            raise OptionError("script_name", "no service desk template has script name '%s'; use one of %s"
                              % (script, ", ".join(sorted(str(t["script_name"]) for t in types)) or "(the tenant lists none)"))
        result["template"] = found
    return result


ARGUMENT_SPEC = dict(
    api_version=api_version_spec(SERVICE_DESK_API_VERSIONS),
    script_name=dict(type="str"),
)
ARGUMENT_RULES = dict()


def execute(module, sim):
    """The task result; shared by main() and the controller-side action plugin."""
    return run(module, sim)


def main():
    run_module(ARGUMENT_SPEC, ARGUMENT_RULES, execute, RESOURCE)


if __name__ == "__main__":
    main()
