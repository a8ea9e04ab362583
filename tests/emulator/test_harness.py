# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The harness: starting (thread, child, detached), the admin client, integration_config.yml and the CLI."""
# pylint: disable=redefined-outer-name

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess
import sys

import pytest

import harness
from conftest import Api, http, sample


@pytest.fixture(params=[True, False], ids=['in-process', 'subprocess'])
def running(request):
    with harness.start(['--client-id', 'h-client', '--client-secret', 'h-secret'], in_process=request.param, lifetime=60,
                       rate_limit=0) as emulator:
        yield emulator


def test_start_answers_and_stops(running):
    assert running.url.startswith('http://127.0.0.1:')
    assert running.admin.ready()
    assert running.admin.options()['rate_limit'] == 0
    assert (running.client_id, running.client_secret) == ('h-client', 'h-secret')
    running.stop()
    assert not harness.AdminClient(running.url, timeout=2).ready()


def test_request_log_entries_hold_query_content_type_and_body(running):
    api = Api(running.url, client_id='h-client', client_secret='h-secret')
    created = api.create(sample(), params={'dryRun': 'false'}).json()
    api.patch(created['id'], [{'op': 'replace', 'path': '/description', 'value': 'x'}])
    api.delete(created['id'])
    log = running.admin.requests()
    assert log[0] == {'method': 'POST', 'path': '/oauth/token', 'query': '', 'status': 200,
                      'content_type': 'application/x-www-form-urlencoded', 'body': None}
    assert log[1] == {'method': 'POST', 'path': '/v2024/sim-integrations', 'query': 'dryRun=false', 'status': 200,
                      'content_type': 'application/json', 'body': sample()}
    assert log[2] == {'method': 'PATCH', 'path': '/v2024/sim-integrations/' + created['id'], 'query': '', 'status': 200,
                      'content_type': 'application/json-patch+json', 'body': [{'op': 'replace', 'path': '/description', 'value': 'x'}]}
    assert log[3]['method'] == 'DELETE' and log[3]['body'] is None and log[3]['content_type'] is None
    assert running.admin.clear_requests() == 4
    assert running.admin.requests() == []


def test_admin_client_covers_the_admin_api(running):
    admin = running.admin
    stored = admin.seed({'name': 'Seeded', 'attributes': {'password': 'p'}}, {'id': 'fixed-id', 'name': 'Second'})
    assert stored[1]['id'] == 'fixed-id' and len(stored[0]['id']) == 32 and stored[0]['created']
    assert [i['name'] for i in admin.integrations()] == ['Seeded', 'Second']
    assert admin.state() == {'integrations': stored, 'service_desk_integrations': [],
                             'service_desk_status_check': {'provisioningStatusCheckIntervalMinutes': '30', 'provisioningMaxStatusCheckDays': '2'}}
    api = Api(running.url, client_id='h-client', client_secret='h-secret')
    # Seeded documents are served like created ones (secrets hidden), and the name rule sees them.
    assert api.get('fixed-id').json()['name'] == 'Second'
    assert api.create(sample(name='seeded')).status_code == 400
    assert admin.add_faults({'method': 'GET', 'status': 503}) == [{'method': 'GET', 'status': 503, 'times': 1}]
    assert len(admin.add_faults([{'status': 500, 'times': 2}, {'delay': 0}])) == 3
    assert len(admin.faults()) == 3 and admin.clear_faults() == 3 and admin.faults() == []
    assert admin.expire_tokens() >= 1
    assert api.list().status_code == 401
    admin.reset()
    assert admin.integrations() == [] and admin.requests() == []
    with pytest.raises(harness.HarnessError, match='HTTP 400'):
        admin.seed('not an object')


def test_admin_client_on_a_dead_url_says_so():
    with pytest.raises(harness.HarnessError, match='not reachable'):
        harness.AdminClient('http://127.0.0.1:9', timeout=2).state()
    assert harness.AdminClient('http://127.0.0.1:9', timeout=1).ready(timeout=0.2) is False


def test_in_process_options_and_faults():
    with harness.start(in_process=True, lifetime=30, faults=[{'method': 'GET', 'status': 418}], secrets='mask') as emulator:
        assert emulator.server is not None and emulator.admin.options()['secrets'] == 'mask'
        assert http('GET', emulator.url + '/beta/sim-integrations').status_code == 418


