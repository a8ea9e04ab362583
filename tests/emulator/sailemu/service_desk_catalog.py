# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fixed Service Desk catalogue: integration types, their templates, the status-check defaults.

The spec gives only the shapes (``ServiceDeskIntegrationTemplateType``, ``ServiceDeskIntegrationTemplateDto``,
``QueuedCheckConfigDetails``) and placeholder examples. The seven desks are the ones the API's tag text lists;
the ``type`` and ``scriptName`` values and the template attributes are the emulator's own (README,
"Assumptions"), chosen to look like the live ones (``ServiceNowSDIM`` is the DTO default).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import uuid

# (name, type, scriptName, template attributes); attribute values are placeholders, never secrets.
_DESKS = (
    ('ServiceNow Service Desk', 'ServiceNowSDIM', 'servicenow-sdim',
     {'url': 'https://example.service-now.com', 'username': '', 'password': '', 'authType': 'basic',
      'ticketType': 'incident', 'statusMap': {'closed_cancelled': 'Failed', 'closed_complete': 'Committed',
                                              'closed_incomplete': 'Failed', 'closed_rejected': 'Failed',
                                              'in_process': 'Queued', 'requested': 'Queued'}}),
    ('Jira Service Management (Cloud)', 'JiraSDIM', 'jira-cloud-sdim',
     {'url': 'https://example.atlassian.net', 'username': '', 'apiToken': '', 'projectKey': '', 'issueType': 'Service Request'}),
    ('Jira Service Management (Server)', 'JiraServerSDIM', 'jira-server-sdim',
     {'url': 'https://jira.example.com', 'username': '', 'password': '', 'projectKey': '', 'issueType': 'Service Request'}),
    ('BMC Helix ITSM Service Desk', 'BmcHelixSDIM', 'bmc-helix-itsm-sdim',
     {'url': 'https://example.onbmc.com', 'username': '', 'password': '', 'company': ''}),
    ('BMC Helix Remedyforce Service Desk', 'BmcRemedyforceSDIM', 'bmc-helix-remedyforce-sdim',
     {'url': 'https://login.salesforce.com', 'username': '', 'password': '', 'clientId': '', 'clientSecret': ''}),
    ('Zendesk Service Desk', 'ZendeskSDIM', 'zendesk-sdim',
     {'url': 'https://example.zendesk.com', 'username': '', 'apiToken': '', 'ticketType': 'task'}),
    ('Generic Service Desk', 'Web Service SDIM', 'generic-sdim',
     {'url': 'https://desk.example.com', 'authType': 'basic', 'username': '', 'password': '', 'createTicketEndpoint': '',
      'getTicketEndpoint': ''}),
)

# Fixed, so templates read the same in every run; the spec's QueuedCheckConfigDetails examples (30, 2) as strings.
TEMPLATE_TIMESTAMP = '2024-01-01T00:00:00.000Z'
DEFAULT_STATUS_CHECK = {'provisioningStatusCheckIntervalMinutes': '30', 'provisioningMaxStatusCheckDays': '2'}


def integration_types():
    """The ``GET .../types`` body: [{name, type, scriptName}, ...]."""
    return [{'name': name, 'type': kind, 'scriptName': script} for name, kind, script, _attributes in _DESKS]


def template(script_name):
    """The ServiceDeskIntegrationTemplateDto for ``script_name``, or None when there is no such desk."""
    for name, kind, script, attributes in _DESKS:
        if script == script_name:
            return {
                'id': uuid.uuid5(uuid.NAMESPACE_URL, 'sdim-template:' + script).hex,  # stable across runs
                'name': name,
                'created': TEMPLATE_TIMESTAMP,
                'modified': TEMPLATE_TIMESTAMP,
                'type': kind,
                'attributes': copy.deepcopy(attributes),
                'provisioningConfig': {'universalManager': False, 'managedResourceRefs': [], 'noProvisioningRequests': False},
            }
    return None
