# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults injected in the emulator, over real HTTP: each test checks the end state out of band."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os
import subprocess
import sys
import threading

import pytest

from ansible_collections.sailpoint.identitynow.plugins.modules import sim_integration, sim_integration_info

P = "/v2024/sim-integrations"
TOKEN = ("POST", "/oauth/token")
SNOW = {"name": "SNOW", "description": "d", "attributes": {"url": "https://acme.service-now.com", "password": "Fault-Secret-1"}}


def test_burst_of_429_waits_as_told(emu, run_module):
    emu.faults({"method": "GET", "path": P, "status": 429, "retry_after": 1, "times": 2, "body": {"message": " Rate Limit Exceeded "}})
    result = run_module(sim_integration, SNOW, emu)
    assert result["changed"] and len(emu.integrations()) == 1
    assert sum("429" in w for w in result.get("warnings", [])) == 2, result["_raw"]
    assert emu.calls() == [TOKEN, ("GET", P), ("GET", P), ("GET", P), ("POST", P)]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_on_reads_and_writes_are_retried(emu, run_module, status):
    seeded = emu.seed(SNOW)
    item = P + "/" + seeded["id"]
    emu.faults({"method": "GET", "path": P, "status": status}, {"method": "PATCH", "path": item, "status": status})
    result = run_module(sim_integration, dict(SNOW, description="patched"), emu)
    assert result["changed"] and emu.integrations()[0]["description"] == "patched"
    assert emu.calls() == [TOKEN, ("GET", P), ("GET", P), ("PATCH", item), ("PATCH", item)]
    emu.clear_calls()
    emu.faults({"method": "PUT", "path": item, "status": status}, {"method": "DELETE", "path": item, "status": status})
    put = dict(SNOW, description="put", update_method="put", status_map={"closed_complete": "Committed"}, request={})
    assert run_module(sim_integration, put, emu)["changed"]
    assert run_module(sim_integration, {"name": "SNOW", "state": "absent"}, emu)["changed"]
    assert emu.integrations() == []


@pytest.mark.parametrize("when", ["before", "after"])
def test_connection_reset_on_create_never_duplicates(emu, run_module, when):
    emu.faults({"method": "POST", "path": P, "reset": when})
    result = run_module(sim_integration, SNOW, emu)
    assert result["changed"] and not result.get("failed"), result
    assert len(emu.integrations()) == 1
    resend = [("POST", P)] if when == "before" else []
    assert emu.calls() == [TOKEN, ("GET", P), ("POST", P), ("GET", P)] + resend
    assert any("looking the integration up by name" in w for w in result["warnings"])


def test_timeout_after_patch_is_read_back_not_resent_blindly(emu, run_module):
    seeded = emu.seed(SNOW)
    item = P + "/" + seeded["id"]
    emu.faults({"method": "PATCH", "path": item, "reset": "after"})
    result = run_module(sim_integration, {"name": "SNOW", "attributes": {"url": None}}, emu)  # a remove: not safe to repeat
    assert result["changed"] and "url" not in emu.integrations()[0]["attributes"]
    assert emu.calls() == [TOKEN, ("GET", P), ("PATCH", item), ("GET", item)]


def test_expired_token_mid_run_reauthenticates_once(emu, run_module):
    emu.faults({"method": "POST", "path": P, "status": 401, "body": {"error": "JWT validation failed: JWT is expired"}})
    result = run_module(sim_integration, SNOW, emu)
    assert result["changed"] and len(emu.integrations()) == 1
    assert emu.calls() == [TOKEN, ("GET", P), ("POST", P), TOKEN, ("POST", P)]


def test_short_lived_tokens_are_refreshed(run_module, start_emulator):
    handle = start_emulator(token_lifetime=2)
    result = run_module(sim_integration_info, {}, handle)
    assert result["records"] == []


def test_persistent_500_fails_with_tracking_id(emu, run_module):
    emu.faults({"method": "GET", "path": P, "status": 500, "times": 5})
    result = run_module(sim_integration, SNOW, emu)
    assert result["failed"] and result["status"] == 500 and result["tracking_id"]
    assert result["tracking_id"] in result["msg"] and "500.0 Internal Fault" in result["msg"]
    assert emu.integrations() == []


@pytest.mark.parametrize("body,needle", [
    ("<html><body>Service Unavailable</body></html>", "not JSON"),
    ({"unexpected": True}, "expected a JSON array"),
    ([{"id": "x", "name": "n", "attributes": 5}], "attributes is int"),
])
def test_unexpected_bodies_fail_clearly_without_traceback(emu, run_module, body, needle):
    emu.faults({"method": "GET", "path": P, "status": 200, "body": body})
    result = run_module(sim_integration, SNOW, emu)
    assert result["failed"] and needle in result["msg"] and "GET %s" % P in result["msg"]
    assert "Traceback" not in result["_raw"] and "exception" not in result
    assert emu.integrations() == []


def test_server_that_never_answers_ends_with_the_timeout(emu, run_module):
    emu.faults({"method": "GET", "path": P, "delay": 3, "times": 3})
    result = run_module(sim_integration, dict(SNOW, timeout=1, max_retries=1), emu)
    assert result["failed"] and "no answer within timeout=1s" in result["msg"] and "after 1 retries" in result["msg"]
    assert emu.integrations() == []


