# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator as a process: start-up line, port file, lifetime, signals, state file, TLS."""
# pylint: disable=redefined-outer-name

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import ipaddress
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
import requests

from conftest import Api, SCRIPT, http, sample, wait_for


def test_listening_line_and_port_file(spawn, tmp_path):
    port_file = str(tmp_path / 'port')
    process = spawn('--port', '0', port_file=port_file)
    assert process.url.startswith('http://127.0.0.1:')
    port = int(process.url.rsplit(':', 1)[1])
    assert port > 0
    # The port file is written (atomically) right after the line is printed.
    assert wait_for(lambda: os.path.exists(port_file))
    with open(port_file, encoding='utf-8') as handle:
        assert handle.read().strip() == str(port)
    assert [name for name in os.listdir(str(tmp_path)) if name != 'port'] == []
    assert Api(process.url).list().status_code == 200


def test_lifetime_makes_the_process_exit(spawn):
    process = spawn('--lifetime', '1')
    started = time.time()
    assert process.wait(15) == 0
    assert time.time() - started < 10
    with pytest.raises(requests.exceptions.ConnectionError):
        http('GET', process.url + '/beta/sim-integrations', timeout=2)


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGINT])
def test_signal_exits_cleanly(spawn, signum):
    process = spawn()
    api = Api(process.url)
    assert api.list().status_code == 200
    process.process.send_signal(signum)
    assert process.wait(15) == 0
    assert process.process.stdout.read() == ''


def test_quiet_unless_verbose(spawn):
    process = spawn()
    Api(process.url).list()
    process.process.terminate()
    assert process.wait(15) == 0
    assert process.process.stdout.read() == '' and process.process.stderr.read() == ''
    verbose = spawn('--verbose')
    Api(verbose.url).list()
    verbose.process.terminate()
    assert verbose.wait(15) == 0
    assert '/v2024/sim-integrations' in verbose.process.stderr.read()


def test_state_file_survives_restart(spawn, tmp_path):
    state_file = str(tmp_path / 'state.json')
    first = spawn('--state-file', state_file)
    api = Api(first.url)
    created = api.create(sample()).json()
    api.patch(created['id'], [{'op': 'replace', 'path': '/description', 'value': 'patched'}])
    first.process.terminate()
    assert first.wait(15) == 0
    with open(state_file, encoding='utf-8') as handle:
        saved = json.load(handle)
    assert saved['integrations'][0]['attributes']['password'] == 's3cret'
    assert os.listdir(str(tmp_path)) == ['state.json']

    second = spawn('--state-file', state_file)
    api = Api(second.url)  # tokens do not survive a restart
    item = api.get(created['id']).json()
    assert item['description'] == 'patched' and item['created'] == created['created']
    assert api.create(sample()).status_code == 400  # the duplicate-name rule sees the loaded state
    assert api.delete(created['id']).status_code == 200
    with open(state_file, encoding='utf-8') as handle:
        assert json.load(handle)['integrations'] == []


def test_bad_arguments(tmp_path):
    result = subprocess.run([sys.executable, SCRIPT, '--tls-cert', 'x'], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, check=False)
    assert result.returncode == 2 and result.stdout == b''
    broken = tmp_path / 'state.json'
    broken.write_text('{"not": "state"}')
    result = subprocess.run([sys.executable, SCRIPT, '--state-file', str(broken)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=30, check=False)
    assert result.returncode == 2 and b'integrations' in result.stderr


def _self_signed(tmp_path):
    cert, key = str(tmp_path / 'cert.pem'), str(tmp_path / 'key.pem')
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        if shutil.which('openssl') is None:
            pytest.skip('neither the cryptography package nor the openssl CLI is available')
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
                        '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
                       check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'localhost')])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName('localhost'), x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(private, hashes.SHA256()))
    with open(cert, 'wb') as handle:
        handle.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key, 'wb') as handle:
        handle.write(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert, key


def test_tls(spawn, tmp_path):
    cert, key = _self_signed(tmp_path)
    process = spawn('--tls-cert', cert, '--tls-key', key)
    assert process.url.startswith('https://127.0.0.1:')
    api = Api(process.url, verify=cert)
    created = api.create(sample())
    assert created.status_code == 200, created.text
    assert api.list().json()[0]['id'] == created.json()['id']
    with pytest.raises(requests.exceptions.SSLError):
        http('GET', process.url + '/beta/sim-integrations', timeout=5)
    # A plain-HTTP client on the TLS port fails without taking the server down.
    with pytest.raises(requests.exceptions.ConnectionError):
        http('GET', process.url.replace('https://', 'http://') + '/beta/sim-integrations', timeout=5)
    assert api.list().status_code == 200
