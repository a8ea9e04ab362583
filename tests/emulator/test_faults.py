# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rate limiting and fault injection."""
# pylint: disable=redefined-outer-name

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import time

import pytest
import requests

from conftest import Api, http, sample


# ------------------------------------------------------------------ rate limit

def test_rate_limit_per_version(make_emulator):
    emulator = make_emulator(rate_limit=3, rate_window=1)
    api = Api(emulator.url)
    for _attempt in range(3):
        assert api.list().status_code == 200
    limited = api.list()
    assert limited.status_code == 429
    assert limited.json() == {'message': ' Rate Limit Exceeded '}
    assert limited.headers['Content-Type'] == 'application/json;charset=UTF-8'
    retry_after = int(limited.headers['Retry-After'])
    assert 1 <= retry_after <= 2
    # Other API versions have their own buckets; so does v2025 next to v2024.
    for version in ('beta', 'v2025', 'v2026', 'v1'):
        assert api.list(version=version).status_code == 200, version
    # The token endpoint and the admin API are never limited.
    for _attempt in range(5):
        api.fetch_token()
        api.log()
    assert api.list().status_code == 429
    time.sleep(retry_after)
    assert api.list().status_code == 200
    statuses = [e['status'] for e in api.log() if e['path'] == '/v2024/sim-integrations']
    assert statuses == [200, 200, 200, 429, 429, 200]


def test_rate_limit_is_per_client_and_429s_do_not_count(make_emulator):
    emulator = make_emulator(rate_limit=2, rate_window=1, read_only_clients=['reader:pw'])
    first = Api(emulator.url)
    second = Api(emulator.url, client_id='reader', client_secret='pw')
    assert [first.list().status_code for _attempt in range(2)] == [200, 200]
    assert second.list().status_code == 200
    # Hammering while limited does not extend the window.
    for _attempt in range(10):
        assert first.list().status_code == 429
    time.sleep(1.05)
    assert first.list().status_code == 200


def test_rate_limit_zero_disables(make_emulator):
    api = Api(make_emulator(rate_limit=0).url)
    assert all(api.list().status_code == 200 for _attempt in range(150))


def test_reset_clears_rate_limit_counters(make_emulator):
    api = Api(make_emulator(rate_limit=1, rate_window=30).url)
    assert api.list().status_code == 200
    assert api.list().status_code == 429
    api.admin('POST', 'reset')
    assert api.list().status_code == 200


# ------------------------------------------------------------------ faults

def add_faults(api, *rules):
    return api.admin('POST', 'faults', json={'rules': list(rules)})['rules']


def test_fault_status_with_retry_after(api):
    path = '/v2024/sim-integrations'
    add_faults(api, {'method': 'GET', 'path': path, 'status': 429, 'retry_after': 3, 'times': 2})
    api.fetch_token()
    for _attempt in range(2):
        response = api.list()
        assert response.status_code == 429
        assert response.headers['Retry-After'] == '3'
        assert response.json() == {'message': ' Rate Limit Exceeded '}
    assert api.list().status_code == 200
    assert api.admin('GET', 'faults') == {'rules': []}
    assert [e['status'] for e in api.log()] == [200, 429, 429, 200]


def test_fault_default_bodies_follow_the_spec(api):
    add_faults(api, {'path': '/v2024/sim-integrations', 'status': 500}, {'path': '/v2024/sim-integrations', 'status': 401})
    body = api.list().json()
    assert body['detailCode'] == '500.0 Internal Fault'
    assert body['messages'][0]['text'] == 'An internal fault occurred.'
    assert api.list().json() == {'error': 'JWT validation failed: JWT is expired'}


def test_fault_custom_json_and_non_json_bodies(api):
    add_faults(api,
               {'method': 'POST', 'path': '/v2024/sim-integrations', 'status': 502, 'body': '<html>Bad Gateway</html>',
                'content_type': 'text/html'},
               {'method': 'GET', 'status': 503, 'body': 'upstream timeout'},
               {'method': 'GET', 'status': 400, 'body': {'detailCode': 'custom', 'messages': []}, 'headers': {'X-Extra': 'yes'}})
    response = api.create(sample())
    assert response.status_code == 502
    assert response.text == '<html>Bad Gateway</html>'
    assert response.headers['Content-Type'] == 'text/html'
    with pytest.raises(ValueError):
        response.json()
    response = api.list()
    assert response.status_code == 503 and response.text == 'upstream timeout'
    assert response.headers['Content-Type'].startswith('text/plain')
    response = api.list()
    assert response.status_code == 400 and response.json() == {'detailCode': 'custom', 'messages': []}
    assert response.headers['X-Extra'] == 'yes'
    assert api.state() == []


def test_fault_matches_method_and_exact_path(api):
    ident = api.create(sample()).json()['id']
    rules = add_faults(api, {'method': 'DELETE', 'path': '/v2024/sim-integrations/' + ident, 'status': 500})
    assert rules == [{'method': 'DELETE', 'path': '/v2024/sim-integrations/' + ident, 'times': 1, 'status': 500}]
    assert api.get(ident).status_code == 200
    assert api.delete(ident, version='v1').status_code == 200
    assert api.admin('GET', 'faults')['rules'][0]['times'] == 1
    assert api.admin('DELETE', 'faults') == {'cleared': 1}


def test_fault_on_token_endpoint(api):
    add_faults(api, {'path': '/oauth/token', 'status': 503, 'body': ''})
    response = http('POST', api.base + '/oauth/token', data={'grant_type': 'client_credentials'})
    assert response.status_code == 503 and response.content == b''
    api.fetch_token()


def test_fault_delay(api):
    add_faults(api, {'method': 'GET', 'delay': 0.4})
    api.fetch_token()
    started = time.time()
    response = api.list()
    assert time.time() - started >= 0.4
    assert response.status_code == 200 and response.json() == []
    started = time.time()
    api.list()
    assert time.time() - started < 0.4


def test_fault_reset_before(api):
    add_faults(api, {'method': 'POST', 'path': '/v2024/sim-integrations', 'reset': 'before'})
    api.fetch_token()
    with pytest.raises(requests.exceptions.ConnectionError):
        api.create(sample())
    assert api.state() == []
    assert api.log()[-1] == {'method': 'POST', 'path': '/v2024/sim-integrations', 'query': '', 'status': None,
                             'content_type': 'application/json', 'body': None}
    # The next request, on a fresh connection, works.
    assert api.create(sample()).status_code == 200


def test_fault_reset_after(api):
    add_faults(api, {'method': 'POST', 'path': '/v2024/sim-integrations', 'reset': 'after'})
    api.fetch_token()
    with pytest.raises(requests.exceptions.ConnectionError):
        api.create(sample())
    assert [i['name'] for i in api.state()] == ['ServiceNow SIM']
    assert api.log()[-1]['status'] is None
    # Retrying the create now meets the duplicate-name rule, like a real retry would.
    assert api.create(sample()).status_code == 400


def test_first_matching_rule_wins(api):
    api.fetch_token()
    add_faults(api, {'path': '/v2024/sim-integrations', 'status': 418}, {'status': 500})
    assert api.list().status_code == 418
    assert api.list().status_code == 500
    assert api.list().status_code == 200


def test_faults_file_at_start(make_emulator, tmp_path):
    faults = tmp_path / 'faults.json'
    faults.write_text(json.dumps({'rules': [{'method': 'GET', 'path': '/beta/sim-integrations', 'status': 500, 'times': 1}]}))
    api = Api(make_emulator(faults=str(faults)).url)
    assert api.list(version='beta').status_code == 500
    assert api.list(version='beta').status_code == 200
