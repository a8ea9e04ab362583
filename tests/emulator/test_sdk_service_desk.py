# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole Service Desk lifecycle through the official SDK (sailpoint==1.4.2, ``sailpoint.v3``).

A client no one here wrote: if it cannot send what the emulator takes, or parse what it answers, the
emulator is unfaithful to the spec the SDK was generated from.
"""
# pylint: disable=redefined-outer-name

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

import sailpoint.v3
from sailpoint.configuration import Configuration, ConfigurationParams
from sailpoint.v3.api.service_desk_integration_api import ServiceDeskIntegrationApi
from sailpoint.v3 import models

from conftest import CLIENT_ID, CLIENT_SECRET

OWNER = '2c9180a46faadee4016fb4e018c20639'


@pytest.fixture
def desk_api(emulator):
    params = ConfigurationParams()
    params.base_url = emulator.url
    params.client_id = CLIENT_ID
    params.client_secret = CLIENT_SECRET
    configuration = Configuration(params)  # fetches the token here
    assert configuration.access_token, 'the SDK could not get a token from the emulator'
    # Not experimental: no configuration.experimental needed, unlike the SIM API.
    with sailpoint.v3.ApiClient(configuration) as client:
        yield ServiceDeskIntegrationApi(client)


def dto(name, **overrides):
    values = dict(
        name=name, description='made by the SDK', type='ServiceNowSDIM',
        attributes={'url': 'https://acme.service-now.com', 'username': 'svc', 'password': 'hunter2'},
        owner_ref=models.OwnerDto(type='IDENTITY', id=OWNER, name='Support'),
        cluster_ref=models.SourceClusterDto(type='CLUSTER', id='cluster-1'),
        provisioning_config=models.ProvisioningConfig(
            managed_resource_refs=[models.ServiceDeskSource(type='SOURCE', id='source-1')],
            no_provisioning_requests=True, provisioning_request_expiration=7),
        before_provisioning_rule=models.BeforeProvisioningRuleDto(type='RULE', id='rule-1', name='Before'))
    values.update(overrides)
    return models.ServiceDeskIntegrationDto(**values)


def replace(path, value):
    return models.JsonPatchOperation.from_dict({'op': 'replace', 'path': path, 'value': value})


def test_sdk_service_desk_lifecycle(emulator, desk_api):
    created = desk_api.create_service_desk_integration(dto('SDK desk'))
    assert created.id and created.created and created.cluster_ref.id == 'cluster-1' and created.cluster == 'cluster-1'
    assert created.provisioning_config.managed_resource_refs[0].id == 'source-1' and created.managed_sources == ['source-1']
    assert 'password' not in created.attributes and created.owner_ref.id == OWNER
    second_cluster = models.SourceClusterDto(type='CLUSTER', id='cluster-2')
    other = desk_api.create_service_desk_integration(dto('Another desk', type='JiraSDIM', cluster_ref=second_cluster))
    assert emulator.admin.state()['service_desk_integrations'][0]['attributes']['password'] == 'hunter2'

    # list: filters, sorters, paging and the total count
    assert [d.name for d in desk_api.get_service_desk_integrations()] == ['SDK desk', 'Another desk']
    assert [d.id for d in desk_api.get_service_desk_integrations(filters='name eq "SDK desk"')] == [created.id]
    assert [d.name for d in desk_api.get_service_desk_integrations(filters='type in ("JiraSDIM","ZendeskSDIM")')] == ['Another desk']
    assert [d.name for d in desk_api.get_service_desk_integrations(filters='cluster eq "cluster-1"')] == ['SDK desk']
    both = 'id in ("%s","%s")' % (created.id, other.id)
    assert [d.name for d in desk_api.get_service_desk_integrations(filters=both, sorters='name')] == ['Another desk', 'SDK desk']
    assert [d.name for d in desk_api.get_service_desk_integrations(sorters='-name', limit=1, offset=1)] == ['Another desk']
    counted = desk_api.get_service_desk_integrations_with_http_info(limit=1, count=True)
    assert counted.headers['X-Total-Count'] == '2' and len(counted.data) == 1
    with pytest.raises(sailpoint.v3.ApiException) as refused:
        desk_api.get_service_desk_integrations(filters='description eq "x"')
    assert refused.value.status == 400

    got = desk_api.get_service_desk_integration(created.id)
    assert got.name == 'SDK desk' and got.before_provisioning_rule.name == 'Before'

    patched = desk_api.patch_service_desk_integration(created.id, [replace('/description', 'patched by the SDK'),
                                                                   replace('/attributes/password', 'n3w')])
    assert patched.description == 'patched by the SDK' and patched.modified > got.modified
    assert emulator.admin.state()['service_desk_integrations'][0]['attributes']['password'] == 'n3w'
    with pytest.raises(sailpoint.v3.ApiException) as forbidden:
        desk_api.patch_service_desk_integration(created.id, [models.JsonPatchOperation.from_dict(
            {'op': 'remove', 'path': '/description'})])
    assert forbidden.value.status == 403

    put = desk_api.put_service_desk_integration(created.id, dto('SDK desk', description='put by the SDK', type='ZendeskSDIM'))
    assert put.description == 'put by the SDK' and put.type == 'ZendeskSDIM' and put.id == created.id

    types = desk_api.get_service_desk_integration_types()
    assert 'ServiceNowSDIM' in [t.type for t in types]
    script = [t.script_name for t in types if t.type == 'ServiceNowSDIM'][0]
    template = desk_api.get_service_desk_integration_template(script)
    assert template.type == 'ServiceNowSDIM' and 'url' in template.attributes and template.provisioning_config is not None

    status = desk_api.get_status_check_details()
    assert (status.provisioning_status_check_interval_minutes, status.provisioning_max_status_check_days) == ('30', '2')
    updated = desk_api.update_status_check_details(models.QueuedCheckConfigDetails(
        provisioning_status_check_interval_minutes='15', provisioning_max_status_check_days='3'))
    assert (updated.provisioning_status_check_interval_minutes, updated.provisioning_max_status_check_days) == ('15', '3')
    assert desk_api.get_status_check_details().provisioning_max_status_check_days == '3'

    assert desk_api.delete_service_desk_integration(created.id) is None
    assert desk_api.delete_service_desk_integration(other.id) is None
    assert emulator.admin.state()['service_desk_integrations'] == []

    # What the SDK sent: the bare JSON Patch array as application/json-patch+json, and no experimental header needed.
    patches = [e for e in emulator.admin.requests() if e['method'] == 'PATCH']
    assert patches[0]['content_type'].startswith('application/json-patch+json')
    assert patches[0]['body'] == [{'op': 'replace', 'path': '/description', 'value': 'patched by the SDK'},
                                  {'op': 'replace', 'path': '/attributes/password', 'value': 'n3w'}]
    statuses = [(e['method'], e['status']) for e in emulator.admin.requests() if e['path'] != '/oauth/token']
    assert ('DELETE', 204) in statuses and all(status < 500 for _method, status in statuses)