def test_subprocess_faults_file_and_flags():
    with harness.start(['--patch-ops', 'replace'], lifetime=30, faults=[{'method': 'GET', 'status': 418}], python=sys.executable) as emulator:
        assert emulator.process is not None and emulator.admin.options()['patch_ops'] == 'replace'
        assert http('GET', emulator.url + '/beta/sim-integrations').status_code == 418


def test_start_failure_is_reported():
    with pytest.raises(harness.HarnessError, match='did not start'):
        harness.start(['--tls-cert', 'only-one'])
    with pytest.raises(harness.HarnessError, match='did not start'):
        harness.start(['--tls-cert', 'only-one'], detach=True)


def test_detached_start_and_stop_by_pid():
    emulator = harness.start(lifetime=30, detach=True)
    try:
        assert emulator.process is None and emulator.pid and os.path.exists(emulator.log_path)
        assert emulator.admin.ready()
    finally:
        emulator.stop()
    assert not emulator.admin.ready(timeout=0.5)
    assert not os.path.exists(emulator.log_path)


def test_flags():
    assert harness.flags(strict_dto=True, verbose=False, rate_limit=0, read_only_clients=['a:b', 'c:d'], secrets=None) == [
        '--strict-dto', '--rate-limit', '0', '--read-only-client', 'a:b', '--read-only-client', 'c:d']


def test_integration_config_round_trip(tmp_path):
    path = str(tmp_path / 'sub' / 'integration_config.yml')
    with harness.start(['--read-only-client', 'ro:ro-secret'], in_process=True, lifetime=30) as emulator:
        written = harness.write_integration_config(path, emulator, sim_variant='default')
    assert harness.read_integration_config(path) == written == {
        'sim_emulator_url': emulator.url, 'sim_emulator_strict_url': emulator.url, 'sim_client_id': 'emulator-client',
        'sim_client_secret': 'emulator-secret', 'sim_readonly_client_id': 'ro', 'sim_readonly_client_secret': 'ro-secret',
        'sim_variant': 'default'}


def test_read_integration_config_reads_what_test_sh_writes(tmp_path):
    path = tmp_path / 'integration_config.yml'
    path.write_text('sim_emulator_url: http://127.0.0.1:1234\nsim_client_id: emulator-client\n')
    assert harness.read_integration_config(str(path)) == {'sim_emulator_url': 'http://127.0.0.1:1234', 'sim_client_id': 'emulator-client'}


def _cli(*args):
    return subprocess.run([sys.executable, harness.__file__] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=60, check=False)


def test_cli_up_status_down(tmp_path):
    config = str(tmp_path / 'integration_config.yml')
    assert _cli('status', '--config', config).returncode == 1
    up = _cli('up', '--config', config, '--lifetime', '60', '--', '--duplicate-status', '409')
    try:
        assert up.returncode == 0, up.stderr
        values = harness.read_integration_config(config)
        normal, strict = harness.AdminClient(values['sim_emulator_url']), harness.AdminClient(values['sim_emulator_strict_url'])
        assert normal.options()['duplicate_status'] == 409 and not normal.options()['strict_dto']
        assert strict.options()['duplicate_status'] == 409 and strict.options()['strict_dto']
        assert values['sim_readonly_client_id'] == 'readonly-client'
        # The read-only client of test.sh is there.
        assert Api(values['sim_emulator_url'], client_id='readonly-client', client_secret='readonly-secret').list().status_code == 200
        status = _cli('status', '--config', config)
        assert status.returncode == 0 and status.stdout.count(': up') == 2
        # A second "up" replaces the first pair.
        again = _cli('up', '--config', config, '--lifetime', '60')
        assert again.returncode == 0 and 'stopping' in again.stdout
        assert not normal.ready(timeout=1)
    finally:
        down = _cli('down', '--config', config)
    assert down.returncode == 0
    assert not os.path.exists(config) and not os.path.exists(str(tmp_path / '.emulator-state.json'))
    assert _cli('status', '--config', config).returncode == 1
