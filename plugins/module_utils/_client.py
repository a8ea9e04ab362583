# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client for the SailPoint Identity Security Cloud API.

Internal to this collection: no stable API, it may change in any release.

It knows transport, authentication and retries, nothing about SIM integrations, and never calls
fail_json: every failure is raised as a SailPointError for the module's main() to report.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import hashlib
import json
import os
import random
import sys
import time
import traceback
import warnings

from urllib.parse import unquote, urlencode, urlsplit
from urllib.request import getproxies, proxy_bypass_environment

try:
    import urllib3
    from urllib3.exceptions import (ConnectTimeoutError, HTTPError, NewConnectionError, ProtocolError, ProxyError,
                                    ReadTimeoutError, SSLError)
    HAS_URLLIB3 = True
    URLLIB3_IMPORT_ERROR = None
except ImportError:
    HAS_URLLIB3 = False
    URLLIB3_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.sailpoint.identitynow.plugins.module_utils import _pacing
from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import (
    AmbiguousWriteError,
    InvalidResponseError,
    TransportError,
    api_error,
)
from ansible_collections.sailpoint.identitynow.plugins.module_utils._version import COLLECTION_VERSION

USER_AGENT = "sailpoint.identitynow/%s (Ansible collection)" % COLLECTION_VERSION
TOKEN_PATH = "/oauth/token"
JSON = "application/json"
JSON_PATCH = "application/json-patch+json"

# Refresh a little before expiry so a token cannot run out between being checked and being used.
TOKEN_REFRESH_MARGIN = 60
GATEWAY_ERRORS = (502, 503, 504)
# (resend after a lost answer, resend after 502/503/504) per method. A lost answer to a PATCH is not
# resent blindly because a repeated "remove" fails; a lost POST could create a duplicate. Those two
# raise AmbiguousWriteError and the resource layer reads the server state before deciding.
_RETRY_POLICY = {
    "GET": (True, True),
    "PUT": (True, True),
    "DELETE": (True, True),
    "PATCH": (False, True),
    "POST": (False, False),
}
BACKOFF_CAP = 30
# A Retry-After of 0 or a date in the past would otherwise mean retrying at once, without end.
RETRY_FLOOR = 1.0


def _sleep(seconds):
    """The one place the client waits (a module global, so tests can make waits instant)."""
    time.sleep(seconds)


def _shared_strings(obj):
    """json.loads object hook: one string object for each short text, however many records hold it.

    A loop keeps every record it reads (the shared list, each item's result), and most of their values
    (type, cluster, URL, source ids, status names) are the same in every record; decoded apart, each record
    pays for its own copies. Interned, they are held once in the worker, and pickled once when the loop's
    results go to ansible-playbook. Long texts (descriptions) rarely repeat and are left alone.
    """
    # json.loads makes plain str and list only, so isinstance() never meets a subclass (sys.intern refuses those).
    for key, value in obj.items():
        if isinstance(value, str) and len(value) <= 64:
            obj[key] = sys.intern(value)
        elif isinstance(value, list):
            obj[key] = [sys.intern(v) if isinstance(v, str) and len(v) <= 64 else v for v in value]
    return obj


class Response:
    def __init__(self, method, path, status, headers, body):
        self.method = method
        self.path = path
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        if not self.body:
            return None
        try:
            return json.loads(self.body.decode("utf-8"), object_hook=_shared_strings)
        except ValueError as e:
            raise InvalidResponseError(self.method, self.path, self.status, "not JSON (%s): %r" % (e, self.body[:200]))

    def error_body(self):
        """The body for an error report: parsed JSON when possible, raw text otherwise."""
        try:
            return self.json()
        except InvalidResponseError:
            return self.body


