# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures for the emulator tests: every test talks real HTTP over loopback."""
# pylint: disable=redefined-outer-name

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import sys
import time

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, 'sim_emulator.py')  # the CLI entry point, for tests of its exit codes
sys.path.insert(0, HERE)

import harness  # noqa: E402  pylint: disable=wrong-import-position

CLIENT_ID = 'emulator-client'
CLIENT_SECRET = 'emulator-secret'
PATCH_CT = 'application/json-patch+json'
# URL prefix of the collection resource for each API version.
PREFIXES = {
    'beta': '/beta/sim-integrations',
    'v2024': '/v2024/sim-integrations',
    'v2025': '/v2025/sim-integrations',
    'v2026': '/v2026/sim-integrations',
    'v1': '/sim-integrations/v1',
}


def http(method, url, **kwargs):
    """requests.request with a timeout, so a hung emulator fails a test instead of the run."""
    return requests.request(method, url, timeout=kwargs.pop('timeout', 30), **kwargs)


class Api:
    """A thin requests-based client: token handling plus the seven SIM calls."""

    def __init__(self, base, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, version='v2024', verify=True):
        self.base = base
        self.client_id = client_id
        self.client_secret = client_secret
        self.version = version
        # Passed per request: a session-level verify loses to REQUESTS_CA_BUNDLE from the environment.
        self.verify = verify
        self.session = requests.Session()
        self.token = None
        self.admin_client = harness.AdminClient(base, cafile=verify if isinstance(verify, str) else None)

    def fetch_token(self):
        response = self.session.post(self.base + '/oauth/token', data={
            'grant_type': 'client_credentials', 'client_id': self.client_id, 'client_secret': self.client_secret}, verify=self.verify)
        assert response.status_code == 200, response.text
        self.token = response.json()['access_token']
        return self.token

    def headers(self, extra=None):
        headers = {'X-SailPoint-Experimental': 'true'}
        if self.token is None:
            self.fetch_token()
        headers['Authorization'] = 'Bearer ' + self.token
        headers.update(extra or {})
        return headers

    def url(self, suffix='', version=None):
        return self.base + PREFIXES[version or self.version] + suffix

    def call(self, method, suffix='', version=None, headers=None, **kwargs):
        return self.session.request(method, self.url(suffix, version), headers=self.headers(headers), timeout=30,
                                    verify=self.verify, **kwargs)

    def list(self, **kwargs):
        return self.call('GET', **kwargs)

    def create(self, body, **kwargs):
        return self.call('POST', json=body, **kwargs)

    def get(self, ident, **kwargs):
        return self.call('GET', '/' + ident, **kwargs)

    def put(self, ident, body, **kwargs):
        return self.call('PUT', '/' + ident, json=body, **kwargs)

    def patch(self, ident, operations, rule=False, **kwargs):
        headers = {'Content-Type': PATCH_CT}
        headers.update(kwargs.pop('headers', None) or {})
        suffix = '/' + ident + ('/beforeProvisioningRule' if rule else '')
        return self.call('PATCH', suffix, data=json.dumps(operations), headers=headers, **kwargs)

    def delete(self, ident, **kwargs):
        return self.call('DELETE', '/' + ident, **kwargs)

    # admin API, through the harness's client
    def admin(self, method, path, json=None):  # pylint: disable=redefined-outer-name
        return self.admin_client.call(method, path, json)

    def state(self):
        return self.admin_client.integrations()

    def log(self):
        return self.admin_client.requests()


@pytest.fixture
def make_emulator():
    """Start in-process emulators (harness.Emulator) with the given options; all are stopped after the test."""
    started = []

    def factory(**options):
        emulator = harness.start(in_process=True, lifetime=options.pop('lifetime', 120), **options)
        started.append(emulator)
        return emulator

    yield factory
    for emulator in started:
        emulator.stop()


@pytest.fixture
def emulator(make_emulator):
    return make_emulator()


@pytest.fixture
def api(emulator):
    return Api(emulator.url)


def sample(name='ServiceNow SIM', **extra):
    body = {
        'name': name,
        'description': 'Integration description',
        'type': 'ServiceNow Service Desk',
        'attributes': {'url': 'https://example.service-now.com', 'username': 'svc', 'password': 's3cret'},
        'sources': ['2c9180835d191a86015d28455b4a2329'],
        'cluster': 'xyzzy999',
        'statusMap': {'closed_complete': 'Committed', 'requested': 'Queued'},
        'request': {'description': 'SailPoint Access Request'},
    }
    body.update(extra)
    return body


@pytest.fixture
def spawn():
    processes = []

    def factory(*args, **kwargs):
        """The emulator as a child process (harness.Emulator with .process), the way CI and the demo start it."""
        args = list(args)
        if kwargs.get('port_file'):
            args += ['--port-file', kwargs['port_file']]
        process = harness.start(args, lifetime=120)
        processes.append(process)
        return process

    yield factory
    for process in processes:
        process.stop()


def wait_for(predicate, timeout=10.0, interval=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
