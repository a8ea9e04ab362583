# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Service Desk Integrations over real HTTP: every operation on every prefix, paging, filters, sorters,
replace-only PATCH, types, templates, the status check, the beta shape and schema validation."""
# pylint: disable=redefined-outer-name

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from conftest import Api, http
from sim_emulator import SchemaValidator
from sailemu.spec import load_service_desk_versions

PREFIXES = {
    'v3': '/v3/service-desk-integrations',
    'beta': '/beta/service-desk-integrations',
    'v2024': '/v2024/service-desk-integrations',
    'v2025': '/v2025/service-desk-integrations',
    'v2026': '/v2026/service-desk-integrations',
    'v1': '/service-desk-integrations/v1',
}
VERSIONS = {api.version: api for api in load_service_desk_versions()}


class Desk(Api):
    """The Api client of conftest on the Service Desk prefixes, without the experimental header."""

    def __init__(self, base, version='v3', **kwargs):
        Api.__init__(self, base, version=version, **kwargs)

    def headers(self, extra=None):
        headers = dict(Api.headers(self, extra))
        if 'X-SailPoint-Experimental' not in (extra or {}):
            headers.pop('X-SailPoint-Experimental', None)
        return headers

    def url(self, suffix='', version=None):
        return self.base + PREFIXES[version or self.version] + suffix

    def list(self, **params):
        return self.call('GET', params=params)

    def names(self, **params):
        response = self.list(**params)
        assert response.status_code == 200, response.text
        return [item['name'] for item in response.json()]

    def stored(self):
        return self.admin_client.state()['service_desk_integrations']


def desk(name='ServiceNow desk', **extra):
    body = {'name': name, 'description': 'Service desk', 'type': 'ServiceNowSDIM',
            'attributes': {'url': 'https://acme.service-now.com', 'username': 'svc', 'password': 's3cret',
                           'oauth': {'clientSecret': 'deep'}},
            'ownerRef': {'type': 'IDENTITY', 'id': '2c9180a46faadee4016fb4e018c20639', 'name': 'Support'},
            'clusterRef': {'type': 'CLUSTER', 'id': 'cluster-1'},
            'provisioningConfig': {'managedResourceRefs': [{'type': 'SOURCE', 'id': 'source-1'}], 'noProvisioningRequests': True,
                                   'provisioningRequestExpiration': 7, 'planInitializerScript': {'source': '<Rule/>'}},
            'beforeProvisioningRule': {'type': 'RULE', 'id': 'rule-1', 'name': 'Before'}}
    body.update(extra)
    return {k: v for k, v in body.items() if v is not None}  # None: leave the field out


@pytest.fixture
def sd(emulator):
    return Desk(emulator.url)


def create(client, body, version=None):
    response = client.call('POST', json=body, version=version)
    assert response.status_code == 200, response.text
    return [doc for doc in client.stored() if doc['name'] == body['name']][0]['id']


def error_texts(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {'detailCode', 'trackingId', 'messages', 'causes'}
    return ' '.join(message['text'] for message in body['messages'])


def assert_dto(version, body):
    api = VERSIONS[version]
    assert not SchemaValidator(api.document).validate(body, api.dto_schema, request=False)


# ------------------------------------------------------------------ operations on every prefix

@pytest.mark.parametrize('version', sorted(PREFIXES))
def test_crud_cycle(sd, version):
    sd.version = version
    created = sd.call('POST', json=desk())
    assert created.status_code == 200, created.text
    assert_dto(version, created.json())
    ident = sd.stored()[0]['id']
    got = sd.get(ident)
    assert got.status_code == 200 and got.json()['name'] == 'ServiceNow desk'
    put = sd.put(ident, desk(description='replaced'))
    assert put.status_code == 200 and put.json()['description'] == 'replaced'
    patched = sd.patch(ident, [{'op': 'replace', 'path': '/description', 'value': 'patched'}])
    assert patched.status_code == 200 and patched.json()['description'] == 'patched'
    assert_dto(version, patched.json())
    deleted = sd.delete(ident)
    assert deleted.status_code == 204 and deleted.content == b'' and 'Content-Type' not in deleted.headers
    assert error_texts(sd.get(ident), 404)
    assert error_texts(sd.delete(ident), 404)
    assert sd.stored() == []


def test_one_store_for_every_prefix_apart_from_sim(sd):
    ident = create(sd, desk())
    for version in PREFIXES:
        assert [item['name'] for item in sd.call('GET', version=version).json()] == ['ServiceNow desk']
        assert sd.call('GET', '/' + ident, version=version).status_code == 200
    assert sd.call('GET', version='v1').json()[0]['id'] == ident
    sim = Api(sd.base)
    assert sim.list().json() == [] and sim.get(ident).status_code == 404
    state = sd.admin_client.state()
    assert state['integrations'] == [] and [d['id'] for d in state['service_desk_integrations']] == [ident]


def test_no_experimental_header_and_routing(sd):
    assert sd.call('GET', headers={'X-SailPoint-Experimental': 'false'}).status_code == 200
    assert sd.list().status_code == 200  # Desk sends no experimental header at all
    response = sd.call('DELETE', '/types')
    assert response.status_code == 405 and response.headers['Allow'] == 'GET'
    assert sd.call('PATCH', '/status-check-configuration').status_code == 405
    assert http('GET', sd.base + '/v3/service-desk-integrations').status_code == 401
    assert error_texts(sd.call('GET', '/templates'), 404)  # no scriptName: taken for an integration id


def test_stored_form_and_deprecated_aliases(sd):
    body = desk(clusterRef=None, provisioningConfig=None, cluster='legacy-cluster', managedSources=['s1', 's2'])
    response = sd.call('POST', json=body).json()
    assert response['clusterRef'] == {'type': 'CLUSTER', 'id': 'legacy-cluster'} and response['cluster'] == 'legacy-cluster'
    assert response['managedSources'] == ['s1', 's2']
    assert response['provisioningConfig'] == {'universalManager': False, 'noProvisioningRequests': False,
                                              'managedResourceRefs': [{'type': 'SOURCE', 'id': 's1'}, {'type': 'SOURCE', 'id': 's2'}]}
    both = desk('Both', cluster='ignored', managedSources=['ignored'])
    response = sd.call('POST', json=both).json()
    assert response['cluster'] == 'cluster-1' and response['managedSources'] == ['source-1']  # the current fields win
    stored = [d for d in sd.stored() if d['name'] == 'Both'][0]
    assert 'cluster' not in stored and 'managedSources' not in stored and stored['clusterRef']['id'] == 'cluster-1'


def test_server_fields_in_bodies_are_ignored(sd):
    ident = create(sd, desk(id='mine', created='2000-01-01T00:00:00.000Z', modified='2000-01-01T00:00:00.000Z'))
    assert ident != 'mine'
    got = sd.get(ident).json()
    assert got['created'] != '2000-01-01T00:00:00.000Z'
    put = sd.put(ident, dict(got, id='other', created='1999-01-01T00:00:00.000Z')).json()
    assert put['id'] == ident and put['created'] == got['created'] and put['modified'] > got['modified']


# ------------------------------------------------------------------ paging, filters, sorters

@pytest.fixture
def seven(sd):
    kinds = ['ServiceNowSDIM', 'JiraSDIM', 'ZendeskSDIM']
    for index, name in enumerate(['delta', 'Alpha', 'echo', 'bravo', 'Golf', 'charlie', 'foxtrot']):
        create(sd, desk(name, type=kinds[index % 3], clusterRef={'type': 'CLUSTER', 'id': 'cluster-%d' % (index % 2)}))
    return sd


def test_paging(seven):
    everything = seven.names()
    assert everything == ['delta', 'Alpha', 'echo', 'bravo', 'Golf', 'charlie', 'foxtrot']  # creation order
    pages = [seven.names(limit=3, offset=offset) for offset in (0, 3, 6, 9)]
    assert pages == [everything[:3], everything[3:6], everything[6:], []]
    counted = seven.list(limit=2, count='true')
    assert counted.headers['X-Total-Count'] == '7' and len(counted.json()) == 2
    assert 'X-Total-Count' not in seven.list(limit=2).headers and 'X-Total-Count' not in seven.list(count='false').headers
    assert seven.list(filters='type eq "JiraSDIM"', count='true').headers['X-Total-Count'] == '2'
    assert len(seven.names(limit=250)) == 7 and seven.names(limit=0) == []


@pytest.mark.parametrize('params, word', [
    ({'limit': '251'}, 'maximum of 250'), ({'limit': '-1'}, 'limit'), ({'limit': 'ten'}, 'limit'), ({'offset': '-3'}, 'offset'),
    ({'offset': '1.5'}, 'offset'), ({'count': 'yes'}, 'count'),
])
def test_bad_paging_is_400(seven, params, word):
    assert word in error_texts(seven.list(**params), 400)


def ids_of(client, *names):
    return [doc['id'] for doc in client.stored() if doc['name'] in names]


@pytest.mark.parametrize('expression, expected', [
    ('name eq "echo"', ['echo']),
    ('name eq "ECHO"', ['echo']),  # comparisons ignore case
    ('type eq "JiraSDIM"', ['Alpha', 'Golf']),
    ('type in ("JiraSDIM", "ZendeskSDIM")', ['Alpha', 'echo', 'Golf', 'charlie']),
    ('cluster eq "cluster-1"', ['Alpha', 'bravo', 'charlie']),
    ('cluster in ("cluster-0","cluster-1")', ['delta', 'Alpha', 'echo', 'bravo', 'Golf', 'charlie', 'foxtrot']),
    ('cluster eq cluster-1', ['Alpha', 'bravo', 'charlie']),  # a bare value, as the beta example writes ids
    ('type eq "ServiceNowSDIM" and cluster eq "cluster-0"', ['delta', 'foxtrot']),
    ('name eq "echo" or name eq "Golf"', ['echo', 'Golf']),
    ('not type eq "ServiceNowSDIM" and (cluster eq "cluster-1" or name eq "echo")', ['Alpha', 'echo', 'charlie']),
    ('name eq "nobody"', []),
])
def test_filters(seven, expression, expected):
    assert seven.names(filters=expression) == expected


def test_filters_on_ids(seven):
    alpha, golf = ids_of(seven, 'Alpha'), ids_of(seven, 'Golf')
    assert seven.names(filters='id eq "%s"' % alpha[0]) == ['Alpha']
    assert seven.names(filters='id eq %s' % golf[0]) == ['Golf']
    assert seven.names(filters='id in ("%s", "%s", "missing")' % (alpha[0], golf[0])) == ['Alpha', 'Golf']
    assert seven.names(filters='   ') == seven.names()  # a blank filters means none


@pytest.mark.parametrize('expression, word', [
    ('description eq "x"', "not supported on 'description'"),
    ('name in ("a", "b")', "operator 'in' is not supported on 'name'"),
    ('name co "x"', "operator 'co' is not supported"),
    ('type sw "Jira"', "operator 'sw' is not supported"),
    ('id ne "x"', "operator 'ne' is not supported"),
    ('name like "x"', "unknown operator 'like'"),
    ('name eq', 'ends too early'),
    ('name eq "x" name eq "y"', 'unexpected'),
    ('(name eq "x"', 'ends too early'),
    ('type in "JiraSDIM"', "'(' after in"),
    ('type in ("a" "b")', 'closing the in list'),
    ('name eq "unterminated', 'cannot parse'),
    ('"name" eq "x"', 'expected a field name'),
])
def test_bad_filters_are_400(seven, expression, word):
    assert word in error_texts(seven.list(filters=expression), 400)


def test_sorters(seven):
    assert seven.names(sorters='name') == ['Alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'Golf']
    assert seven.names(sorters='-name') == ['Golf', 'foxtrot', 'echo', 'delta', 'charlie', 'bravo', 'Alpha']
    assert seven.names(sorters='name', limit=2, offset=2) == ['charlie', 'delta']
    assert seven.names(sorters='name', filters='type eq "JiraSDIM"') == ['Alpha', 'Golf']
    for bad in ('id', 'created', '-type', 'name,modified'):
        assert 'sorting is not supported' in error_texts(seven.list(sorters=bad), 400)


# ------------------------------------------------------------------ PATCH: replace only

@pytest.mark.parametrize('operation', [
    {'op': 'add', 'path': '/description', 'value': 'x'}, {'op': 'remove', 'path': '/description'},
    {'op': 'move', 'from': '/description', 'path': '/name'}, {'op': 'copy', 'from': '/name', 'path': '/description'},
    {'op': 'test', 'path': '/name', 'value': 'ServiceNow desk'},
])
def test_patch_other_ops_are_403(sd, operation):
    ident = create(sd, desk())
    before = sd.stored()
    texts = error_texts(sd.patch(ident, [{'op': 'replace', 'path': '/description', 'value': 'ok'}, operation]), 403)
    assert "Operation 1: only 'replace' operations are accepted, not '%s'." % operation['op'] == texts
    assert sd.stored() == before


def test_patch_replace(sd):
    ident = create(sd, desk(ownerRef=None))
    response = sd.patch(ident, [
        {'op': 'replace', 'path': '/ownerRef', 'value': {'type': 'IDENTITY', 'id': 'owner-2', 'name': 'Owner'}},  # absent: set
        {'op': 'replace', 'path': '/attributes/password', 'value': 'n3w'},
        {'op': 'replace', 'path': '/attributes/newKey', 'value': 'v'},
        {'op': 'replace', 'path': '/provisioningConfig/noProvisioningRequests', 'value': False},
        {'op': 'replace', 'path': '/type', 'value': 'JiraSDIM'}])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body['ownerRef']['id'] == 'owner-2' and body['type'] == 'JiraSDIM' and 'password' not in body['attributes']
    assert body['attributes']['newKey'] == 'v' and body['provisioningConfig']['noProvisioningRequests'] is False
    assert sd.stored()[0]['attributes']['password'] == 'n3w'
    legacy = sd.patch(ident, [{'op': 'replace', 'path': '/cluster', 'value': 'cluster-9'},
                              {'op': 'replace', 'path': '/managedSources', 'value': ['s7']}]).json()
    assert legacy['clusterRef'] == {'type': 'CLUSTER', 'id': 'cluster-9'} and legacy['provisioningConfig']['managedResourceRefs'] == [
        {'type': 'SOURCE', 'id': 's7'}]
    current = sd.patch(ident, [{'op': 'replace', 'path': '/clusterRef', 'value': {'type': 'CLUSTER', 'id': 'cluster-3'}}]).json()
    assert current['cluster'] == 'cluster-3'
    # The current field decides when it changes: a new provisioningConfig without refs clears the sources.
    cleared = sd.patch(ident, [{'op': 'replace', 'path': '/provisioningConfig', 'value': {'noProvisioningRequests': True}}]).json()
    assert cleared['managedSources'] == [] and cleared['provisioningConfig']['managedResourceRefs'] == []


@pytest.mark.parametrize('operations, status, word', [
    ({'operations': [{'op': 'replace', 'path': '/description', 'value': 'x'}]}, 400, 'JSON Patch array'),
    ([{'op': 'replace', 'path': '/id', 'value': 'x'}], 400, "'id' is read-only"),
    ([{'op': 'replace', 'path': '/modified', 'value': 'x'}], 400, "'modified' is read-only"),
    ([{'op': 'replace', 'path': '/provisioningConfig/universalManager', 'value': True}], 400, 'universalManager'),
    ([{'op': 'replace', 'path': '/statusMap', 'value': {}}], 400, 'not a field of ServiceDeskIntegrationDto'),
    ([{'op': 'replace', 'path': '', 'value': {}}], 400, 'whole document'),
    ([{'op': 'replace', 'path': '/attributes', 'value': 'a string'}], 400, "'attributes' must be of type object"),
    ([{'op': 'replace', 'path': '/name', 'value': ' '}], 400, 'non-empty'),
    ([{'op': 'replace', 'path': '/name', 'value': 'OTHER'}], 400, 'already exists'),
    ([{'op': 'replace', 'path': '/description', 'value': None}], 400, "'[0].value' must match exactly one of"),
    ([{'op': 'replace', 'path': '/nothing/below', 'value': 1}], 400, 'not a field'),
    ([{'op': 'replace', 'path': '/attributes/missing/deeper', 'value': 1}], 400, 'could not be applied'),
    ([{'op': 'replace'}], 400, "'[0].path' is required"),
])
def test_patch_refusals(sd, operations, status, word):
    create(sd, desk('Other'))
    ident = create(sd, desk())
    before = sd.stored()
    assert word in error_texts(sd.patch(ident, operations), status)
    assert sd.stored() == before


def test_patch_media_type_and_missing_id(sd):
    ident = create(sd, desk())
    operations = [{'op': 'replace', 'path': '/description', 'value': 'x'}]
    assert sd.call('PATCH', '/' + ident, json=operations).status_code == 415
    assert error_texts(sd.patch('0' * 32, operations), 404)


# ------------------------------------------------------------------ create/PUT validation

@pytest.mark.parametrize('change, word', [
    ({'name': None}, "'name'"), ({'description': None}, "'description'"), ({'type': None}, "'type'"),
    ({'attributes': None}, "'attributes'"), ({'attributes': '{"url": "x"}'}, "'attributes' must be of type object"),
    ({'description': 5}, "'description' must be of type string"), ({'name': ''}, 'non-empty'),
    ({'clusterRef': {'type': 'SOURCE', 'id': 'c'}}, 'clusterRef.type'), ({'ownerRef': {'type': 'ROLE'}}, 'ownerRef.type'),
    ({'managedSources': 's1'}, "'managedSources' must be of type array"), ({'managedSources': [1]}, 'managedSources[0]'),
    ({'provisioningConfig': {'noProvisioningRequests': 'yes'}}, 'noProvisioningRequests'),
    ({'provisioningConfig': {'provisioningRequestExpiration': '7'}}, 'provisioningRequestExpiration'),
    ({'provisioningConfig': {'managedResourceRefs': [{'type': 'CLUSTER'}]}}, 'managedResourceRefs[0].type'),
    ({'beforeProvisioningRule': {'type': 'IDENTITY', 'id': 'r'}}, 'beforeProvisioningRule.type'),
])
def test_schema_400s(sd, change, word):
    body = desk(**change)
    assert word in error_texts(sd.call('POST', json=body), 400)
    assert word in error_texts(sd.call('POST', json=body, version='v1'), 400)
    assert sd.stored() == []


def test_body_rules(sd):
    assert 'not valid JSON' in error_texts(sd.call('POST', data='{', headers={'Content-Type': 'application/json'}), 400)
    assert sd.call('POST', data=json.dumps(desk()), headers={'Content-Type': 'text/plain'}).status_code == 415
    assert 'must be of type object' in error_texts(sd.call('POST', json=[desk()]), 400)
    ident = create(sd, desk(unknown='dropped'))
    assert 'unknown' not in sd.stored()[0]
    assert 'already exists' in error_texts(sd.call('POST', json=desk('SERVICENOW DESK')), 400)
    assert error_texts(sd.put('0' * 32, desk('Elsewhere')), 404)
    create(sd, desk('Second'))
    assert 'already exists' in error_texts(sd.put(ident, desk('second')), 400)
    # PUT replaces the whole document: a secret left out of the body is gone.
    assert sd.put(ident, desk(attributes={'url': 'https://x'})).status_code == 200
    assert [d for d in sd.stored() if d['id'] == ident][0]['attributes'] == {'url': 'https://x'}


# ------------------------------------------------------------------ beta shape

def test_beta_dto_has_no_server_fields(sd):
    sd.version = 'beta'
    created = sd.call('POST', json=desk()).json()
    ident = sd.stored()[0]['id']
    for body in (created, sd.get(ident).json(), sd.list().json()[0],
                 sd.patch(ident, [{'op': 'replace', 'path': '/description', 'value': 'p'}]).json()):
        assert not {'id', 'created', 'modified'} & set(body), body
        assert_dto('beta', body)
    full = sd.call('GET', '/' + ident, version='v3').json()
    assert full['id'] == ident and full['created'] and full['modified']
    assert_dto('v3', full)


# ------------------------------------------------------------------ types, templates, status check

def test_types_and_templates(sd):
    for version in PREFIXES:
        types = sd.call('GET', '/types', version=version)
        assert types.status_code == 200
        api = VERSIONS[version]
        schema = api.component('ServiceDeskIntegrationTemplateType')
        assert all(not api.validator.validate(item, schema, request=False) for item in types.json())
    listed = {item['type']: item['scriptName'] for item in types.json()}
    assert {'ServiceNowSDIM', 'JiraSDIM', 'BmcHelixSDIM', 'ZendeskSDIM', 'Web Service SDIM'} <= set(listed)
    schema = VERSIONS['v3'].component('ServiceDeskIntegrationTemplateDto')
    for kind, script in listed.items():
        found = sd.call('GET', '/templates/' + script)
        assert found.status_code == 200 and found.json()['type'] == kind
        assert not VERSIONS['v3'].validator.validate(found.json(), schema, request=False)
        assert found.json() == sd.call('GET', '/templates/' + script, version='v1').json()
    assert 'nope' in error_texts(sd.call('GET', '/templates/nope'), 404)


def test_status_check(emulator, sd):
    assert sd.call('GET', '/status-check-configuration').json() == {
        'provisioningStatusCheckIntervalMinutes': '30', 'provisioningMaxStatusCheckDays': '2'}
    wanted = {'provisioningStatusCheckIntervalMinutes': '15', 'provisioningMaxStatusCheckDays': '5'}
    put = sd.call('PUT', '/status-check-configuration', json=dict(wanted, extra='ignored'))
    assert put.status_code == 200 and put.json() == wanted
    assert sd.call('GET', '/status-check-configuration', version='v1').json() == wanted
    assert emulator.admin.state()['service_desk_status_check'] == wanted
    for bad, word in (({'provisioningStatusCheckIntervalMinutes': 15, 'provisioningMaxStatusCheckDays': '5'}, 'of type string'),
                      ({'provisioningMaxStatusCheckDays': '5'}, 'is required'),
                      ({'provisioningStatusCheckIntervalMinutes': 'soon', 'provisioningMaxStatusCheckDays': '5'}, 'string of digits')):
        assert word in error_texts(sd.call('PUT', '/status-check-configuration', json=bad), 400)
    assert sd.call('GET', '/status-check-configuration').json() == wanted
    emulator.admin.reset()
    assert sd.call('GET', '/status-check-configuration').json()['provisioningMaxStatusCheckDays'] == '2'