class SailPointClient:
    def __init__(self, base_url, client_id=None, client_secret=None, access_token=None, verify=True, timeout=30,
                 max_retries=5, retry_max_wait=120, warn=None, register_secret=None, session=None,
                 sleep=None, clock=time.time, jitter=random.random, rate_limit=None, rate_window=_pacing.WINDOW, pace_dir=None,
                 token_store=None):
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        self._token = access_token
        self._token_expiry = None  # unknown for a token the user gave us: trust it until a 401 says otherwise
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_max_wait = retry_max_wait
        self.waited = 0.0
        self._retries = 0  # numbered in warnings, which Ansible would otherwise fold into one
        self._warn = warn or (lambda msg: None)
        self._register_secret = register_secret or (lambda value: None)
        # Anything with send(method, url, body, headers, timeout) -> (status, headers, body); tests script one.
        self._session = session if session is not None else _Pool(self.base_url, verify)
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        # What this run learned about the service's PATCH (see _plan.py); kept as long as the client is.
        self.adapt = {"form": None, "top_level": False, "warned": False}
        # Requests per 10 s per client id and API version, paced across processes (see _pacing.py); 0/None: off.
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self._pace_dir = pace_dir
        self._pacers = {}
        # Where the tasks of one run share a token (plugin_utils/_token_share.py; None in a module process).
        self._store = token_store if self._can_authenticate() else None
        self._store_key = self._store.key(self.base_url, client_id, client_secret) if self._store else None
        self._refused = None  # the token a 401 refused: not to be taken from the store again
        if access_token:
            self._register_secret(access_token)

    # ---- public API ---------------------------------------------------------------------------------

    def bind(self, warn=None, register_secret=None):
        """Attach a client kept between loop items to the next item's warnings and secrets, with a fresh wait budget."""
        self._warn = warn or (lambda msg: None)
        self._register_secret = register_secret or (lambda value: None)
        self.waited = 0.0
        self._retries = 0
        if self._token:
            self._register_secret(self._token)

    def request(self, method, path, body=None, content_type=JSON):
        """Send one API call; return its Response. Any 2xx is success (the spec says 200, REST habits say 201/204)."""
        reauthenticated = False
        while True:
            headers = {"Authorization": "Bearer %s" % self.token(), "X-SailPoint-Experimental": "true"}
            data = None if body is None else json.dumps(body, separators=(",", ":"))
            if data is not None:
                headers["Content-Type"] = content_type
            resp = self._send(method, path, data, headers, *_RETRY_POLICY.get(method, (False, False)))
            if resp.status == 401 and not reauthenticated and self._can_authenticate():
                # Tokens can expire or be revoked mid-run; one fresh token is worth one more try.
                self._refused, self._token = self._token, None
                reauthenticated = True
                continue
            if not 200 <= resp.status < 300:
                raise api_error(method, path, resp.status, resp.error_body())
            return resp

    def token(self):
        if self._token and (self._token_expiry is None or self._clock() < self._token_expiry):
            return self._token
        if not self._can_authenticate():
            return self._token
        if self._take_shared():
            return self._token
        form = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self._client_secret}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        # Asking for a token changes nothing on the server, so it is retried like a read.
        resp = self._send("POST", TOKEN_PATH, urlencode(form), headers, True, True)
        if resp.status != 200:
            raise api_error("POST", TOKEN_PATH, resp.status, resp.error_body())
        data = resp.json()
        token = data.get("access_token") if isinstance(data, dict) else None
        if not token or not isinstance(token, str):
            raise InvalidResponseError("POST", TOKEN_PATH, resp.status, "no access_token in the token response")
        self._register_secret(token)
        self._token = token
        expires_in = data.get("expires_in")
        if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool):
            # A short-lived token would be "about to expire" at once with the full margin: scale it down.
            self._token_expiry = self._clock() + expires_in - min(TOKEN_REFRESH_MARGIN, expires_in / 2.0)
        else:
            self._token_expiry = None
        if self._store:
            self._store.put(self._store_key, token, self._token_expiry)
        return token

    def _take_shared(self):
        """Adopt the token another task of this run stored, unless it is the one just refused or it runs out."""
        entry = self._store.get(self._store_key) if self._store else None
        if not entry:
            return False
        token, expiry = entry[0], entry[1]
        if not token or token == self._refused or (expiry is not None and self._clock() >= expiry):
            return False
        self._register_secret(token)
        self._token, self._token_expiry = token, expiry
        return True

    # ---- transport with retries ---------------------------------------------------------------------

    def _can_authenticate(self):
        return bool(self.client_id and self._client_secret)

    def _send(self, method, path, data, headers, resend_if_lost, resend_on_gateway_error):
        attempt = 0
        while True:
            try:
                resp = self._send_once(method, path, data, headers)
            except _Retryable as e:
                if e.ambiguous and not resend_if_lost:
                    raise AmbiguousWriteError(method, path, "%s; the request may or may not have been applied" % e.reason)
                self._wait(method, path, e.reason, self._backoff(attempt), attempt, TransportError(method, path, e.reason))
                attempt += 1
                continue
            if resp.status == 429:
                delay = _retry_after(resp.headers.get("Retry-After"), self._clock())
                if delay is None:
                    delay = self._backoff(attempt)
                # Every retry counts against max_retries, and none is sent sooner than the floor.
                self._wait(method, path, "rate limited (HTTP 429)", max(RETRY_FLOOR, delay), attempt,
                           api_error(method, path, 429, resp.error_body()))
                attempt += 1
                continue
            if resp.status in GATEWAY_ERRORS:
                if not resend_on_gateway_error:
                    raise AmbiguousWriteError(method, path, "HTTP %s from the gateway; the request may or may not have been applied" % resp.status)
                self._wait(method, path, "HTTP %s" % resp.status, self._backoff(attempt), attempt,
                           api_error(method, path, resp.status, resp.error_body()))
                attempt += 1
                continue
            return resp

    def retry_wait(self, method, path, reason, attempt, error):
        """Back off before the caller tries a write again; raises `error` when max_retries or retry_max_wait is spent.

        For writes that the client must not resend by itself (a POST whose answer was lost): the caller
        checks the server state first, then asks here for the same backoff and budget as any other retry.
        """
        self._wait(method, path, reason, self._backoff(attempt), attempt, error)

    def _backoff(self, attempt):
        return min(BACKOFF_CAP, 2 ** attempt) * (0.5 + self._jitter() / 2)

    def _wait(self, method, path, reason, delay, attempt, error):
        out_of_retries = attempt is not None and attempt >= self.max_retries
        if out_of_retries or self.waited + delay > self.retry_max_wait:
            why = ("after %d retries" % attempt) if out_of_retries else (
                "waiting %.0fs more would exceed retry_max_wait=%ss (%.0fs already waited)" % (delay, self.retry_max_wait, self.waited))
            error.args = ("%s (gave up %s)" % (error.args[0] if error.args else reason, why),)
            raise error
        self._retries += 1
        self._warn("sailpoint.identitynow: %s %s: %s; retry %d in %.1fs" % (method, path, reason, self._retries, delay))
        (self._sleep or _sleep)(delay)
        self.waited += delay

    def _pacer(self, path):
        """The pacer of the window this request counts in (the token endpoint counts in none)."""
        if not self.rate_limit or path == TOKEN_PATH:
            return None
        version = _pacing.version_of(path)
        pacer = self._pacers.get(version)
        if pacer is None:
            who = self.client_id or "token:" + hashlib.sha256((self._token or "").encode("utf-8")).hexdigest()
            pacer = self._pacers[version] = _pacing.Pacer("%s|%s|%s" % (self.base_url, who, version), limit=self.rate_limit, window=self.rate_window,
                                                          directory=self._pace_dir, clock=self._clock,
                                                          sleep=self._pause)
        return pacer

    def _pause(self, seconds):
        (self._sleep or _sleep)(seconds)  # looked up at each call, so tests that make waits instant do so here too

    def _send_once(self, method, path, data, headers):
        pacer = self._pacer(path)
        if pacer is None:
            return self._send_now(method, path, data, headers)
        taken = pacer.acquire()
        try:
            return self._send_now(method, path, data, headers)
        finally:
            pacer.settle(taken)

    def _send_now(self, method, path, data, headers):
        hdrs = {"User-Agent": USER_AGENT, "Accept": JSON, "Accept-Encoding": "gzip, deflate"}  # urllib3 decodes both
        hdrs.update(headers)
        body = None if data is None else data.encode("utf-8")
        try:
            status, resp_headers, content = self._session.send(method, self.base_url + path, body, hdrs, self.timeout)
        except SSLError as e:
            raise TransportError(method, path, "TLS error talking to %s: %s. If the server uses a private CA, set ca_path "
                                               "(SAIL_CA_PATH) to its CA bundle; validate_certs=false is for tests only" % (self.base_url, _root_cause(e)))
        except (NewConnectionError, ProxyError) as e:  # before ConnectTimeoutError, its base class: nothing was sent
            raise _Retryable("connection failed: %s" % _root_cause(e), ambiguous=False)
        except ConnectTimeoutError:
            raise _Retryable("no connection within timeout=%ss" % self.timeout, ambiguous=False)
        except ReadTimeoutError:
            raise _Retryable("no answer within timeout=%ss" % self.timeout, ambiguous=True)
        except ProtocolError as e:
            raise _Retryable("connection lost: %s" % _root_cause(e), ambiguous=True)
        except HTTPError as e:
            raise TransportError(method, path, "request failed: %s" % _root_cause(e))
        return Response(method, path, status, resp_headers, content)


