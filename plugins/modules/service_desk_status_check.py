#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: service_desk_status_check
short_description: Set how SailPoint IdentityNow checks the status of Service Desk tickets
version_added: 0.2.0
description:
  - Sets the tenant's Service Desk status-check configuration, how often the status of queued tickets is checked and for
    how many days, with one PUT of C(/service-desk-integrations/status-check-configuration).
  - Only the options you set are compared; the other keeps its value. Nothing is sent when the configuration is already
    as asked. Without options, the task only reads the configuration.
author:
  - sailpoint.identitynow contributors (@sailpoint-identitynow)
extends_documentation_fragment:
  - sailpoint.identitynow.connection.SERVICE_DESK
  - sailpoint.identitynow.connection
  - sailpoint.identitynow.attributes
  - sailpoint.identitynow.attributes.CHECK_MODE_PREDICTS
  - sailpoint.identitynow.attributes.ACTION_GROUP_IDENTITYNOW
seealso:
  - module: sailpoint.identitynow.service_desk_integration
options:
  provisioning_status_check_interval_minutes:
    description:
      - Minutes between two status checks of a queued ticket, a whole number of 1 or more.
      - The API types it as a string; a number or a string of digits is taken and sent as a string.
    type: raw
  provisioning_max_status_check_days:
    description:
      - Days a queued ticket's status is checked for, a whole number of 1 or more. Taken and sent as
        O(provisioning_status_check_interval_minutes) is.
    type: raw
"""

EXAMPLES = r"""
- name: Check ServiceNow tickets every 15 minutes, for up to 3 days
  sailpoint.identitynow.service_desk_status_check:
    provisioning_status_check_interval_minutes: 15
    provisioning_max_status_check_days: 3
"""

RETURN = r"""
record:
  description: The configuration after the task (predicted in check mode); the values are strings, as the API has them.
  returned: always
  type: dict
  sample:
    provisioning_status_check_interval_minutes: "15"
    provisioning_max_status_check_days: "3"
diff:
  description: The values that change, before and after.
  returned: when diff mode is on
  type: dict
  sample:
    before:
      provisioning_status_check_interval_minutes: "30"
    after:
      provisioning_status_check_interval_minutes: "15"
"""

import re

from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import OptionError
from ansible_collections.sailpoint.identitynow.plugins.module_utils._module import run_module
from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import SERVICE_DESK_API_VERSIONS, api_version_spec
from ansible_collections.sailpoint.identitynow.plugins.module_utils._service_desk import ServiceDeskIntegrations

RESOURCE = ServiceDeskIntegrations
FIELDS = (
    ("provisioning_status_check_interval_minutes", "provisioningStatusCheckIntervalMinutes"),
    ("provisioning_max_status_check_days", "provisioningMaxStatusCheckDays"),
)


def wanted(params):
    """The API values the task asks for, as strings of digits; refused before any request otherwise."""
    out = {}
    for option, key in FIELDS:
        value = params.get(option)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not re.match(r"^\s*[0-9]+\s*$", str(value)) or int(value) < 1:
            raise OptionError(option, "%r is not a whole number of 1 or more; use for example 30 (a string of digits is taken too)"
                              % (value,))
        out[key] = str(int(value))
    return out


def to_record(config):
    return dict((option, str(config[key])) for option, key in FIELDS if config.get(key) is not None)


def run(module, sim):
    want = wanted(module.params)
    current = sim.status_check()
    changed = [key for key, value in want.items() if str(current.get(key)) != value]
    if not changed:
        return dict(changed=False, record=to_record(current), diff=dict(before={}, after={}))
    body = dict((key, str(current[key])) for _option, key in FIELDS if current.get(key) is not None)
    body.update(want)
    written = sim.put_status_check(body)
    names = dict((key, option) for option, key in FIELDS)
    diff = dict(before=dict((names[k], str(current.get(k))) for k in changed if current.get(k) is not None),
                after=dict((names[k], want[k]) for k in changed))
    return dict(changed=True, record=to_record(written), diff=diff)


ARGUMENT_SPEC = dict(
    api_version=api_version_spec(SERVICE_DESK_API_VERSIONS),
    provisioning_status_check_interval_minutes=dict(type="raw"),
    provisioning_max_status_check_days=dict(type="raw"),
)
ARGUMENT_RULES = dict()


def execute(module, sim):
    """The task result; shared by main() and the controller-side action plugin."""
    result = run(module, sim)
    if not module.diff:
        result.pop("diff")
    return result


def main():
    run_module(ARGUMENT_SPEC, ARGUMENT_RULES, execute, RESOURCE)


if __name__ == "__main__":
    main()
