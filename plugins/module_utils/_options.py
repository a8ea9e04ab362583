# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options: the one source of truth.

Internal to this collection: no stable API, it may change in any release.

The argument spec, the environment fallbacks and the checks below all come from CONNECTION_OPTIONS,
so a new option cannot be documented in one place and forgotten in another
(plugins/doc_fragments/connection.py is checked against this table by a unit test).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible.module_utils.basic import env_fallback
from urllib.parse import urlsplit

from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import OptionError

API_VERSIONS = ("beta", "v2024", "v2025", "v2026", "v1")
DEFAULT_API_VERSION = "v2024"
# Service Desk Integrations also exist in the non-experimental v3, their default.
SERVICE_DESK_API_VERSIONS = ("v3", "beta", "v2024", "v2025", "v2026", "v1")
DEFAULT_SERVICE_DESK_API_VERSION = "v3"
ALL_API_VERSIONS = SERVICE_DESK_API_VERSIONS + tuple(v for v in API_VERSIONS if v not in SERVICE_DESK_API_VERSIONS)

CONNECTION_OPTIONS = dict(
    base_url=dict(type="str", env="SAIL_BASE_URL"),
    client_id=dict(type="str", env="SAIL_CLIENT_ID"),
    client_secret=dict(type="str", env="SAIL_CLIENT_SECRET", no_log=True),
    access_token=dict(type="str", env="SAIL_ACCESS_TOKEN", no_log=True),
    # No default and no fallback in the argument spec: see task_api_version().
    api_version=dict(type="str", env="SAIL_API_VERSION", choices=list(API_VERSIONS)),
    validate_certs=dict(type="bool", env="SAIL_VALIDATE_CERTS", default=True),
    ca_path=dict(type="path", env="SAIL_CA_PATH"),
    timeout=dict(type="int", env="SAIL_TIMEOUT", default=30),
    max_retries=dict(type="int", env="SAIL_MAX_RETRIES", default=5),
    retry_max_wait=dict(type="int", env="SAIL_RETRY_MAX_WAIT", default=120),
    allow_insecure_http=dict(type="bool", env="SAIL_ALLOW_INSECURE_HTTP", default=False),
    rate_limit=dict(type="int", env="SAIL_RATE_LIMIT", default=100),
)

# What a token request needs: the lookup plugin's options (doc fragment connection.plugins).
# (rate_limit paces API calls; the one token request of a lookup is not one.)
PLUGIN_OPTIONS = tuple(name for name in CONNECTION_OPTIONS if name not in ("access_token", "api_version", "rate_limit"))

# A version suffix in base_url would double it in every path (/v2024/v2024/...), a classic copy-paste
# from the API docs, so it is refused with the fix spelled out rather than silently stripped.
_VERSION_SUFFIX = re.compile(r"/(beta|v3|v20\d\d|sim-integrations(/v\d+)?)/?$", re.IGNORECASE)
_LOOPBACK = re.compile(r"^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$", re.IGNORECASE)


def connection_argspec():
    spec = {}
    for name, option in CONNECTION_OPTIONS.items():
        entry = dict((k, v) for k, v in option.items() if k != "env")
        if name != "api_version":
            entry["fallback"] = (env_fallback, [option["env"]])
        spec[name] = entry
    return spec


def api_version_spec(versions):
    """The api_version option for a resource whose versions differ from the table's (doc fragment connection.SERVICE_DESK)."""
    return dict(type="str", choices=list(versions))


