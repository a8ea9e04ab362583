# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Service Desk Integrations with the emulator's switches: the variant flags that apply (and those that do
not), secrets, read-only clients, faults, the rate limit, the admin API and the state file."""
# pylint: disable=redefined-outer-name

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest
import requests

import harness
from conftest import Api
from test_service_desk import Desk, create, desk, error_texts

REPLACE = [{'op': 'replace', 'path': '/description', 'value': 'patched'}]


def started(make_emulator, **options):
    return Desk(make_emulator(**options).url)


@pytest.mark.parametrize('mode, password, secret', [('omit', None, None), ('mask', '********', '********'), ('return', 's3cret', 'deep')])
def test_secrets_modes(make_emulator, mode, password, secret):
    sd = started(make_emulator, secrets=mode)
    ident = create(sd, desk())
    for response in (sd.get(ident), sd.call('GET'), sd.patch(ident, REPLACE), sd.put(ident, desk())):
        body = response.json()
        attributes = (body[0] if isinstance(body, list) else body)['attributes']
        assert attributes.get('password') == password and attributes['oauth'].get('clientSecret') == secret
        assert attributes['username'] == 'svc'
    assert sd.stored()[0]['attributes']['password'] == 's3cret'


def test_status_codes_rest(make_emulator):
    sd = started(make_emulator, status_codes='rest')
    response = sd.call('POST', json=desk())
    ident = sd.stored()[0]['id']
    assert response.status_code == 201 and response.headers['Location'].endswith('/v3/service-desk-integrations/' + ident)
    assert sd.put(ident, desk()).status_code == 200 and sd.patch(ident, REPLACE).status_code == 200
    assert sd.delete(ident).status_code == 204


def test_status_codes_spec_create_is_200(make_emulator):
    sd = started(make_emulator)
    response = sd.call('POST', json=desk())
    assert response.status_code == 200 and 'Location' not in response.headers


@pytest.mark.parametrize('status', [400, 409])
def test_duplicate_status(make_emulator, status):
    sd = started(make_emulator, duplicate_status=status)
    create(sd, desk())
    assert 'already exists' in error_texts(sd.call('POST', json=desk()), status)


def test_patch_paths_top(make_emulator):
    sd = started(make_emulator, patch_paths='top')
    ident = create(sd, desk())
    texts = error_texts(sd.patch(ident, [{'op': 'replace', 'path': '/attributes/password', 'value': 'x'}]), 400)
    assert 'deeper than one segment' in texts
    assert sd.patch(ident, [{'op': 'replace', 'path': '/attributes', 'value': {'url': 'https://y'}}]).status_code == 200


def test_flags_that_do_not_apply(make_emulator):
    """--patch-ops, --patch-body and --strict-dto are SIM switches: the Service Desk API keeps its own rules."""
    sd = started(make_emulator, patch_ops='any', patch_body='operations', strict_dto=True)
    ident = create(sd, desk())
    assert error_texts(sd.patch(ident, [{'op': 'add', 'path': '/description', 'value': 'x'}]), 403)
    assert sd.patch(ident, REPLACE).status_code == 200
    assert 'JSON Patch array' in error_texts(sd.patch(ident, {'operations': REPLACE}), 400)
    assert isinstance(sd.get(ident).json()['attributes'], dict)


def test_read_only_client(make_emulator):
    emulator = make_emulator(read_only_clients=['reader:reader-secret'])
    ident = create(Desk(emulator.url), desk())
    reader = Desk(emulator.url, client_id='reader', client_secret='reader-secret')
    assert reader.get(ident).status_code == 200 and reader.call('GET', '/types').status_code == 200
    assert reader.call('GET', '/status-check-configuration').status_code == 200
    for response in (reader.call('POST', json=desk('New')), reader.put(ident, desk()), reader.patch(ident, REPLACE),
                     reader.delete(ident), reader.call('PUT', '/status-check-configuration', json={
                         'provisioningStatusCheckIntervalMinutes': '1', 'provisioningMaxStatusCheckDays': '1'})):
        assert '403' in json.dumps(response.json()) and response.status_code == 403
    assert len(reader.stored()) == 1


def test_faults_apply(make_emulator):
    emulator = make_emulator()
    sd = Desk(emulator.url)
    sd.fetch_token()
    emulator.admin.add_faults({'method': 'GET', 'path': '/v3/service-desk-integrations', 'status': 503, 'retry_after': 2},
                              {'method': 'POST', 'path': '/v3/service-desk-integrations', 'reset': 'after'})
    response = sd.list()
    assert response.status_code == 503 and response.headers['Retry-After'] == '2'
    with pytest.raises(requests.ConnectionError):
        sd.call('POST', json=desk())
    assert [doc['name'] for doc in sd.stored()] == ['ServiceNow desk']  # applied, although the answer was lost
    assert sd.list().status_code == 200


def test_rate_limit_per_version(make_emulator):
    sd = started(make_emulator, rate_limit=2, rate_window=30)
    assert sd.list().status_code == 200 and sd.call('GET', '/types').status_code == 200
    limited = sd.list()
    assert limited.status_code == 429 and limited.json() == {'message': ' Rate Limit Exceeded '} and int(limited.headers['Retry-After']) >= 1
    assert sd.call('GET', version='v2025').status_code == 200  # another version, another bucket


def test_admin_seed_state_reset_and_log(make_emulator):
    emulator = make_emulator()
    admin = emulator.admin
    seeded = admin.call('POST', 'seed', {
        'service_desk_integrations': [{'name': 'Planted', 'description': '', 'type': 'ZendeskSDIM', 'attributes': {'apiToken': 't'}}],
        'service_desk_status_check': {'provisioningStatusCheckIntervalMinutes': '5', 'provisioningMaxStatusCheckDays': '1'}})
    planted = seeded['service_desk_integrations'][0]
    assert seeded['integrations'] == [] and len(planted['id']) == 32 and planted['created']
    sd = Desk(emulator.url)
    got = sd.get(planted['id']).json()
    assert got['type'] == 'ZendeskSDIM' and 'apiToken' not in got['attributes']
    assert sd.call('GET', '/status-check-configuration').json()['provisioningStatusCheckIntervalMinutes'] == '5'
    legacy = admin.call('POST', 'seed', {'service_desk_integrations': [{'name': 'Legacy', 'cluster': 'c9', 'managedSources': ['s9']}]})
    legacy_view = sd.get(legacy['service_desk_integrations'][0]['id']).json()
    assert legacy_view['clusterRef'] == {'type': 'CLUSTER', 'id': 'c9'} and legacy_view['managedSources'] == ['s9']
    admin.call('DELETE', 'requests')
    sd.delete(legacy_view['id'])
    admin.seed({'name': 'SIM one'})
    state = admin.state()
    assert [d['name'] for d in state['integrations']] == ['SIM one']
    assert state['service_desk_integrations'] == [planted] and state['service_desk_status_check']['provisioningMaxStatusCheckDays'] == '1'
    logged = [(entry['method'], entry['path'], entry['status']) for entry in admin.requests()]
    assert logged == [('DELETE', '/v3/service-desk-integrations/' + legacy_view['id'], 204)]
    with pytest.raises(harness.HarnessError):
        admin.call('POST', 'seed', {'integrations': [{'name': 'fine'}], 'service_desk_integrations': 'not a list'})
    with pytest.raises(harness.HarnessError):
        admin.call('POST', 'seed', {'other': []})
    assert admin.state() == state  # a refused seed stores nothing
    admin.reset()
    assert admin.state() == {'integrations': [], 'service_desk_integrations': [], 'service_desk_status_check': {
        'provisioningStatusCheckIntervalMinutes': '30', 'provisioningMaxStatusCheckDays': '2'}}


def test_state_file_keeps_service_desk(make_emulator, tmp_path):
    state_file = str(tmp_path / 'state.json')
    first = make_emulator(state_file=state_file)
    sd = Desk(first.url)
    ident = create(sd, desk())
    sd.call('PUT', '/status-check-configuration', json={'provisioningStatusCheckIntervalMinutes': '9', 'provisioningMaxStatusCheckDays': '4'})
    first.stop()
    with open(state_file, encoding='utf-8') as handle:
        saved = json.load(handle)
    assert saved['service_desk_integrations'][0]['attributes']['password'] == 's3cret'
    second = Desk(make_emulator(state_file=state_file).url)
    assert second.get(ident).json()['name'] == 'ServiceNow desk'
    assert second.call('GET', '/status-check-configuration').json()['provisioningMaxStatusCheckDays'] == '4'
    assert 'already exists' in error_texts(second.call('POST', json=desk()), 400)


def test_state_file_of_sim_only_shape_still_loads(make_emulator, tmp_path):
    state_file = str(tmp_path / 'old.json')
    with open(state_file, 'w', encoding='utf-8') as handle:
        json.dump({'integrations': [{'id': 'a' * 32, 'name': 'Old', 'created': '2026-01-01T00:00:00.000Z',
                                     'modified': '2026-01-01T00:00:00.000Z'}]}, handle)
    emulator = make_emulator(state_file=state_file)
    assert Api(emulator.url).get('a' * 32).status_code == 200
    assert Desk(emulator.url).list().json() == []
    assert os.path.exists(state_file)


def test_cli_process_serves_service_desk(spawn):
    process = spawn('--status-codes', 'rest', '--secrets', 'mask', '--duplicate-status', '409')
    sd = Desk(process.url, version='v2026')
    assert sd.call('POST', json=desk()).status_code == 201
    assert sd.call('GET', version='v1').json()[0]['attributes']['password'] == '********'
    assert sd.call('POST', json=desk()).status_code == 409
    assert sd.call('GET', '/templates/zendesk-sdim').json()['type'] == 'ZendeskSDIM'
