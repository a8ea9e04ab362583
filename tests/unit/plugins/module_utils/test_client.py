# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client's rules, one scripted exchange each: what is sent, what is retried, what is raised.

A scripted session stands in for the network here because these tests pin exact timings and
orderings (Retry-After values, backoff, token expiry) that a live server cannot produce on demand;
the same rules are exercised over real HTTP against the emulator in tests/unit/plugins/modules.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from urllib.parse import parse_qs

import pytest
from urllib3._collections import HTTPHeaderDict
from urllib3.exceptions import NewConnectionError, ProtocolError, ReadTimeoutError, SSLError

from ansible_collections.sailpoint.identitynow.plugins.module_utils import _client as client_mod
from ansible_collections.sailpoint.identitynow.plugins.module_utils import _errors as errors


def FakeResponse(status, body=None, headers=None):
    """(status, headers, body) as the client's connection pool returns them."""
    if body is None:
        content = b""
    elif isinstance(body, bytes):
        content = body
    else:
        content = json.dumps(body).encode()
    return status, HTTPHeaderDict(headers or {}), content


class FakeSession:
    """Answers the client's sends from a script (urllib3's exceptions raised as they are) and records what was asked."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []

    def send(self, method, url, body, headers, timeout):
        self.calls.append(dict(method=method, url=url, data=body.decode() if body is not None else None, headers=dict(headers), timeout=timeout))
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


TOKEN = FakeResponse(200, {"access_token": "tok-1", "token_type": "bearer", "expires_in": 749})


def make(script, **kwargs):
    session = FakeSession(script)
    sleeps, warnings, secrets = [], [], []
    kwargs.setdefault("client_id", "cid")
    kwargs.setdefault("client_secret", "csecret")
    c = client_mod.SailPointClient("https://acme.api.identitynow.com", session=session, sleep=sleeps.append,
                                   warn=warnings.append, register_secret=secrets.append, jitter=lambda: 1.0, **kwargs)
    return c, session, sleeps, warnings, secrets


def test_token_request_is_a_form_post_and_headers_are_sent():
    c, s, _sl, _w, secrets = make([TOKEN, FakeResponse(200, [])])
    assert c.request("GET", "/v2024/sim-integrations").json() == []
    token_call, api_call = s.calls
    assert token_call["method"] == "POST"
    assert token_call["url"] == "https://acme.api.identitynow.com/oauth/token"
    assert parse_qs(token_call["data"]) == {"grant_type": ["client_credentials"], "client_id": ["cid"], "client_secret": ["csecret"]}
    assert token_call["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert api_call["headers"]["Authorization"] == "Bearer tok-1"
    assert api_call["headers"]["X-SailPoint-Experimental"] == "true"
    assert api_call["headers"]["User-Agent"].startswith("sailpoint.identitynow/")
    assert api_call["timeout"] == 30
    assert secrets == ["tok-1"]


def test_token_is_fetched_once_per_client():
    c, s, _sl, _w, _s = make([TOKEN, FakeResponse(200, []), FakeResponse(200, [])])
    c.request("GET", "/a")
    c.request("GET", "/b")
    assert [call["method"] for call in s.calls] == ["POST", "GET", "GET"]


def test_token_is_refreshed_before_expiry():
    now = [1000.0]
    c, s, _sl, _w, _s = make([FakeResponse(200, {"access_token": "t1", "expires_in": 100}), FakeResponse(200, []),
                              FakeResponse(200, {"access_token": "t2", "expires_in": 100}), FakeResponse(200, [])],
                             clock=lambda: now[0])
    c.request("GET", "/a")
    now[0] += 50  # inside the 60 s margin before expiry
    c.request("GET", "/a")
    assert [call["headers"].get("Authorization") for call in s.calls if call["method"] == "GET"] == ["Bearer t1", "Bearer t2"]


def test_given_access_token_skips_token_request():
    c, s, _sl, _w, secrets = make([FakeResponse(200, [])], client_id=None, client_secret=None, access_token="given")
    c.request("GET", "/a")
    assert len(s.calls) == 1 and s.calls[0]["headers"]["Authorization"] == "Bearer given"
    assert secrets == ["given"]


def test_401_reauthenticates_once_then_succeeds():
    c, s, _sl, _w, _s = make([TOKEN, FakeResponse(401, {"error": "JWT validation failed: JWT is expired"}),
                              FakeResponse(200, {"access_token": "tok-2", "expires_in": 749}), FakeResponse(200, [])])
    c.request("GET", "/a")
    assert [call["method"] for call in s.calls] == ["POST", "GET", "POST", "GET"]
    assert s.calls[-1]["headers"]["Authorization"] == "Bearer tok-2"


def test_second_401_is_an_authentication_error():
    body = {"error": "JWT validation failed: JWT is expired"}
    c, _s, _sl, _w, _s2 = make([TOKEN, FakeResponse(401, body), TOKEN, FakeResponse(401, body)])
    with pytest.raises(errors.AuthenticationError) as e:
        c.request("GET", "/v2024/sim-integrations")
    msg = str(e.value)
    assert "HTTP 401" in msg and "JWT is expired" in msg and "GET /v2024/sim-integrations" in msg
    assert "credentials were refused" in msg


def test_bad_client_secret_is_reported_on_the_token_call():
    c, _s, _sl, _w, _s2 = make([FakeResponse(401, {"error": "invalid_client"})])
    with pytest.raises(errors.AuthenticationError) as e:
        c.request("GET", "/a")
    assert "POST /oauth/token returned HTTP 401" in str(e.value) and "invalid_client" in str(e.value)


def test_403_names_org_admin():
    body = {"detailCode": "403 Forbidden", "trackingId": "b21b1f7ce4da4d639f2c62a57171b427",
            "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "The server understood the request but refuses to authorize it."}]}
    c, _s, _sl, _w, _s2 = make([TOKEN, FakeResponse(403, body)])
    with pytest.raises(errors.ForbiddenError) as e:
        c.request("POST", "/v2024/sim-integrations", {"name": "x"})
    kw = e.value.to_fail_kwargs()
    assert kw["status"] == 403 and kw["tracking_id"] == "b21b1f7ce4da4d639f2c62a57171b427" and kw["detail_code"] == "403 Forbidden"
    assert "ORG_ADMIN" in kw["msg"] and "refuses to authorize" in kw["msg"] and kw["method"] == "POST"


@pytest.mark.parametrize("status,body,expected", [
    (400, {"detailCode": "400.1 Bad Request Content", "trackingId": "t400", "messages": [{"text": "name is required"}],
           "causes": [{"text": "cause text"}]}, ["400.1 Bad Request Content", "name is required", "cause text", "t400"]),
    (404, {"detailCode": "404 Not found", "trackingId": "t404", "messages": [{"text": "The server did not find a current representation"}]},
     ["404 Not found", "t404", "did not find"]),
    (500, {"detailCode": "500.0 Internal Fault", "trackingId": "t500", "messages": [{"text": "An internal fault occurred."}]},
     ["500.0 Internal Fault", "t500", "internal fault"]),
    (418, b"<html>teapot</html>", ["HTTP 418", "teapot"]),
])
def test_error_bodies_of_the_spec(status, body, expected):
    c, _s, _sl, _w, _s2 = make([TOKEN, FakeResponse(status, body)])
    with pytest.raises(errors.ApiError) as e:
        c.request("GET", "/v2024/sim-integrations/abc")
    for text in expected:
        assert text.lower() in str(e.value).lower()


def test_429_waits_as_told_by_retry_after():
    c, s, sleeps, warnings, _s = make([TOKEN, FakeResponse(429, {"message": " Rate Limit Exceeded "}, {"Retry-After": "7"}),
                                       FakeResponse(200, [])])
    c.request("GET", "/a")
    assert sleeps == [7.0]
    assert len(warnings) == 1 and "429" in warnings[0]
    assert len(s.calls) == 3


def test_429_beyond_the_wait_budget_fails_clearly():
    c, _s, sleeps, _w, _s2 = make([TOKEN, FakeResponse(429, {"message": " Rate Limit Exceeded "}, {"Retry-After": "500"})],
                                  retry_max_wait=120)
    with pytest.raises(errors.RateLimitError) as e:
        c.request("GET", "/a")
    assert sleeps == [] and "retry_max_wait=120" in str(e.value) and "Rate Limit Exceeded" in str(e.value)


def test_429_http_date_retry_after():
    c, _s, sleeps, _w, _s2 = make([TOKEN, FakeResponse(429, {}, {"Retry-After": "Thu, 01 Jan 1970 00:00:10 GMT"}), FakeResponse(200, [])],
                                  clock=lambda: 4.0)
    c.request("GET", "/a")
    assert sleeps == [6.0]


@pytest.mark.parametrize("status", [502, 503, 504])
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_gateway_errors_are_retried_with_backoff(status, method):
    c, s, sleeps, warnings, _s = make([TOKEN, FakeResponse(status), FakeResponse(status), FakeResponse(200, {})])
    c.request(method, "/a", {} if method in ("PUT", "PATCH") else None)
    assert sleeps == [1.0, 2.0]  # 2**attempt with jitter pinned to its top
    assert len(warnings) == 2 and len(s.calls) == 4


def test_gateway_errors_give_up_after_max_retries():
    c, s, sleeps, _w, _s = make([TOKEN] + [FakeResponse(503)] * 4, max_retries=3)
    with pytest.raises(errors.ApiError) as e:
        c.request("GET", "/a")
    assert "after 3 retries" in str(e.value) and len(sleeps) == 3 and len(s.calls) == 5


def test_post_is_never_resent_after_a_gateway_error():
    c, s, sleeps, _w, _s = make([TOKEN, FakeResponse(504)])
    with pytest.raises(errors.AmbiguousWriteError):
        c.request("POST", "/v2024/sim-integrations", {"name": "x"})
    assert sleeps == [] and len(s.calls) == 2


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_lost_answer_to_a_write_is_ambiguous(method):
    lost = ProtocolError("Connection aborted.", ConnectionResetError(104, "Connection reset by peer"))
    c, s, _sl, _w, _s = make([TOKEN, lost])
    with pytest.raises(errors.AmbiguousWriteError) as e:
        c.request(method, "/a", {"name": "x"})
    assert "may or may not have been applied" in str(e.value)


def test_read_timeout_on_get_is_retried_and_then_reported():
    c, s, sleeps, _w, _s = make([TOKEN] + [ReadTimeoutError(None, "/a", "read timed out")] * 3, max_retries=2, timeout=5)
    with pytest.raises(errors.TransportError) as e:
        c.request("GET", "/a")
    assert "timeout=5s" in str(e.value) and "after 2 retries" in str(e.value) and len(sleeps) == 2


def test_connection_refused_is_retried_even_for_post():
    refused = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    c, s, sleeps, _w, _s = make([TOKEN, refused, FakeResponse(200, {"id": "1"})])
    assert c.request("POST", "/a", {"name": "x"}).json() == {"id": "1"}
    assert len(sleeps) == 1


def test_tls_failure_names_ca_path():
    c, _s, _sl, _w, _s2 = make([SSLError("certificate verify failed: self-signed certificate")])
    with pytest.raises(errors.TransportError) as e:
        c.request("GET", "/a")
    assert "ca_path" in str(e.value) and "certificate verify failed" in str(e.value)


def test_non_json_success_body_is_invalid_response():
    c, _s, _sl, _w, _s2 = make([TOKEN, FakeResponse(200, b"<html>oops</html>")])
    with pytest.raises(errors.InvalidResponseError) as e:
        c.request("GET", "/a").json()
    assert "not JSON" in str(e.value) and "GET /a" in str(e.value)


def test_token_response_without_token_is_invalid():
    c, _s, _sl, _w, _s2 = make([FakeResponse(200, {"token_type": "bearer"})])
    with pytest.raises(errors.InvalidResponseError):
        c.request("GET", "/a")


def test_json_body_and_content_type():
    c, s, _sl, _w, _s = make([TOKEN, FakeResponse(200, {})])
    c.request("PATCH", "/a", [{"op": "replace", "path": "/description", "value": "d"}], content_type=client_mod.JSON_PATCH)
    call = s.calls[-1]
    assert call["headers"]["Content-Type"] == "application/json-patch+json"
    assert json.loads(call["data"]) == [{"op": "replace", "path": "/description", "value": "d"}]


def test_a_short_text_in_many_records_is_one_object_and_a_long_one_is_left_alone():
    long_text = "x" * 65
    body = json.dumps([{"type": "ServiceNowSDIM", "sources": ["src-1"], "attributes": {"url": "https://sn"}, "description": long_text}
                       for index in range(2)]).encode("utf-8")
    first, second = client_mod.Response("GET", "/v3/x", 200, {}, body).json()
    assert first == second and first["type"] == "ServiceNowSDIM"
    assert first["type"] is second["type"] and first["sources"][0] is second["sources"][0]
    assert first["attributes"]["url"] is second["attributes"]["url"]
    assert first["description"] is not second["description"]
