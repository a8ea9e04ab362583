# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drive the emulator with the official SailPoint Python SDK (sailpoint==1.4.2).

If the SDK cannot deserialize a response, the emulator is unfaithful: fix the emulator. The
places where the SDK itself disagrees with the spec or the live API are tested explicitly below.
"""
# pylint: disable=redefined-outer-name

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import json
import warnings

import pydantic
import pytest

import sailpoint.beta
from sailpoint.configuration import Configuration, ConfigurationParams

from conftest import CLIENT_ID, CLIENT_SECRET, Api


def sdk_configuration(url):
    params = ConfigurationParams()
    params.base_url = url
    params.client_id = CLIENT_ID
    params.client_secret = CLIENT_SECRET
    configuration = Configuration(params)  # fetches the token right here, form-urlencoded
    assert configuration.access_token, 'the SDK could not get a token from the emulator'
    configuration.experimental = True
    configuration.suppress_experimental_warnings = True
    return configuration


def sdk_namespace(version):
    """(ApiClient, SIMIntegrationsApi, models module) of one SDK namespace."""
    package = importlib.import_module('sailpoint.' + version)
    api_module = importlib.import_module('sailpoint.%s.api.sim_integrations_api' % version)
    return package.ApiClient, api_module.SIMIntegrationsApi, importlib.import_module('sailpoint.%s.models' % version)


def patch_document(models, *operations):
    # JsonPatchOperation.value is a oneOf wrapper model in the SDK; from_dict builds it.
    return models.JsonPatch(operations=[models.JsonPatchOperation.from_dict(op) for op in operations])


def details(models, **overrides):
    values = dict(
        name='SDK integration', description='created by the SDK', type='ServiceNow Service Desk',
        attributes={'url': 'https://example.service-now.com', 'password': 'hunter2'},
        sources=['2c9180835d191a86015d28455b4a2329'], cluster='xyzzy999',
        status_map={'closed_complete': 'Committed', 'requested': 'Queued'},
        request={'description': 'SailPoint Access Request'})
    values.update(overrides)
    return models.SimIntegrationDetails(**values)


# One year namespace only: importing an SDK namespace builds thousands of pydantic models (~12 s
# each), and the v2025 SIM code is generated from a byte-identical spec.
@pytest.mark.parametrize('version', ['v2024'])
def test_sdk_full_cycle(emulator, version):
    api_client_class, sim_api_class, models = sdk_namespace(version)
    with api_client_class(sdk_configuration(emulator.url)) as client, warnings.catch_warnings():
        # The SDK's JsonPatchOperation warns on 'add' (its enum says remove|replace only).
        warnings.simplefilter('ignore', UserWarning)
        sim = sim_api_class(client)

        created = sim.create_sim_integration(details(models))
        assert created.name == 'SDK integration'
        assert created.attributes == {'url': 'https://example.service-now.com'}  # the password is not returned
        assert created.managed_sources == ['2c9180835d191a86015d28455b4a2329']
        assert created.cluster_ref.id == 'xyzzy999' and created.cluster_ref.type == 'CLUSTER'
        assert created.created is not None and created.created.tzinfo is not None
        ident = created.id

        listed = sim.get_sim_integrations()
        assert [item.id for item in listed] == [ident]
        fetched = sim.get_sim_integration(ident)
        assert fetched.description == 'created by the SDK'

        replaced = sim.put_sim_integration(ident, details(models, description='replaced by the SDK'))
        assert replaced.description == 'replaced by the SDK'
        assert replaced.modified > created.modified and replaced.created == created.created

        patched = sim.patch_sim_attributes(ident, patch_document(
            models, {'op': 'replace', 'path': '/description', 'value': 'patched by the SDK'},
            {'op': 'add', 'path': '/statusMap/in_process', 'value': 'Queued'}))
        assert patched.description == 'patched by the SDK'

        rule = {'type': 'RULE', 'id': '2c918085708c274401708c2a8a760001', 'name': 'Example Rule'}
        with_rule = sim.patch_before_provisioning_rule(ident, patch_document(
            models, {'op': 'add', 'path': '/beforeProvisioningRule', 'value': rule}))
        assert with_rule.before_provisioning_rule.id == rule['id']
        assert with_rule.before_provisioning_rule.type == 'RULE'

        stored = emulator.admin.state()['integrations'][0]
        assert stored['statusMap']['in_process'] == 'Queued'
        assert stored['attributes']['password'] == 'hunter2'
        assert stored['beforeProvisioningRule'] == rule

        assert sim.delete_sim_integration(ident) is None
        assert sim.get_sim_integrations() == []

    calls = [(entry['method'], entry['status']) for entry in emulator.admin.requests()]
    assert calls == [('POST', 200), ('POST', 200), ('GET', 200), ('GET', 200), ('PUT', 200), ('PATCH', 200), ('PATCH', 200),
                     ('DELETE', 200), ('GET', 200)]
    assert emulator.admin.requests()[1]['path'] == '/%s/sim-integrations' % version


def test_sdk_error_mapping(emulator):
    api_client_class, sim_api_class, models = sdk_namespace('v2024')
    exceptions = importlib.import_module('sailpoint.v2024.exceptions')
    with api_client_class(sdk_configuration(emulator.url)) as client:
        sim = sim_api_class(client)
        sim.create_sim_integration(details(models))
        with pytest.raises(exceptions.BadRequestException) as caught:
            sim.create_sim_integration(details(models))
        assert 'already exists' in caught.value.body
        assert json.loads(caught.value.body)['detailCode'] == '400.1 Bad Request Content'
        with pytest.raises(exceptions.NotFoundException) as caught:
            sim.get_sim_integration('0123456789abcdef0123456789abcdef')
        assert json.loads(caught.value.body)['detailCode'] == '404 Not found'
        emulator.admin.expire_tokens()
        with pytest.raises(exceptions.UnauthorizedException):
            sim.get_sim_integrations()


def test_sdk_beta_cycle(emulator):
    """The beta models have no id/created/modified and the beta list is typed as one object (spec bugs)."""
    _api_client_class, sim_api_class, models = sdk_namespace('beta')
    with sailpoint.beta.ApiClient(sdk_configuration(emulator.url)) as client, warnings.catch_warnings():
        warnings.simplefilter('ignore', UserWarning)
        sim = sim_api_class(client)
        response = sim.create_sim_integration_with_http_info(details(models))
        assert response.status_code == 200
        assert response.data.name == 'SDK integration'
        assert not hasattr(response.data, 'id') or getattr(response.data, 'id', None) is None
        ident = json.loads(response.raw_data)['id']  # beta ServiceDeskIntegrationDto has no id field

        # Spec bug: beta declares the list response as a single ServiceDeskIntegrationDto. The live
        # API (and the emulator) return an array, so the SDK's typed call cannot parse it.
        with pytest.raises(pydantic.ValidationError):
            sim.get_sim_integrations()
        raw = sim.get_sim_integrations_without_preload_content()
        assert [item['id'] for item in json.loads(raw.data)] == [ident]

        assert sim.get_sim_integration(ident).description == 'created by the SDK'
        assert sim.put_sim_integration(ident, details(models, description='beta put')).description == 'beta put'
        patched = sim.patch_sim_attributes(ident, patch_document(models, {'op': 'replace', 'path': '/description', 'value': 'beta patch'}))
        assert patched.description == 'beta patch'
        with_rule = sim.patch_before_provisioning_rule(ident, patch_document(
            models, {'op': 'add', 'path': '/beforeProvisioningRule', 'value': {'type': 'RULE', 'id': 'r1', 'name': 'Rule'}}))
        assert with_rule.before_provisioning_rule.name == 'Rule'
        assert sim.delete_sim_integration(ident) is None
    assert emulator.admin.state()['integrations'] == []
    # beta sends no X-SailPoint-Experimental header and none is needed.
    assert all(entry['status'] == 200 for entry in emulator.admin.requests())


def test_sdk_rejects_strict_dto_attributes(make_emulator):
    """--strict-dto serializes attributes as a JSON string; the SDK's Dict[str, Any] refuses it."""
    emulator = make_emulator(strict_dto=True)
    api_client_class, sim_api_class, _models = sdk_namespace('v2024')
    ident = Api(emulator.url).create({'name': 'strict', 'attributes': {'url': 'u'}}).json()['id']
    with api_client_class(sdk_configuration(emulator.url)) as client:
        sim = sim_api_class(client)
        with pytest.raises(pydantic.ValidationError) as caught:
            sim.get_sim_integration(ident)
        assert 'attributes' in str(caught.value)
        raw = json.loads(sim.get_sim_integration_without_preload_content(ident).data)
        assert json.loads(raw['attributes']) == {'url': 'u'}


def test_sdk_token_with_bad_secret_fails(emulator):
    params = ConfigurationParams()
    params.base_url = emulator.url
    params.client_id = CLIENT_ID
    params.client_secret = 'wrong'
    configuration = Configuration(params)  # prints "Unable to fetch access token" and carries on
    assert configuration.access_token is None
    assert [(e['method'], e['path'], e['status']) for e in emulator.admin.requests()] == [('POST', '/oauth/token', 401)]
