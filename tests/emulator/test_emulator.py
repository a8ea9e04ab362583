# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API behaviour of the emulator: auth, headers, the seven SIM operations, validation, shapes."""
# pylint: disable=redefined-outer-name

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re
import time

import pytest

from conftest import Api, CLIENT_ID, CLIENT_SECRET, PATCH_CT, PREFIXES, http, sample
from sim_emulator import SchemaValidator, load_api_versions

HEX32 = re.compile(r'^[0-9a-f]{32}$')
ISO_MS = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$')
TOKEN_FORM = {'grant_type': 'client_credentials', 'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET}
SPEC_404_TEXT = 'The server did not find a current representation for the target resource.'
SPEC_403_TEXT = 'The server understood the request but refuses to authorize it.'


def assert_error_dto(response, status, detail_code, contains=None):
    assert response.status_code == status, response.text
    assert response.headers['Content-Type'] == 'application/json;charset=UTF-8'
    body = response.json()
    assert set(body) == {'detailCode', 'trackingId', 'messages', 'causes'}
    assert body['detailCode'] == detail_code
    assert HEX32.match(body['trackingId'])
    assert body['messages'] and all(set(m) == {'locale', 'localeOrigin', 'text'} for m in body['messages'])
    texts = ' '.join(m['text'] for m in body['messages'])
    if contains:
        assert contains in texts, texts
    return body


# ------------------------------------------------------------------ token endpoint

def test_token_form_body(emulator):
    response = http('POST', emulator.url + '/oauth/token', data=TOKEN_FORM)
    assert response.status_code == 200
    body = response.json()
    assert body['token_type'] == 'bearer'
    assert body['expires_in'] == 749
    assert body['scope'] and body['jti']
    assert body['access_token'].count('.') == 2
    assert response.headers['Content-Type'] == 'application/json;charset=UTF-8'


def test_token_multipart_body(emulator):
    files = {key: (None, value) for key, value in TOKEN_FORM.items()}
    response = http('POST', emulator.url + '/oauth/token', files=files)
    assert response.status_code == 200, response.text
    assert response.request.headers['Content-Type'].startswith('multipart/form-data')
    assert response.json()['access_token']


def test_token_query_string(emulator):
    response = http('POST', emulator.url + '/oauth/token', params=TOKEN_FORM)
    assert response.status_code == 200, response.text
    token = response.json()['access_token']
    listing = http('GET', emulator.url + '/beta/sim-integrations', headers={'Authorization': 'Bearer ' + token})
    assert listing.status_code == 200


def test_token_bad_secret(emulator):
    response = http('POST', emulator.url + '/oauth/token', data=dict(TOKEN_FORM, client_secret='wrong'))
    assert response.status_code == 401
    assert response.json() == {'error': 'invalid_client', 'error_description': 'Bad credentials'}
    response = http('POST', emulator.url + '/oauth/token', data=dict(TOKEN_FORM, client_id='nobody'))
    assert response.status_code == 401


def test_token_wrong_or_missing_grant_type(emulator):
    response = http('POST', emulator.url + '/oauth/token', data=dict(TOKEN_FORM, grant_type='password'))
    assert response.status_code == 400
    assert response.json()['error'] == 'unsupported_grant_type'
    form = dict(TOKEN_FORM)
    del form['grant_type']
    response = http('POST', emulator.url + '/oauth/token', data=form)
    assert response.status_code == 400
    assert response.json()['error'] == 'invalid_request'


def test_token_lifetime_option(make_emulator):
    emulator = make_emulator(token_lifetime=1)
    api = Api(emulator.url)
    assert api.list().status_code == 200
    time.sleep(1.2)
    response = api.list()
    assert response.status_code == 401
    assert response.json() == {'error': 'JWT validation failed: JWT is expired'}


# ------------------------------------------------------------------ auth and headers

@pytest.mark.parametrize('version', ['v2024', 'v2025', 'v2026', 'v1'])
def test_experimental_header_required(api, version):
    token = api.fetch_token()
    url = api.url(version=version)
    for headers in ({}, {'X-SailPoint-Experimental': 'false'}, {'X-SailPoint-Experimental': ''}):
        headers['Authorization'] = 'Bearer ' + token
        response = http('GET', url, headers=headers)
        assert response.status_code == 400
        assert response.json() == {'error': 'Experimental Header is missing or invalid.'}
        assert response.headers['Content-Type'] == 'application/json;charset=UTF-8'
        assert HEX32.match(response.headers['Slpt-Request-Id'])
    response = http('GET', url, headers={'Authorization': 'Bearer ' + token, 'x-sailpoint-experimental': 'TRUE'})
    assert response.status_code == 200
    assert response.json() == []


def test_beta_does_not_need_experimental_header(api):
    token = api.fetch_token()
    response = http('POST', api.url(version='beta'), json={'name': 'beta one'}, headers={'Authorization': 'Bearer ' + token})
    assert response.status_code == 200, response.text
    assert http('GET', api.url(version='beta'), headers={'Authorization': 'Bearer ' + token}).status_code == 200


@pytest.mark.parametrize('version', ['beta', 'v2024', 'v1'])
def test_401_without_valid_token(api, version):
    url = api.url(version=version)
    response = http('GET', url)
    assert response.status_code == 401
    assert response.json() == {'error': 'JWT is required'}
    # Auth is checked before the experimental header.
    response = http('GET', url, headers={'Authorization': 'Bearer not-a-token'})
    assert response.status_code == 401
    assert response.json() == {'error': 'JWT validation failed: JWT is invalid'}


def test_the_admin_api_lists_the_tokens_it_issued(api):
    issued = api.fetch_token()
    tokens = api.admin('GET', 'tokens')['tokens']
    assert {'token': issued, 'client_id': api.client_id, 'read_only': False, 'expired': False} in tokens
    api.admin('POST', 'tokens/expire')
    assert all(entry['expired'] for entry in api.admin('GET', 'tokens')['tokens'])


def test_expire_tokens_forces_reauthentication(api):
    assert api.list().status_code == 200
    assert api.admin('POST', 'tokens/expire')['expired'] >= 1
    response = api.list()
    assert response.status_code == 401
    assert response.json() == {'error': 'JWT validation failed: JWT is expired'}
    api.fetch_token()
    assert api.list().status_code == 200


def test_read_only_client_cannot_write(make_emulator):
    emulator = make_emulator(read_only_clients=['auditor:audit-pw'])
    admin = Api(emulator.url)
    created = admin.create(sample()).json()
    reader = Api(emulator.url, client_id='auditor', client_secret='audit-pw')
    assert reader.list().status_code == 200
    assert reader.get(created['id']).status_code == 200
    attempts = [
        reader.create(sample('other')),
        reader.put(created['id'], sample('renamed')),
        reader.patch(created['id'], [{'op': 'replace', 'path': '/description', 'value': 'x'}]),
        reader.patch(created['id'], [{'op': 'remove', 'path': '/beforeProvisioningRule'}], rule=True),
        reader.delete(created['id']),
    ]
    for response in attempts:
        body = assert_error_dto(response, 403, '403 Forbidden', SPEC_403_TEXT)
        assert body['messages'][0] == {'locale': 'en-US', 'localeOrigin': 'DEFAULT', 'text': SPEC_403_TEXT}
    assert [i['name'] for i in admin.state()] == ['ServiceNow SIM']
    assert admin.state()[0]['description'] == 'Integration description'


def test_unknown_paths_and_methods(api):
    response = http('GET', api.base + '/v3/sim-integrations', headers=api.headers())
    assert_error_dto(response, 404, '404 Not found', SPEC_404_TEXT)
    response = http('GET', api.base + '/v2024/service-desk-integrations/templates', headers=api.headers())
    assert_error_dto(response, 404, '404 Not found')  # taken for an integration id, and there is none
    response = http('GET', api.base + '/v3/service-desk-integrations/x/y', headers=api.headers())
    assert_error_dto(response, 404, '404 Not found', SPEC_404_TEXT)
    response = http('POST', api.url('/abc'), json={}, headers=api.headers())
    assert response.status_code == 405
    assert 'PUT' in response.headers['Allow']


def test_tracking_ids_are_fresh(api):
    first = api.get('0' * 32).json()['trackingId']
    second = api.get('0' * 32).json()['trackingId']
    assert first != second


# ------------------------------------------------------------------ CRUD

@pytest.mark.parametrize('version', ['v2024', 'v1', 'beta', 'v2026'])
def test_crud_cycle(api, version):
    api.version = version
    created = api.create(sample())
    assert created.status_code == 200, created.text
    assert created.headers['Content-Type'] == 'application/json;charset=UTF-8'
    item = created.json()
    ident = item['id']
    assert HEX32.match(ident)
    assert ISO_MS.match(item['created']) and item['created'] == item['modified']
    assert item['name'] == 'ServiceNow SIM'
    assert item['statusMap'] == {'closed_complete': 'Committed', 'requested': 'Queued'}

    listing = api.list()
    assert listing.status_code == 200
    assert [i['id'] for i in listing.json()] == [ident]
    assert api.get(ident).json() == item

    replaced = api.put(ident, sample(description='replaced', id='ignored', created='1999-01-01T00:00:00.000Z'))
    assert replaced.status_code == 200, replaced.text
    replaced = replaced.json()
    assert replaced['id'] == ident and replaced['created'] == item['created']
    assert replaced['modified'] > item['modified']
    assert replaced['description'] == 'replaced'

    patched = api.patch(ident, [{'op': 'replace', 'path': '/description', 'value': 'from array'},
                                {'op': 'add', 'path': '/statusMap/in_process', 'value': 'Queued'}])
    assert patched.status_code == 200, patched.text
    assert patched.json()['description'] == 'from array'
    assert patched.json()['statusMap']['in_process'] == 'Queued'
    assert patched.json()['modified'] > replaced['modified']

    patched = api.patch(ident, {'operations': [{'op': 'replace', 'path': '/description', 'value': 'from wrapper'},
                                               {'op': 'add', 'path': '/sources/-', 'value': 'second-source'}]})
    assert patched.status_code == 200, patched.text
    assert patched.json()['description'] == 'from wrapper'
    assert patched.json()['sources'][-1] == 'second-source'

    rule = {'type': 'RULE', 'id': '2c918085708c274401708c2a8a760001', 'name': 'Example Rule'}
    patched = api.patch(ident, [{'op': 'add', 'path': '/beforeProvisioningRule', 'value': rule}], rule=True)
    assert patched.status_code == 200, patched.text
    assert patched.json()['beforeProvisioningRule'] == rule
    patched = api.patch(ident, {'operations': [{'op': 'replace', 'path': '/beforeProvisioningRule/name', 'value': 'Renamed'}]}, rule=True)
    assert patched.json()['beforeProvisioningRule']['name'] == 'Renamed'

    deleted = api.delete(ident)
    assert deleted.status_code == 200
    assert deleted.content == b''
    assert_error_dto(api.get(ident), 404, '404 Not found', SPEC_404_TEXT)
    assert api.list().json() == []


def test_versions_share_one_store(api):
    ident = api.create(sample(), version='v2024').json()['id']
    for version in PREFIXES:
        assert api.get(ident, version=version).status_code == 200


def test_list_is_an_array_and_ignores_query_parameters(api):
    for index in range(3):
        api.create(sample('item %d' % index))
    response = api.call('GET', params={'limit': 1, 'offset': 5, 'filters': 'name eq "x"'})
    assert [i['name'] for i in response.json()] == ['item 0', 'item 1', 'item 2']
    beta = api.list(version='beta')
    assert isinstance(beta.json(), list) and len(beta.json()) == 3
    assert 'X-Total-Count' not in response.headers


@pytest.mark.parametrize('method', ['GET', 'PUT', 'PATCH', 'DELETE', 'PATCH-RULE'])
def test_unknown_id_is_404(api, method):
    ident = 'ffffffffffffffffffffffffffffffff'
    if method == 'GET':
        response = api.get(ident)
    elif method == 'PUT':
        response = api.put(ident, sample())
    elif method == 'PATCH':
        response = api.patch(ident, [{'op': 'replace', 'path': '/description', 'value': 'x'}])
    elif method == 'PATCH-RULE':
        response = api.patch(ident, [{'op': 'remove', 'path': '/beforeProvisioningRule'}], rule=True)
    else:
        response = api.delete(ident)
    body = assert_error_dto(response, 404, '404 Not found', SPEC_404_TEXT)
    assert body['messages'][0]['locale'] == 'en-US'


def test_duplicate_name_rejected(api):
    first = api.create(sample('Alpha')).json()
    second = api.create(sample('Beta')).json()
    assert_error_dto(api.create(sample('Alpha')), 400, '400.1 Bad Request Content', "name 'Alpha' already exists")
    assert_error_dto(api.create(sample('alpha')), 400, '400.1 Bad Request Content', 'already exists')
    assert_error_dto(api.put(second['id'], sample('Alpha')), 400, '400.1 Bad Request Content', 'already exists')
    assert_error_dto(api.patch(second['id'], [{'op': 'replace', 'path': '/name', 'value': 'Alpha'}]), 400,
                     '400.1 Bad Request Content', 'already exists')
    assert api.put(first['id'], sample('Alpha', description='same name is fine')).status_code == 200
    assert sorted(i['name'] for i in api.state()) == ['Alpha', 'Beta']


def test_a_name_is_free_again_once_renamed_deleted_or_reset(api):
    # The names are indexed (a write does not scan every record): every way a record leaves a name must free it,
    # and every way one arrives must take it.
    first = api.create(sample('Alpha')).json()
    assert api.patch(first['id'], [{'op': 'replace', 'path': '/name', 'value': 'Gamma'}]).status_code == 200
    assert api.create(sample('ALPHA')).status_code == 200  # freed by the rename
    assert_error_dto(api.create(sample('gamma')), 400, '400.1 Bad Request Content', 'already exists')  # taken by it
    assert api.put(first['id'], sample('Delta')).status_code == 200
    assert api.create(sample('Gamma')).status_code == 200  # freed by the PUT
    gamma = [i for i in api.state() if i['name'] == 'Gamma'][0]
    assert api.delete(gamma['id']).status_code in (200, 204)  # 204 with --status-codes rest
    assert api.create(sample('gamma')).status_code == 200  # freed by the delete
    api.admin_client.seed(sample('Seeded'))
    assert_error_dto(api.create(sample('SEEDED')), 400, '400.1 Bad Request Content', 'already exists')  # taken by the seed
    api.admin_client.reset()
    assert api.create(sample('Delta')).status_code == 200  # freed by the reset
    assert api.create(sample('Seeded')).status_code == 200
    assert sorted(i['name'] for i in api.state()) == ['Delta', 'Seeded']


@pytest.mark.parametrize('body, field', [
    ({'name': 42}, "'name'"),
    ({'name': 'x', 'description': 7}, "'description'"),
    ({'name': 'x', 'attributes': 'a string'}, "'attributes'"),
    ({'name': 'x', 'sources': ['ok', 3]}, "'sources[1]'"),
    ({'name': 'x', 'statusMap': []}, "'statusMap'"),
    ({'name': 'x', 'cluster': None}, "'cluster'"),
    ({'name': 'x', 'beforeProvisioningRule': {'type': 'NOPE'}}, "'beforeProvisioningRule.type'"),
    ({'description': 'no name'}, "'name' is required"),
    ({'name': None}, "'name'"),
    ({'name': '   '}, "'name'"),
    (['name'], 'request body'),
])
def test_invalid_create_body(api, body, field):
    response = api.create(body)
    body = assert_error_dto(response, 400, '400.1 Bad Request Content', field)
    assert body['causes'] == []
    assert api.state() == []


def test_invalid_json_and_content_type(api):
    response = api.call('POST', data='{"name": ', headers={'Content-Type': 'application/json'})
    assert_error_dto(response, 400, '400.1 Bad Request Content', 'not valid JSON')
    response = api.call('POST', data='{"name": "x"}', headers={'Content-Type': 'text/plain'})
    assert response.status_code == 415
    assert api.state() == []


def test_read_only_fields_ignored_on_create(api):
    response = api.create(sample(id='my-own-id', created='2001-01-01T00:00:00Z', modified='x', unknownField=1))
    assert response.status_code == 200, response.text
    item = response.json()
    assert item['id'] != 'my-own-id' and HEX32.match(item['id'])
    assert item['created'].startswith('20') and not item['created'].startswith('2001')
    assert 'unknownField' not in api.state()[0]


def _patch_failures():
    return [
        ([{'op': 'replace', 'path': '/request/nothere/deeper', 'value': 'x'}], 'could not be applied'),
        ([{'op': 'replace', 'path': '/nothere', 'value': 'x'}], "'nothere' is not a field"),
        ([{'op': 'replace', 'path': '/description', 'value': 'changed'},
          {'op': 'test', 'path': '/name', 'value': 'not the name'}], 'could not be applied'),
        ([{'op': 'replace', 'path': '/id', 'value': 'x'}], "'id' is read-only"),
        ([{'op': 'replace', 'path': '/created', 'value': '2020-01-01T00:00:00.000Z'}], "'created' is read-only"),
        ([{'op': 'remove', 'path': '/modified'}], "'modified' is read-only"),
        ([{'op': 'move', 'from': '/id', 'path': '/description'}], "'id' is read-only"),
        ([{'op': 'replace', 'path': '/description', 'value': 5}], "'description'"),
        ([{'op': 'add', 'path': '/sources/-', 'value': {'an': 'object'}}], "'sources[1]'"),
        ([{'op': 'add', 'path': '/unknown', 'value': 'x'}], "'unknown'"),
        ([{'op': 'replace', 'path': '/name', 'value': ''}], "'name'"),
        ([{'op': 'replace', 'path': '/description', 'value': None}], "'[0].value'"),
        ([{'op': 'frobnicate', 'path': '/description'}], "'[0].op'"),
        ([{'path': '/description', 'value': 'x'}], "'[0].op' is required"),
        ([{'op': 'replace', 'path': '', 'value': {}}], 'whole document'),
        ({'op': 'replace', 'path': '/description', 'value': 'x'}, 'JSON Patch array'),
        ({'operations': [{'op': 'replace'}]}, "'operations[0].path' is required"),
    ]


@pytest.mark.parametrize('operations, message', _patch_failures())
def test_failed_patch_leaves_state_unchanged(api, operations, message):
    ident = api.create(sample()).json()['id']
    before = api.state()
    response = api.patch(ident, operations)
    assert_error_dto(response, 400, '400.1 Bad Request Content', message)
    assert api.state() == before


def test_patch_requires_json_patch_content_type(api):
    ident = api.create(sample()).json()['id']
    before = api.state()
    operations = [{'op': 'replace', 'path': '/description', 'value': 'x'}]
    for content_type in ('application/json', 'text/plain'):
        response = api.patch(ident, operations, headers={'Content-Type': content_type})
        assert_error_dto(response, 415, '415 Unsupported Media Type', PATCH_CT)
    response = api.patch(ident, operations, headers={'Content-Type': 'application/json-patch+json; charset=utf-8'})
    assert response.status_code == 200
    assert api.state()[0]['description'] == 'x' != before[0]['description']


def test_rule_endpoint_only_patches_the_rule(api):
    ident = api.create(sample()).json()['id']
    before = api.state()
    response = api.patch(ident, [{'op': 'replace', 'path': '/description', 'value': 'sneaky'}], rule=True)
    assert_error_dto(response, 400, '400.1 Bad Request Content', 'outside /beforeProvisioningRule')
    response = api.patch(ident, [{'op': 'add', 'path': '/beforeProvisioningRule', 'value': {'type': 'BOGUS', 'id': 'r'}}], rule=True)
    assert_error_dto(response, 400, '400.1 Bad Request Content', "'beforeProvisioningRule.type'")
    assert api.state() == before
    rule = {'type': 'RULE', 'id': 'r1', 'name': 'Rule one'}
    assert api.patch(ident, [{'op': 'add', 'path': '/beforeProvisioningRule', 'value': rule}], rule=True).status_code == 200
    assert api.state()[0]['beforeProvisioningRule'] == rule
    removed = api.patch(ident, [{'op': 'remove', 'path': '/beforeProvisioningRule'}], rule=True)
    assert removed.status_code == 200
    assert 'beforeProvisioningRule' not in removed.json()
    # The main PATCH endpoint may change the rule too.
    assert api.patch(ident, [{'op': 'add', 'path': '/beforeProvisioningRule', 'value': rule}]).json()['beforeProvisioningRule'] == rule


def test_put_replaces_whole_document(api):
    ident = api.create(sample()).json()['id']
    response = api.put(ident, {'name': 'Minimal'})
    assert response.status_code == 200, response.text
    item = response.json()
    assert item['description'] == '' and item['attributes'] == {} and item['type'] == 'ServiceNowSDIM'
    for key in ('statusMap', 'request', 'sources', 'cluster', 'clusterRef', 'managedSources'):
        assert key not in item
    stored = api.state()[0]
    assert 'statusMap' not in stored and 'password' not in stored['attributes']


# ------------------------------------------------------------------ secrets and shapes

def test_secrets_are_omitted_on_read(api):
    attributes = {'url': 'https://x', 'password': 'p', 'clientSecret': 'c', 'API_KEY': 'k', 'private_key': 'pk',
                  'accessToken': 't', 'credentials': 'cr', 'nested': {'password': 'np', 'keep': 1}}
    created = api.create(sample(attributes=attributes)).json()
    expected = {'url': 'https://x', 'nested': {'keep': 1}}
    assert created['attributes'] == expected
    ident = created['id']
    assert api.get(ident).json()['attributes'] == expected
    assert api.list().json()[0]['attributes'] == expected
    patched = api.patch(ident, [{'op': 'replace', 'path': '/attributes/password', 'value': 'rotated'}])
    assert patched.status_code == 200 and patched.json()['attributes'] == expected
    put = api.put(ident, sample(attributes=dict(attributes, password='again')))
    assert put.json()['attributes'] == expected
    stored = api.state()[0]['attributes']
    assert stored['password'] == 'again' and stored['clientSecret'] == 'c' and stored['nested']['password'] == 'np'
    # A test operation sees the stored secret even though reads hide it.
    ok = api.patch(ident, [{'op': 'test', 'path': '/attributes/password', 'value': 'again'}])
    assert ok.status_code == 200


def test_return_secrets_option(make_emulator):
    api = Api(make_emulator(return_secrets=True).url)
    created = api.create(sample()).json()
    assert created['attributes']['password'] == 's3cret'
    assert api.get(created['id']).json()['attributes']['password'] == 's3cret'


def test_default_response_shape(api):
    item = api.create(sample(beforeProvisioningRule={'type': 'RULE', 'id': 'r1', 'name': 'Rule'})).json()
    assert item['managedSources'] == item['sources'] == ['2c9180835d191a86015d28455b4a2329']
    assert item['clusterRef'] == {'type': 'CLUSTER', 'id': 'xyzzy999'}
    assert item['cluster'] == 'xyzzy999'
    assert item['request'] == {'description': 'SailPoint Access Request'}
    assert item['type'] == 'ServiceNow Service Desk'
    assert 'provisioningConfig' not in item
    # Every response validates against the spec's ServiceDeskIntegrationDto (extra fields allowed).
    for version in load_api_versions():
        validator = SchemaValidator(version.document)
        schema = version.component('ServiceDeskIntegrationDto')
        assert validator.validate(item, schema, request=False) == []
    minimal = api.create({'name': 'Bare'}).json()
    assert minimal['description'] == '' and minimal['type'] == 'ServiceNowSDIM' and minimal['attributes'] == {}
    assert set(minimal) == {'id', 'name', 'created', 'modified', 'description', 'type', 'attributes'}


def test_strict_dto_shape(make_emulator):
    api = Api(make_emulator(strict_dto=True).url)
    rule = {'type': 'IDENTITY', 'id': 'r1', 'name': 'Rule'}
    item = api.create(sample(beforeProvisioningRule=rule)).json()
    for key in ('statusMap', 'request', 'sources'):
        assert key not in item
    assert isinstance(item['attributes'], str)
    assert json.loads(item['attributes']) == {'url': 'https://example.service-now.com', 'username': 'svc'}
    assert item['managedSources'] == ['2c9180835d191a86015d28455b4a2329']
    assert item['cluster'] == 'xyzzy999'
    assert item['clusterRef'] == {'type': 'CLUSTER', 'id': 'xyzzy999'}
    assert item['provisioningConfig'] == {
        'universalManager': False, 'noProvisioningRequests': False,
        'managedResourceRefs': [{'type': 'SOURCE', 'id': '2c9180835d191a86015d28455b4a2329'}]}
    assert item['beforeProvisioningRule'] == {'type': 'RULE', 'id': 'r1', 'name': 'Rule'}
    listed = api.list().json()[0]
    assert isinstance(listed['attributes'], str) and 'statusMap' not in listed
    # The stored document still has everything.
    stored = api.state()[0]
    assert stored['statusMap'] and stored['sources'] and stored['attributes']['password'] == 's3cret'


# ------------------------------------------------------------------ admin API

def test_request_log(api):
    api.fetch_token()
    api.create(sample())
    api.get('missing')
    http('GET', api.base + '/nowhere')
    api.admin('GET', 'state')
    log = [{k: entry[k] for k in ('method', 'path', 'status')} for entry in api.log()]
    assert log == [
        {'method': 'POST', 'path': '/oauth/token', 'status': 200},
        {'method': 'POST', 'path': '/v2024/sim-integrations', 'status': 200},
        {'method': 'GET', 'path': '/v2024/sim-integrations/missing', 'status': 404},
        {'method': 'GET', 'path': '/nowhere', 'status': 404},
    ]
    api.call('GET', params={'q': 1})
    assert api.log()[-1] == {'method': 'GET', 'path': '/v2024/sim-integrations', 'query': 'q=1', 'status': 200,
                             'content_type': None, 'body': None}
    assert api.admin('DELETE', 'requests')['cleared'] == 5
    assert api.log() == []


def test_reset(api):
    api.create(sample())
    api.admin('POST', 'faults', json={'rules': [{'path': '/nowhere', 'status': 500}]})
    assert api.admin('POST', 'reset') == {'reset': True}
    assert api.state() == [] and api.log() == [] and api.admin('GET', 'faults') == {'rules': []}
    # Tokens stay valid across a reset.
    assert api.list().status_code == 200


def test_admin_errors(api):
    assert http('GET', api.base + '/__emulator/nothing').status_code == 404
    assert http('POST', api.base + '/__emulator/state').status_code == 405
    assert http('POST', api.base + '/__emulator/faults', json={'rules': [{'status': 500, 'delay': 1}]}).status_code == 400
    assert http('POST', api.base + '/__emulator/faults', data='not json').status_code == 400
    assert http('POST', api.base + '/__emulator/faults', json={'rules': [{'reset': 'sideways'}]}).status_code == 400
    assert http('POST', api.base + '/__emulator/faults', json={'rules': [{'status': 500, 'times': 0}]}).status_code == 400
    assert api.log() == []
