# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Both fragments are kept in step with CONNECTION_OPTIONS in plugins/module_utils/_options.py
    # by tests/unit/plugins/module_utils/test_options.py.

    # For modules.
    DOCUMENTATION = r"""
options:
  base_url:
    description:
      - The API gateway URL of your tenant, without an API version, for example C(https://acme.api.identitynow.com).
      - A trailing slash is removed. A version suffix such as C(/v2024) or C(/beta) is refused with a message
        telling you to use O(api_version) instead.
      - Plain C(http://) is accepted only for loopback hosts (such as the test emulator) unless O(allow_insecure_http=true).
      - If not set, the value of the E(SAIL_BASE_URL) environment variable is used. One of the two is required.
    type: str
  client_id:
    description:
      - Client ID of an OAuth client or personal access token (PAT) of a user with the C(ORG_ADMIN) level.
      - Used with O(client_secret) to get an access token with the C(client_credentials) grant
        from C(<base_url>/oauth/token), once per task.
      - If not set, the value of the E(SAIL_CLIENT_ID) environment variable is used.
    type: str
  client_secret:
    description:
      - Secret that goes with O(client_id). Never logged or returned.
      - If not set, the value of the E(SAIL_CLIENT_SECRET) environment variable is used.
    type: str
  access_token:
    description:
      - An access token to use instead of requesting one; no token request is sent.
      - If O(client_id) and O(client_secret) are set too, they are used to get a new token when this one is refused.
      - If not set, the value of the E(SAIL_ACCESS_TOKEN) environment variable is used.
    type: str
  api_version:
    description:
      - Which version of the SIM API to call. C(beta), C(v2024), C(v2025) and C(v2026) call C(/<version>/sim-integrations);
        C(v1) calls the per-resource C(/sim-integrations/v1).
      - The header C(X-SailPoint-Experimental) is always sent, as the versioned endpoints require it.
      - If not set, the value of the E(SAIL_API_VERSION) environment variable is used when the SIM API serves it (see the
        notes), then V(v2024).
    type: str
    choices: [beta, v2024, v2025, v2026, v1]
  validate_certs:
    description:
      - Verify the server's TLS certificate. Set to V(false) only against a test server.
      - If not set, the value of the E(SAIL_VALIDATE_CERTS) environment variable is used, then V(true).
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA certificate(s) to trust instead of the system bundle, for TLS-inspecting proxies or private CAs.
      - If not set, the value of the E(SAIL_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for a connection and for each answer.
      - If not set, the value of the E(SAIL_TIMEOUT) environment variable is used, then V(30).
    type: int
    default: 30
  max_retries:
    description:
      - How many times one request is retried after a connection error or an HTTP 502, 503 or 504, with exponential
        backoff and jitter. HTTP 429 is always retried after the C(Retry-After) delay, bounded by O(retry_max_wait) only.
      - A create (POST) is never resent blindly; after an unanswered POST the integration is looked up by name first.
      - If not set, the value of the E(SAIL_MAX_RETRIES) environment variable is used, then V(5).
    type: int
    default: 5
  retry_max_wait:
    description:
      - Total seconds one task may spend waiting between retries before it fails. Each retry emits a warning.
      - If not set, the value of the E(SAIL_RETRY_MAX_WAIT) environment variable is used, then V(120).
    type: int
    default: 120
  allow_insecure_http:
    description:
      - Allow an C(http://) O(base_url) for a host that is not loopback, sending credentials in clear text.
      - If not set, the value of the E(SAIL_ALLOW_INSECURE_HTTP) environment variable is used, then V(false).
    type: bool
    default: false
  rate_limit:
    description:
      - At most this many API requests per 10 seconds per client id and API version, the limit SailPoint documents
        (100). The requests are paced on the controller so that no HTTP 429 is needed, across the loop items, the
        tasks and concurrent C(ansible-playbook) runs of the same user, through small files of request times (no
        secret in them) in a private directory under the user's temp dir. A 429 is still retried as O(max_retries) says.
      - V(0) turns pacing off.
      - If not set, the value of the E(SAIL_RATE_LIMIT) environment variable is used, then V(100).
    type: int
    default: 100
requirements:
  - urllib3
  - jsonpatch
notes:
  - Proxies are taken from the usual environment variables (E(HTTPS_PROXY), E(HTTP_PROXY), E(ALL_PROXY), E(NO_PROXY)).
  - The modules talk to SailPoint from where they run; run them on C(localhost) (for example in an AWX job template)
    so that the E(SAIL_*) variables injected by a credential reach them.
  - One E(SAIL_API_VERSION) serves the SIM and the Service Desk modules of a job. A version the module's API serves is
    used; one it does not serve (V(v3) for the SIM modules) is replaced by the module's default, with a warning; an empty
    value counts as unset; any other value is refused before any request. An O(api_version) given to the task, also
    through C(module_defaults), is always checked against its choices.
"""

    # For the lookup plugin: the connection options that apply to a token request, read by get_option()
    # from the task, then from the same E(SAIL_*) variables as the modules.
    PLUGINS = r"""
options:
  base_url:
    description:
      - The API gateway URL of your tenant, without an API version, for example C(https://acme.api.identitynow.com).
      - Plain C(http://) is accepted only for loopback hosts unless O(allow_insecure_http=true).
    type: str
    env:
      - name: SAIL_BASE_URL
  client_id:
    description: Client ID of an OAuth client or personal access token (PAT).
    type: str
    env:
      - name: SAIL_CLIENT_ID
  client_secret:
    description: Secret that goes with O(client_id). Never logged or returned.
    type: str
    env:
      - name: SAIL_CLIENT_SECRET
  validate_certs:
    description: Verify the server's TLS certificate. Set to V(false) only against a test server.
    type: bool
    default: true
    env:
      - name: SAIL_VALIDATE_CERTS
  ca_path:
    description: PEM file of the CA certificate(s) to trust instead of the system bundle.
    type: path
    env:
      - name: SAIL_CA_PATH
  timeout:
    description: Seconds to wait for a connection and for the answer.
    type: int
    default: 30
    env:
      - name: SAIL_TIMEOUT
  max_retries:
    description: How many times the token request is retried after a connection error or an HTTP 502, 503 or 504.
    type: int
    default: 5
    env:
      - name: SAIL_MAX_RETRIES
  retry_max_wait:
    description: Total seconds the lookup may spend waiting between retries before it fails.
    type: int
    default: 120
    env:
      - name: SAIL_RETRY_MAX_WAIT
  allow_insecure_http:
    description: Allow an C(http://) O(base_url) for a host that is not loopback, sending credentials in clear text.
    type: bool
    default: false
    env:
      - name: SAIL_ALLOW_INSECURE_HTTP
"""

    # The Service Desk modules' api_version. List this fragment BEFORE sailpoint.identitynow.connection:
    # when fragments are merged, the option text merged first wins.
    SERVICE_DESK = r"""
options:
  api_version:
    description:
      - Which version of the Service Desk Integrations API to call. V(v3), V(beta), V(v2024), V(v2025) and V(v2026) call
        C(/<version>/service-desk-integrations); V(v1) calls the per-resource C(/service-desk-integrations/v1).
      - This API is not experimental and does not need the header C(X-SailPoint-Experimental); it is sent anyway, as for SIM.
      - If not set, the value of the E(SAIL_API_VERSION) environment variable is used (any of the choices; see the
        notes), then V(v3).
    type: str
    choices: [v3, beta, v2024, v2025, v2026, v1]
"""