class _Pool:
    """Connections to one API host through urllib3, with the environment's proxy and CA bundle read once.

    urllib3 directly, not requests on top of it: requests costs about twice the CPU per call (0.85-1.0 ms
    against 0.42-0.49 ms for a PATCH to the emulator), the larger part of the collection's own time per
    written loop item, and this client uses none of what requests adds (sessions, cookies, auth, redirects).
    What requests took from the environment is read here, once per client: the proxy for the host's scheme
    (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY, as Python's urllib reads them; credentials in the proxy
    URL are sent as Proxy-Authorization) and, with validate_certs on and no ca_path, the CA bundle that
    REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE names. Otherwise the system's CA store verifies (Python's ssl
    defaults, which honour SSL_CERT_FILE). ~/.netrc is not read: credentials found there would replace the
    bearer token.
    """

    def __init__(self, base_url, verify):
        if verify is True:
            verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        tls = dict(cert_reqs="CERT_NONE") if verify is False else dict(cert_reqs="CERT_REQUIRED")
        if isinstance(verify, str):
            tls["ca_certs" if not os.path.isdir(verify) else "ca_cert_dir"] = verify
        proxy = _proxy_for(base_url)
        self._manager = None
        if proxy is None:
            self._manager = urllib3.PoolManager(**tls)
        elif proxy.lower().startswith("socks"):
            try:
                with warnings.catch_warnings():  # urllib3 warns before it raises; send() says it better
                    warnings.simplefilter("ignore")
                    from urllib3.contrib.socks import SOCKSProxyManager
            except ImportError:  # PySocks is missing (requests needed it too)
                return
            self._manager = SOCKSProxyManager(proxy, **tls)
        else:
            auth = urlsplit(proxy)
            headers = None
            if auth.username is not None:
                headers = urllib3.make_headers(proxy_basic_auth="%s:%s" % (unquote(auth.username), unquote(auth.password or "")))
            self._manager = urllib3.ProxyManager(proxy, proxy_headers=headers, **tls)

    def send(self, method, url, body, headers, timeout):
        if self._manager is None:
            raise TransportError(method, urlsplit(url).path, "the environment names a SOCKS proxy, which needs the PySocks "
                                                             "package: install it, or set NO_PROXY for this host")
        # No retries and no redirects here: the client decides both (_RETRY_POLICY), with its own budget. Not
        # ansible.module_utils.urls.open_url: it opens a connection per call (no keep-alive, a TLS handshake per item).
        r = self._manager.request(method, url, body=body, headers=headers, timeout=timeout, retries=False, redirect=False)
        return r.status, r.headers, r.data


def _proxy_for(url):
    """The proxy URL the environment gives for url, or None (no proxy, or the host is in NO_PROXY)."""
    proxies = getproxies()
    parts = urlsplit(url)
    if not proxies or proxy_bypass_environment(parts.hostname or "", proxies):
        return None
    return proxies.get(parts.scheme) or proxies.get("all") or None


class _Retryable(Exception):
    def __init__(self, reason, ambiguous):
        super(_Retryable, self).__init__(reason)
        self.reason = reason
        self.ambiguous = ambiguous


def _root_cause(exc):
    seen = exc
    while getattr(seen, "__cause__", None) is not None or getattr(seen, "reason", None) is not None:
        nxt = seen.__cause__ or getattr(seen, "reason", None)
        if not isinstance(nxt, BaseException) or nxt is seen:
            break
        seen = nxt
    if seen is exc and exc.args and isinstance(exc.args[0], BaseException):
        seen = exc.args[0]
        seen = getattr(seen, "reason", None) or seen
    return str(seen)


def _retry_after(value, now):
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date (RFC 9110)."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)