def _self_signed(tmpdir):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u"127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(u"127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = os.path.join(tmpdir, "cert.pem"), os.path.join(tmpdir, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


def test_tls_self_signed_fails_by_default_and_works_with_ca_path(run_module, start_emulator, tmp_path):
    cert, key = _self_signed(str(tmp_path))
    handle = start_emulator(tls_cert=cert, tls_key=key)
    assert handle.url.startswith("https://")
    result = run_module(sim_integration_info, {}, handle)
    assert result["failed"] and "TLS error" in result["msg"] and "ca_path" in result["msg"]
    result = run_module(sim_integration_info, {"ca_path": cert}, handle)
    assert result["records"] == [], result


def test_the_environment_ca_bundle_is_honoured(run_module, start_emulator, tmp_path, monkeypatch):
    """The client reads REQUESTS_CA_BUNDLE once, when it is made, instead of at every request: still honoured."""
    cert, key = _self_signed(str(tmp_path))
    handle = start_emulator(tls_cert=cert, tls_key=key)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", cert)
    result = run_module(sim_integration_info, {}, handle)
    assert result.get("records") == [], result  # without the bundle: a TLS error (the test above)


def test_netrc_credentials_do_not_replace_the_bearer_token(run_module, emu, tmp_path, monkeypatch):
    """requests would send ~/.netrc's login for the host as Basic auth in place of the token; the client reads no netrc."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password elsewhere\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    result = run_module(sim_integration_info, {}, emu)
    assert result.get("records") == [], result


def test_plain_http_to_a_remote_host_is_refused_before_sending(run_module):
    result = run_module(sim_integration_info, {"base_url": "http://sail.example.com", "client_id": "remote-id", "client_secret": "remote-secret"})
    assert result["failed"] and result["option"] == "base_url" and "allow_insecure_http" in result["msg"]


def test_two_processes_creating_the_same_name_end_with_one(emu, tmp_path):
    """Both see no integration; the first POST is held back, so the second wins and the first adopts its integration."""
    emu.faults({"method": "POST", "path": P, "delay": 2, "times": 1})
    args = dict(SNOW, base_url=emu.url, client_id="unit-client", client_secret="unit-secret-7f3a9c")
    path = tmp_path / "args.json"
    path.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    results = [None, None]

    def run(i):
        proc = subprocess.run([sys.executable, "-m", "ansible_collections.sailpoint.identitynow.plugins.modules.sim_integration", str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=60, check=False)
        results[i] = json.loads(proc.stdout.decode())

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(emu.integrations()) == 1
    assert not any(r.get("failed") for r in results), results
    assert sorted(r["changed"] for r in results) == [False, True]
    assert sorted(c for c in emu.calls() if c[0] == "POST" and c[1] == P) == [("POST", P), ("POST", P)]
    loser = [r for r in results if not r["changed"]][0]
    assert any("created concurrently" in str(w) for w in loser.get("warnings", []))
    assert results[0]["record"]["id"] == results[1]["record"]["id"]


class _ForwardProxy:
    """A forward HTTP proxy on loopback that relays absolute-URI requests and records them; stops by itself after `lifetime`."""

    def __init__(self, lifetime=120):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.request import Request, build_opener, ProxyHandler
        from urllib.error import HTTPError
        seen = self.seen = []
        direct = build_opener(ProxyHandler({}))  # the relay itself goes straight to the emulator

        class Relay(BaseHTTPRequestHandler):
            def _relay(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                seen.append(dict(method=self.command, target=self.path, auth=self.headers.get("Proxy-Authorization")))
                headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in ("proxy-authorization", "proxy-connection", "host"))
                try:
                    answer = direct.open(Request(self.path, data=body, headers=headers, method=self.command), timeout=30)
                    status, payload = answer.status, answer.read()
                except HTTPError as e:
                    status, payload = e.code, e.read()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _relay

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Relay)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self._timer = threading.Timer(lifetime, self.server.shutdown)
        self._timer.daemon = True
        self._timer.start()

    def stop(self):
        self._timer.cancel()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def forward_proxy():
    proxy = _ForwardProxy()
    yield proxy
    proxy.stop()


@pytest.fixture
def no_proxy_settings(monkeypatch):
    """No proxy variable from the machine running the tests: each test sets the ones it is about."""
    for name in ("NO_PROXY", "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def test_requests_go_through_the_environment_proxy(run_module, emu, forward_proxy, no_proxy_settings):
    """HTTP_PROXY is honoured (credentials in its URL become Proxy-Authorization), and NO_PROXY bypasses it."""
    monkeypatch = no_proxy_settings
    monkeypatch.setenv("HTTP_PROXY", forward_proxy.url.replace("http://", "http://proxy%20user:p%40ss@"))
    result = run_module(sim_integration, dict(SNOW), emu)
    assert result["changed"] and len(emu.integrations()) == 1, result
    relayed = [(r["method"], r["target"].replace(emu.url, "")) for r in forward_proxy.seen]
    assert relayed == [TOKEN, ("GET", P), ("POST", P)]
    assert set(r["auth"] for r in forward_proxy.seen) == {"Basic cHJveHkgdXNlcjpwQHNz"}  # "proxy user:p@ss"
    del forward_proxy.seen[:]
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    result = run_module(sim_integration, dict(SNOW), emu)
    assert result["changed"] is False and forward_proxy.seen == []


def test_a_socks_proxy_without_pysocks_is_named(run_module, emu, no_proxy_settings):
    try:
        import socks  # noqa: F401  pylint: disable=unused-import
        pytest.skip("PySocks is installed")
    except ImportError:
        pass
    no_proxy_settings.setenv("ALL_PROXY", "socks5://user:Socks-Secret-1@127.0.0.1:1")
    result = run_module(sim_integration_info, {}, emu)
    assert result["failed"] and "PySocks" in result["msg"] and "NO_PROXY" in result["msg"], result
    assert "Socks-Secret-1" not in json.dumps(result) and emu.calls() == []