def task_api_version(params, versions, default, api_name, warn, environ=None):
    """The API version a task calls, set in params["api_version"]; raises OptionError before any request.

    One SAIL_API_VERSION serves a job that runs SIM and Service Desk tasks (an AWX credential injects one), so:
    a value given to the task was checked strictly by its choices; a value from the environment that this API
    does not serve (v3 for SIM) falls back to the API's default with a warning; one no API of the collection
    serves is a mistake, refused; an empty one is unset.
    """
    if params.get("api_version") is None:
        env = CONNECTION_OPTIONS["api_version"]["env"]
        value = ((os.environ if environ is None else environ).get(env) or "").strip()
        if value and value not in ALL_API_VERSIONS:
            raise OptionError("api_version", "the environment variable %s is '%s', which is no SailPoint API version this "
                                             "collection calls (the %s API serves %s); correct or unset it, or set api_version"
                                             % (env, value, api_name, ", ".join(versions)))
        if value and value not in versions:
            warn("sailpoint.identitynow: %s=%s is not served by the %s API (it serves %s), so this task uses %s; set "
                 "api_version on the task to choose another" % (env, value, api_name, ", ".join(versions), default))
        params["api_version"] = value if value in versions else default
    return params["api_version"]


def normalize_base_url(base_url, allow_insecure_http=False):
    if not base_url:
        raise OptionError("base_url", "required: set the base_url option or the SAIL_BASE_URL environment variable "
                                      "to your tenant's API gateway, e.g. https://acme.api.identitynow.com")
    url = base_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OptionError("base_url", "'%s' is not an http(s) URL; use e.g. https://acme.api.identitynow.com" % base_url)
    if parts.query or parts.fragment:
        raise OptionError("base_url", "must not contain a query string or fragment: '%s'" % base_url)
    match = _VERSION_SUFFIX.search(parts.path)
    if match:
        suggested = "%s://%s%s" % (parts.scheme, parts.netloc, parts.path[:match.start()])
        raise OptionError("base_url", "must not include an API version ('%s'): set base_url to '%s' and choose the "
                                      "version with api_version" % (match.group(0).rstrip("/"), suggested))
    if parts.scheme == "http" and not _LOOPBACK.match(parts.hostname) and not allow_insecure_http:
        raise OptionError("base_url", "refusing to send credentials over plain http:// to '%s'; use https://, or set "
                                      "allow_insecure_http=true (SAIL_ALLOW_INSECURE_HTTP) if you really mean it" % parts.hostname)
    return url


def client_kwargs(params):
    """Validated keyword arguments for SailPointClient from module params (already env-resolved)."""
    url = normalize_base_url(params.get("base_url"), params.get("allow_insecure_http"))
    client_id, client_secret, token = params.get("client_id"), params.get("client_secret"), params.get("access_token")
    if not token and not (client_id and client_secret):
        if client_id or client_secret:
            missing, env = ("client_secret", "SAIL_CLIENT_SECRET") if client_id else ("client_id", "SAIL_CLIENT_ID")
            raise OptionError(missing, "%s (%s) is missing: client_id and client_secret go together" % (missing, env))
        raise OptionError("client_id", "no credentials: set client_id and client_secret (SAIL_CLIENT_ID, SAIL_CLIENT_SECRET; "
                                       "a personal access token is such a pair) or access_token (SAIL_ACCESS_TOKEN)")
    for name in ("timeout", "max_retries", "retry_max_wait", "rate_limit"):
        value = params.get(name)
        if value is not None and (value < 0 or (name == "timeout" and value == 0)):
            raise OptionError(name, "must be %s, got %s" % ("a positive number of seconds" if name == "timeout" else "0 or more", value))
    verify = params.get("validate_certs", True)
    if verify and params.get("ca_path"):
        verify = params["ca_path"]
        if not os.path.isfile(verify):
            raise OptionError("ca_path", "no such file '%s': point it at a PEM file of the CA certificate(s) to trust, "
                                         "or leave it unset to use the system bundle" % verify)
    return dict(
        base_url=url,
        client_id=client_id,
        client_secret=client_secret,
        access_token=token,
        verify=verify,
        timeout=params.get("timeout") or 30,
        max_retries=params.get("max_retries", 5),
        retry_max_wait=params.get("retry_max_wait", 120),
        rate_limit=params.get("rate_limit") or 0,
    )
