# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local emulator of the SailPoint Identity Security Cloud SIM-integrations API.

It follows the official OpenAPI documents vendored in ``spec/`` (sailpoint-oss/api-specs,
MIT licence), not the behaviour of any client. Run ``python sim_emulator.py --help`` or read
``README.md`` next to this file for the options, the endpoints, the admin API and the
assumptions made where the spec is silent.

In-process use::

    with Emulator(port=0) as emu:
        requests.post(emu.url + '/oauth/token', data={...})
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import base64
import copy
import datetime
import email.parser
import email.policy
import hmac
import json
import math
import os
import re
import signal
import socket
import socketserver
import ssl
import struct
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import jsonpatch

SPEC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'spec')

# Upstream, the v2025 and v2026 SIM paths and schemas are byte-identical to v2024, so the v2024
# document serves all three year versions (only info.title/info.version differ upstream).
SPEC_FILES = (
    ('beta', 'sim-integrations.beta.bundled.json'),
    ('v2024', 'sim-integrations.v2024.bundled.json'),
    ('v2025', 'sim-integrations.v2024.bundled.json'),
    ('v2026', 'sim-integrations.v2024.bundled.json'),
    ('v1', 'sim-integrations.v1.bundled.json'),
)

DEFAULT_CLIENT_ID = 'emulator-client'
DEFAULT_CLIENT_SECRET = 'emulator-secret'
DEFAULT_INTEGRATION_TYPE = 'ServiceNowSDIM'
JSON_CONTENT_TYPE = 'application/json;charset=UTF-8'
TEXT_CONTENT_TYPE = 'text/plain;charset=UTF-8'
EXPERIMENTAL_HEADER = 'X-SailPoint-Experimental'
EXPERIMENTAL_ERROR = 'Experimental Header is missing or invalid.'
RATE_LIMIT_MESSAGE = ' Rate Limit Exceeded '
SECRET_KEY_RE = re.compile(r'password|secret|token|credential|private_?key|api_?key', re.IGNORECASE)
MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_LOG_ENTRIES = 100000
MAX_TOKENS = 10000
WRITE_OPS = ('add', 'remove', 'replace', 'move', 'copy')
RULE_FIELD = 'beforeProvisioningRule'
MASK = '********'
MISSING_TOKEN_ERROR = 'JWT is required'

# Variants of the live API that public evidence makes plausible (README "Variants"); the first
# value of each is the default and keeps the emulator's original behaviour.
VARIANTS = {
    'patch_body': ('both', 'array', 'operations'),
    'patch_ops': ('any', 'replace'),
    'patch_paths': ('any', 'top'),
    'secrets': ('omit', 'mask', 'return'),
    'status_codes': ('spec', 'rest'),
    'duplicate_status': (400, 409),
}

# operationId (without the per-resource 'V1' suffix) -> Emulator._op_<name>
OPERATIONS = {
    'getSIMIntegrations': 'list_integrations',
    'getSIMIntegration': 'get_integration',
    'createSIMIntegration': 'create_integration',
    'putSIMIntegration': 'put_integration',
    'deleteSIMIntegration': 'delete_integration',
    'patchSIMAttributes': 'patch_integration',
    'patchBeforeProvisioningRule': 'patch_rule',
}

# Texts of the spec's own response examples (responses/4xx.yaml, 500.yaml); the 400 text is the
# ErrorMessageDto schema example because responses/400.yaml has no example.
ERROR_EXAMPLES = {
    400: ('400.1 Bad Request Content', 'The request was syntactically correct but its content is semantically invalid.'),
    403: ('403 Forbidden', 'The server understood the request but refuses to authorize it.'),
    404: ('404 Not found', 'The server did not find a current representation for the target resource.'),
    500: ('500.0 Internal Fault', 'An internal fault occurred.'),
}


def _now_iso(after=None):
    """Return the current UTC time as ISO-8601 with milliseconds, strictly later than ``after``.

    Callers compare ``modified`` before and after an update, so two writes within the same
    millisecond must still produce different, increasing timestamps.
    """
    now = datetime.datetime.now(datetime.timezone.utc)
    if after:
        try:
            previous = datetime.datetime.strptime(after, '%Y-%m-%dT%H:%M:%S.%fZ').replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            previous = None
        if previous is not None and now <= previous:
            now = previous + datetime.timedelta(milliseconds=1)
    return now.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (now.microsecond // 1000)


def _new_id():
    return uuid.uuid4().hex


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def _json_type(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, int):
        return 'integer'
    if isinstance(value, float):
        return 'number'
    if isinstance(value, str):
        return 'string'
    if isinstance(value, list):
        return 'array'
    return 'object'


def _has_type(value, wanted):
    actual = _json_type(value)
    if wanted == 'number':
        return actual in ('integer', 'number')
    return actual == wanted


def _is_loopback(host):
    host = (host or '').strip('[]')
    if host == 'localhost':
        return True
    if host.startswith('::ffff:'):
        host = host[7:]
    return host == '::1' or host.startswith('127.')


def _strip_secrets(value):
    """Drop password-like keys at any depth, the way secret attributes are masked on read."""
    if isinstance(value, dict):
        return {k: _strip_secrets(v) for k, v in value.items() if not SECRET_KEY_RE.search(str(k))}
    if isinstance(value, list):
        return [_strip_secrets(v) for v in value]
    return value


def _mask_secrets(value):
    """Replace the value of every password-like key, at any depth, by a fixed mask."""
    if isinstance(value, dict):
        return {k: MASK if SECRET_KEY_RE.search(str(k)) else _mask_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_secrets(v) for v in value]
    return value


def _pointer_exists(document, tokens):
    node = document
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _parent_is_object(document, tokens):
    return bool(tokens) and _pointer_exists(document, tokens[:-1]) and isinstance(_resolve(document, tokens[:-1]), dict)


def _resolve(document, tokens):
    node = document
    for token in tokens:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _media_type(header_value):
    return (header_value or '').split(';', 1)[0].strip().lower()


def _pointer_tokens(pointer):
    return [part.replace('~1', '/').replace('~0', '~') for part in pointer.split('/')[1:]]


class Response:
    """What the emulator answers; ``body`` is bytes, already serialized."""

    def __init__(self, status, body=b'', content_type=None, headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = list(headers or [])

    @classmethod
    def json(cls, status, payload, headers=None):
        body = json.dumps(payload, separators=(',', ':')).encode('utf-8')
        return cls(status, body, JSON_CONTENT_TYPE, headers)


def error_response(status, text=None, detail_code=None, texts=None):
    """An ErrorResponseDto with a fresh trackingId, shaped like the spec's examples."""
    default_code, default_text = ERROR_EXAMPLES.get(status, ('%d %s' % (status, _reason(status)), _reason(status)))
    messages = [{'locale': 'en-US', 'localeOrigin': 'DEFAULT', 'text': t} for t in (texts or [text or default_text])]
    return Response.json(status, {
        'detailCode': detail_code or default_code,
        'trackingId': _new_id(),
        'messages': messages,
        'causes': [],
    })


def bad_request(texts):
    if isinstance(texts, str):
        texts = [texts]
    return error_response(400, texts=texts)


def _reason(status):
    return BaseHTTPRequestHandler.responses.get(status, ('Error',))[0]


class SchemaValidator:
    """Validates JSON values against the OpenAPI 3.0 subset the vendored SIM schemas use.

    Supported: $ref (local), type, nullable, required, properties, additionalProperties,
    items, enum, allOf, oneOf, anyOf. In request mode readOnly properties are skipped, because
    the server ignores them (SDKs drop them, hand-written clients echo them back from GET).
    """

    def __init__(self, document):
        self.document = document

    def resolve(self, schema):
        hops = 0
        while isinstance(schema, dict) and '$ref' in schema:
            node = self.document
            for part in schema['$ref'].lstrip('#/').split('/'):
                node = node[part]
            schema = node
            hops += 1
            if hops > 32:
                raise ValueError('circular $ref')
        return schema

    def is_read_only(self, schema):
        schema = self.resolve(schema)
        if schema.get('readOnly'):
            return True
        return any(self.is_read_only(sub) for sub in schema.get('allOf', []))

    def properties(self, schema):
        """All properties of an object schema, merged across allOf members."""
        schema = self.resolve(schema)
        merged = {}
        for sub in schema.get('allOf', []):
            merged.update(self.properties(sub))
        merged.update(schema.get('properties', {}))
        return merged

    def validate(self, value, schema, where='', request=True):
        errors = []
        self._validate(value, schema, where, errors, request)
        return errors

    @staticmethod
    def _name(where):
        return "Field '%s'" % where if where else 'The request body'

    @staticmethod
    def _child(where, key):
        return '%s.%s' % (where, key) if where else str(key)

    def _validate(self, value, schema, where, errors, request):
        schema = self.resolve(schema)
        wanted = schema.get('type')
        if value is None:
            # OpenAPI 3.0: null is valid only where nullable is true; an untyped schema accepts it.
            if schema.get('nullable') or (wanted is None and not any(k in schema for k in ('allOf', 'oneOf', 'anyOf'))):
                return
            if wanted is not None:
                errors.append('%s must be of type %s, not null.' % (self._name(where), wanted))
                return
        elif wanted is not None and not _has_type(value, wanted):
            errors.append('%s must be of type %s, not %s.' % (self._name(where), wanted, _json_type(value)))
            return
        if 'enum' in schema and not any(value == item and _json_type(value) == _json_type(item) for item in schema['enum']):
            allowed = ', '.join(str(item) for item in schema['enum'] if item is not None)
            errors.append('%s has the invalid value %s; allowed values: %s.' % (self._name(where), json.dumps(value), allowed))
            return
        for sub in schema.get('allOf', []):
            self._validate(value, sub, where, errors, request)
        for keyword, exact in (('oneOf', True), ('anyOf', False)):
            if keyword not in schema:
                continue
            matches = sum(1 for sub in schema[keyword] if not self.validate(value, sub, where, request))
            if matches == 0 or (exact and matches > 1):
                kinds = ', '.join(self.resolve(sub).get('title') or self.resolve(sub).get('type', 'schema') for sub in schema[keyword])
                errors.append('%s must match %s of: %s (got %s).' % (
                    self._name(where), 'exactly one' if exact else 'at least one', kinds, _json_type(value)))
        if isinstance(value, dict):
            properties = schema.get('properties', {})
            for key in schema.get('required', []):
                if key not in value:
                    errors.append("Field '%s' is required." % self._child(where, key))
            for key, item in value.items():
                if key in properties:
                    if request and self.is_read_only(properties[key]):
                        continue
                    self._validate(item, properties[key], self._child(where, key), errors, request)
                elif schema.get('additionalProperties') is False:
                    errors.append("Field '%s' is not allowed." % self._child(where, key))
                elif isinstance(schema.get('additionalProperties'), dict):
                    self._validate(item, schema['additionalProperties'], self._child(where, key), errors, request)
        if isinstance(value, list) and 'items' in schema:
            for index, item in enumerate(value):
                self._validate(item, schema['items'], '%s[%d]' % (where, index), errors, request)


class ApiVersion:
    """One API version: its URL prefix, its OpenAPI document and the operations it declares."""

    def __init__(self, version, document):
        self.version = version
        self.document = document
        self.validator = SchemaValidator(document)
        self.routes = []
        prefix = '' if version == 'v1' else '/' + version
        for path, item in document['paths'].items():
            parts = (prefix + path).split('{id}')
            regex = re.compile('^' + '(?P<id>[^/]+)'.join(re.escape(p) for p in parts) + '$')
            operations = {}
            for method, operation in item.items():
                if method in ('get', 'put', 'post', 'patch', 'delete'):
                    operations[method.upper()] = self._operation(operation)
            self.routes.append((regex, operations))
        self.details_schema = self.component('SimIntegrationDetails')
        self.patch_schema = self.component('JsonPatch')
        self.patch_operation_schema = self.validator.properties(self.patch_schema)['operations']['items']
        properties = self.validator.properties(self.details_schema)
        self.read_only_fields = [k for k, v in properties.items() if self.validator.is_read_only(v)]
        self.writable_fields = [k for k, v in properties.items() if not self.validator.is_read_only(v)]

    def component(self, name):
        # The per-resource v1 document names its components in lower case.
        schemas = self.document['components']['schemas']
        for key in schemas:
            if key.lower() == name.lower():
                return {'$ref': '#/components/schemas/' + key}
        raise KeyError(name)

    def _operation(self, operation):
        name = operation['operationId']
        if name.endswith('V1'):
            name = name[:-2]
        experimental = any(
            p.get('in') == 'header' and p.get('name', '').lower() == EXPERIMENTAL_HEADER.lower() and p.get('required')
            for p in operation.get('parameters', []))
        content = operation.get('requestBody', {}).get('content', {})
        media_types = list(content)
        schema = content[media_types[0]]['schema'] if media_types else None
        return {'name': name, 'experimental': experimental, 'media_types': media_types, 'schema': schema}

    def match(self, method, path):
        """Return (operations-or-None, id) for a path of this version, or None."""
        for regex, operations in self.routes:
            found = regex.match(path)
            if found:
                ident = found.groupdict().get('id')
                return operations.get(method), operations, unquote(ident) if ident else None
        return None


_VERSIONS_CACHE = {}


def load_api_versions(spec_dir=SPEC_DIR):
    """The ApiVersion objects for every served prefix; read-only, so shared between emulators."""
    if spec_dir not in _VERSIONS_CACHE:
        documents = {}
        versions = []
        for version, filename in SPEC_FILES:
            if filename not in documents:
                with open(os.path.join(spec_dir, filename), encoding='utf-8') as handle:
                    documents[filename] = json.load(handle)
            versions.append(ApiVersion(version, documents[filename]))
        _VERSIONS_CACHE[spec_dir] = versions
    return _VERSIONS_CACHE[spec_dir]


class _BodyError(Exception):
    def __init__(self, response):
        Exception.__init__(self, response.status)
        self.response = response


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, handler, emulator, tls_context):
        self.emulator = emulator
        self.tls_context = tls_context
        self._aborted = set()
        self._aborted_lock = threading.Lock()
        ThreadingHTTPServer.__init__(self, address, handler)

    def server_bind(self):
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn), which can hang offline.
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.server_address[0]
        self.server_port = self.server_address[1]

    def get_request(self):
        sock, address = self.socket.accept()
        if self.tls_context is not None:
            # The handshake runs in the handler thread, so a slow client cannot stall accept().
            sock = self.tls_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address):
        if self.emulator.verbose:
            sys.stderr.write('error while serving %s:\n%s' % (client_address, traceback.format_exc()))

    def mark_aborted(self, request):
        with self._aborted_lock:
            self._aborted.add(request)

    def shutdown_request(self, request):
        with self._aborted_lock:
            aborted = request in self._aborted
            self._aborted.discard(request)
        if aborted:
            # No shutdown(SHUT_WR): with SO_LINGER 0 the close sends a bare RST, no FIN first.
            self.close_request(request)
        else:
            ThreadingHTTPServer.shutdown_request(self, request)


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'sim-emulator'
    timeout = 300

    def version_string(self):
        return self.server_version

    def setup(self):
        if self.server.tls_context is not None:
            self.request.settimeout(10)
            self.request.do_handshake()
        BaseHTTPRequestHandler.setup(self)
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        self.server.emulator.track_connection(self.connection, True)

    def finish(self):
        try:
            BaseHTTPRequestHandler.finish(self)
        finally:
            self.server.emulator.track_connection(self.connection, False)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.emulator.verbose:
            sys.stderr.write('%s - %s\n' % (self.address_string(), format % args))

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _dispatch(self):
        emulator = self.server.emulator
        split = urlsplit(self.path)
        path, query = split.path, split.query
        if path == '/__emulator' or path.startswith('/__emulator/'):
            try:
                response = emulator.admin(self.command, path, self._read_body(), self.client_address[0])
            except _BodyError as exc:
                response = exc.response
                self.close_connection = True
            self._send(response)
            return
        try:
            rule = emulator.take_fault(self.command, path)
            if rule is not None and rule.get('reset') == 'before':
                emulator.log_request(self.command, path, None, query, self.headers.get('Content-Type'))
                self._abort()
                return
            body = self._read_body()
            if rule is not None and 'status' in rule:
                response = emulator.fault_response(rule)
            else:
                if rule is not None and 'delay' in rule:
                    time.sleep(rule['delay'])
                response = emulator.handle_api(self.command, path, query, self.headers, body)
                if rule is not None and rule.get('reset') == 'after':
                    emulator.log_request(self.command, path, None, query, self.headers.get('Content-Type'), body)
                    self._abort()
                    return
        except _BodyError as exc:
            response = exc.response
            body = b''
            self.close_connection = True
        emulator.log_request(self.command, path, response.status, query, self.headers.get('Content-Type'), body)
        self._send(response)

    def _read_body(self):
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            return self._read_chunked()
        length = self.headers.get('Content-Length')
        if length is None:
            return b''
        try:
            size = int(length)
            if size < 0:
                raise ValueError(length)
        except ValueError as exc:
            raise _BodyError(bad_request('Invalid Content-Length header.')) from exc
        if size > MAX_BODY_BYTES:
            raise _BodyError(error_response(413, 'The request body is larger than %d bytes.' % MAX_BODY_BYTES))
        return self.rfile.read(size)

    def _read_chunked(self):
        chunks = []
        total = 0
        while True:
            line = self.rfile.readline(1024).split(b';', 1)[0].strip()
            try:
                size = int(line, 16)
            except ValueError as exc:
                raise _BodyError(bad_request('Invalid chunked request body.')) from exc
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass
                return b''.join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                raise _BodyError(error_response(413, 'The request body is larger than %d bytes.' % MAX_BODY_BYTES))
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _abort(self):
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        except OSError:
            pass
        self.server.mark_aborted(self.request)

    def _send(self, response):
        self.send_response(response.status)
        if response.content_type and response.body:
            self.send_header('Content-Type', response.content_type)
        self.send_header('Content-Length', str(len(response.body)))
        self.send_header('Slpt-Request-Id', _new_id())
        for name, value in response.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header('Connection', 'close')
        # Headers and body leave in one write: split writes meet the client's delayed ACK and
        # cost ~40 ms per keep-alive request.
        self._headers_buffer.append(b'\r\n')
        if self.command != 'HEAD' and response.body:
            self._headers_buffer.append(response.body)
        self.flush_headers()


class Emulator:
    """The SIM-integrations emulator: state, auth, rate limits, faults, and the HTTP server."""

    def __init__(self, host='127.0.0.1', port=0, port_file=None, client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET,
                 read_only_clients=None, token_lifetime=749, lifetime=3600, state_file=None, tls_cert=None, tls_key=None,
                 strict_dto=False, return_secrets=False, rate_limit=100, rate_window=10, faults=None, verbose=False,
                 allow_non_loopback=False, patch_body='both', patch_ops='any', patch_paths='any', secrets=None,
                 status_codes='spec', duplicate_status=400):
        if not allow_non_loopback and not _is_loopback(host):
            raise ValueError('the in-process emulator listens on loopback only, not %r' % host)
        if bool(tls_cert) != bool(tls_key):
            raise ValueError('tls_cert and tls_key go together')
        self.host = host
        self.port = int(port)
        self.port_file = port_file
        self.clients = {client_id: (client_secret, False)}
        for entry in read_only_clients or []:
            ro_id, ro_secret = entry.split(':', 1) if isinstance(entry, str) else entry
            self.clients[ro_id] = (ro_secret, True)
        self.token_lifetime = int(token_lifetime)
        self.lifetime = float(lifetime or 0)
        self.state_file = state_file
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self.strict_dto = bool(strict_dto)
        # return_secrets=True is the original spelling of secrets='return' and stays accepted.
        self.secrets = secrets or ('return' if return_secrets else 'omit')
        self.patch_body = patch_body
        self.patch_ops = patch_ops
        self.patch_paths = patch_paths
        self.status_codes = status_codes
        try:
            self.duplicate_status = int(duplicate_status)
        except (TypeError, ValueError):
            self.duplicate_status = duplicate_status
        for name, allowed in VARIANTS.items():
            if getattr(self, name) not in allowed:
                raise ValueError('%s must be one of %s, not %r' % (name, ', '.join(str(a) for a in allowed), getattr(self, name)))
        self.rate_limit = int(rate_limit or 0)
        self.rate_window = float(rate_window)
        self.verbose = bool(verbose)
        self.tenant_id = str(uuid.uuid4())
        self.versions = load_api_versions()

        self._lock = threading.RLock()
        self._integrations = {}
        self._tokens = {}
        self._buckets = {}
        self._request_log = deque(maxlen=MAX_LOG_ENTRIES)
        self._faults = []
        self._connections = set()
        self._server = None
        self._thread = None
        self._timer = None
        self._stopped = threading.Event()

        if faults is not None:
            self.add_faults(self._read_faults(faults))
        if state_file and os.path.exists(state_file):
            self._load_state(state_file)

    # ----------------------------------------------------------------- lifecycle

    @property
    def return_secrets(self):
        return self.secrets == 'return'

    @property
    def url(self):
        scheme = 'https' if self.tls_cert else 'http'
        host = '[%s]' % self.host if ':' in self.host else self.host
        return '%s://%s:%d' % (scheme, host, self.port)

    def start(self, announce=None):
        """Bind, serve in a background thread, then call ``announce(url)`` and write the port file."""
        context = None
        if self.tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.tls_cert, self.tls_key)
        server_class = _Server6 if ':' in self.host else _Server
        self._server = server_class((self.host, self.port), _Handler, self, context)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.05}, name='sim-emulator')
        self._thread.daemon = True
        self._thread.start()
        if self.lifetime > 0:
            self._timer = threading.Timer(self.lifetime, self.stop)
            self._timer.daemon = True
            self._timer.start()
        if announce is not None:
            announce(self.url)
        if self.port_file:
            self._atomic_write(self.port_file, '%d\n' % self.port)
        return self

    def stop(self):
        if self._stopped.is_set():
            return
        self._stopped.set()
        if self._timer is not None:
            self._timer.cancel()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            # Idle keep-alive connections would otherwise keep their handler threads (and the
            # client's pooled socket) alive after the server is gone.
            with self._lock:
                connections = list(self._connections)
            for connection in connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def wait(self, timeout=None):
        """Block until the emulator stops (lifetime, stop()); True if it has stopped."""
        return self._stopped.wait(timeout)

    def __enter__(self):
        return self.start() if self._server is None else self

    def __exit__(self, *exc_info):
        self.stop()

    def track_connection(self, connection, alive):
        with self._lock:
            if alive:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    # ----------------------------------------------------------------- admin helpers (in-process)

    def reset(self):
        with self._lock:
            self._integrations.clear()
            self._request_log.clear()
            del self._faults[:]
            self._buckets.clear()
            self._save_state()

    def request_log(self):
        with self._lock:
            return list(self._request_log)

    def clear_request_log(self):
        with self._lock:
            count = len(self._request_log)
            self._request_log.clear()
            return count

    def state(self):
        with self._lock:
            return {'integrations': copy.deepcopy(list(self._integrations.values()))}

    def add_faults(self, rules):
        if isinstance(rules, dict):
            rules = rules.get('rules')
        if not isinstance(rules, list):
            raise ValueError("fault rules must be a list or an object {'rules': [...]}")
        normalized = [self._normalize_rule(rule, index) for index, rule in enumerate(rules)]
        with self._lock:
            self._faults.extend(normalized)
            return copy.deepcopy(self._faults)

    def faults(self):
        with self._lock:
            return copy.deepcopy(self._faults)

    def clear_faults(self):
        with self._lock:
            count = len(self._faults)
            del self._faults[:]
            return count

    def expire_tokens(self):
        with self._lock:
            for record in self._tokens.values():
                record['exp'] = 0
            return len(self._tokens)

    def seed(self, integrations):
        """Store documents as they are, bypassing the API's validation; fills id/created/modified."""
        if isinstance(integrations, dict):
            integrations = integrations.get('integrations')
        if not isinstance(integrations, list) or not all(isinstance(item, dict) for item in integrations):
            raise ValueError("seed needs {'integrations': [{...}, ...]}")
        stored = []
        with self._lock:
            for item in integrations:
                document = copy.deepcopy(item)
                if not isinstance(document.get('id'), str):
                    document['id'] = _new_id()
                document.setdefault('created', _now_iso())
                document.setdefault('modified', document['created'])
                self._integrations[document['id']] = document
                stored.append(copy.deepcopy(document))
            self._save_state()
        return stored

    def options(self):
        """The behaviour switches this emulator runs with (GET /__emulator/ready)."""
        return {'strict_dto': self.strict_dto, 'secrets': self.secrets, 'patch_body': self.patch_body, 'patch_ops': self.patch_ops,
                'patch_paths': self.patch_paths, 'status_codes': self.status_codes, 'duplicate_status': self.duplicate_status,
                'rate_limit': self.rate_limit, 'token_lifetime': self.token_lifetime}

    # ----------------------------------------------------------------- persistence

    @staticmethod
    def _atomic_write(path, text):
        directory = os.path.dirname(os.path.abspath(path))
        handle, temp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), dir=directory)
        try:
            with os.fdopen(handle, 'w', encoding='utf-8') as stream:
                stream.write(text)
            os.replace(temp, path)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise

    def _load_state(self, path):
        with open(path, encoding='utf-8') as handle:
            data = json.load(handle)
        items = data.get('integrations') if isinstance(data, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get('id'), str) for i in items):
            raise ValueError("%s: expected {'integrations': [{'id': ...}, ...]}" % path)
        self._integrations = {item['id']: item for item in items}

    def _save_state(self):
        if self.state_file:
            payload = {'integrations': list(self._integrations.values())}
            self._atomic_write(self.state_file, json.dumps(payload, indent=2) + '\n')

    # ----------------------------------------------------------------- request log and faults

    def log_request(self, method, path, status, query='', content_type=None, body=b''):
        """Record one API request; ``body`` is kept parsed (None when empty or not JSON)."""
        parsed = None
        if body:
            try:
                parsed = json.loads(body.decode('utf-8'))
            except ValueError:
                parsed = None
        entry = {'method': method, 'path': path, 'query': query or '', 'status': status, 'content_type': content_type, 'body': parsed}
        with self._lock:
            self._request_log.append(entry)
        if self.verbose:
            sys.stderr.write('%s %s -> %s\n' % (method, path, 'connection reset' if status is None else status))

    @staticmethod
    def _read_faults(source):
        if isinstance(source, (list, dict)):
            return source
        with open(source, encoding='utf-8') as handle:
            return json.load(handle)

    @staticmethod
    def _normalize_rule(rule, index):
        where = 'rule %d' % index
        if not isinstance(rule, dict):
            raise ValueError('%s must be an object' % where)
        known = ('method', 'path', 'times', 'status', 'body', 'retry_after', 'content_type', 'headers', 'delay', 'reset')
        unknown = sorted(set(rule) - set(known))
        if unknown:
            raise ValueError('%s: unknown keys %s' % (where, ', '.join(unknown)))
        actions = [key for key in ('status', 'delay', 'reset') if key in rule]
        if len(actions) != 1:
            raise ValueError('%s needs exactly one of status, delay, reset' % where)
        out = {}
        if rule.get('method') is not None:
            if not isinstance(rule['method'], str):
                raise ValueError('%s: method must be a string' % where)
            out['method'] = rule['method'].upper()
        if rule.get('path') is not None:
            if not isinstance(rule['path'], str):
                raise ValueError('%s: path must be a string' % where)
            out['path'] = rule['path'].split('?', 1)[0]
        times = rule.get('times', 1)
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError('%s: times must be an integer >= 1' % where)
        out['times'] = times
        if 'status' in rule:
            status = rule['status']
            if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
                raise ValueError('%s: status must be an integer 100-599' % where)
            out['status'] = status
            if 'body' in rule:
                out['body'] = rule['body']
            if rule.get('retry_after') is not None:
                if isinstance(rule['retry_after'], bool) or not isinstance(rule['retry_after'], (int, float, str)):
                    raise ValueError('%s: retry_after must be a number of seconds' % where)
                out['retry_after'] = rule['retry_after']
            if rule.get('content_type') is not None:
                out['content_type'] = str(rule['content_type'])
            if rule.get('headers') is not None:
                if not isinstance(rule['headers'], dict):
                    raise ValueError('%s: headers must be an object' % where)
                out['headers'] = {str(k): str(v) for k, v in rule['headers'].items()}
        else:
            for key in ('body', 'retry_after', 'content_type', 'headers'):
                if key in rule:
                    raise ValueError('%s: %s only goes with status' % (where, key))
        if 'delay' in rule:
            delay = rule['delay']
            if isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0:
                raise ValueError('%s: delay must be a number of seconds >= 0' % where)
            out['delay'] = delay
        if 'reset' in rule:
            if rule['reset'] not in ('before', 'after'):
                raise ValueError("%s: reset must be 'before' or 'after'" % where)
            out['reset'] = rule['reset']
        return out

    def take_fault(self, method, path):
        with self._lock:
            for rule in self._faults:
                if rule.get('method', method) == method and rule.get('path', path) == path:
                    rule['times'] -= 1
                    if rule['times'] <= 0:
                        self._faults.remove(rule)
                    return rule
        return None

    @staticmethod
    def fault_response(rule):
        status = rule['status']
        headers = list(rule.get('headers', {}).items())
        if 'retry_after' in rule:
            value = rule['retry_after']
            headers.append(('Retry-After', str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)))
        if status in (204, 304) or 100 <= status < 200:
            return Response(status, b'', None, headers)
        if 'body' not in rule:
            response = Emulator._default_error_body(status)
            response.headers.extend(headers)
            return response
        body = rule['body']
        if isinstance(body, str):
            return Response(status, body.encode('utf-8'), rule.get('content_type', TEXT_CONTENT_TYPE), headers)
        encoded = json.dumps(body, separators=(',', ':')).encode('utf-8')
        return Response(status, encoded, rule.get('content_type', JSON_CONTENT_TYPE), headers)

    @staticmethod
    def _default_error_body(status):
        if status == 401:
            return Response.json(401, {'error': 'JWT validation failed: JWT is expired'})
        if status == 429:
            return Response.json(429, {'message': RATE_LIMIT_MESSAGE})
        if status < 400:
            return Response.json(status, {})
        return error_response(status)

    # ----------------------------------------------------------------- admin API

    def admin(self, method, path, body, client_host):
        if not _is_loopback(client_host):
            return error_response(403, 'The emulator admin API answers loopback clients only.')
        routes = {
            '/__emulator/requests': ('GET', 'DELETE'),
            '/__emulator/state': ('GET',),
            '/__emulator/reset': ('POST',),
            '/__emulator/faults': ('GET', 'POST', 'DELETE'),
            '/__emulator/tokens/expire': ('POST',),
            '/__emulator/seed': ('POST',),
            '/__emulator/ready': ('GET',),
        }
        if path not in routes:
            return error_response(404)
        if method not in routes[path]:
            return Response.json(405, {'error': 'Method %s is not allowed on %s' % (method, path)}, [('Allow', ', '.join(routes[path]))])
        if path == '/__emulator/requests':
            if method == 'GET':
                return Response.json(200, self.request_log())
            return Response.json(200, {'cleared': self.clear_request_log()})
        if path == '/__emulator/state':
            return Response.json(200, self.state())
        if path == '/__emulator/reset':
            self.reset()
            return Response.json(200, {'reset': True})
        if path == '/__emulator/tokens/expire':
            return Response.json(200, {'expired': self.expire_tokens()})
        if path == '/__emulator/ready':
            return Response.json(200, {'ready': True, 'options': self.options()})
        if path == '/__emulator/seed':
            try:
                return Response.json(200, {'integrations': self.seed(json.loads(body.decode('utf-8') or 'null'))})
            except ValueError as exc:
                return bad_request('Invalid seed: %s' % exc)
        if method == 'GET':
            return Response.json(200, {'rules': self.faults()})
        if method == 'DELETE':
            return Response.json(200, {'cleared': self.clear_faults()})
        try:
            return Response.json(200, {'rules': self.add_faults(json.loads(body.decode('utf-8') or 'null'))})
        except ValueError as exc:
            return bad_request('Invalid fault rules: %s' % exc)

    # ----------------------------------------------------------------- SailPoint API

    def handle_api(self, method, path, query, headers, body):
        try:
            if path == '/oauth/token':
                return self._token(method, query, headers, body)
            return self._api(method, path, headers, body)
        except Exception:  # pylint: disable=broad-except
            # Mirror the platform: an unexpected fault is a 500 ErrorResponseDto, not a dropped socket.
            sys.stderr.write(traceback.format_exc())
            return error_response(500)

    def _token(self, method, query, headers, body):
        if method != 'POST':
            return Response.json(405, {'error': 'method_not_allowed', 'error_description': "Request method '%s' is not supported" % method},
                                 [('Allow', 'POST')])
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        content_type = headers.get('Content-Type', '')
        media = _media_type(content_type)
        try:
            if media == 'application/x-www-form-urlencoded':
                params.update((k, v[0]) for k, v in parse_qs(body.decode('utf-8'), keep_blank_values=True).items())
            elif media == 'multipart/form-data':
                params.update(self._multipart_fields(content_type, body))
        except (UnicodeDecodeError, ValueError):
            return Response.json(400, {'error': 'invalid_request', 'error_description': 'Malformed request body'})
        authorization = headers.get('Authorization', '')
        if authorization[:6].lower() == 'basic ' and 'client_id' not in params:
            try:
                decoded = base64.b64decode(authorization[6:].strip()).decode('utf-8')
                params['client_id'], params['client_secret'] = decoded.split(':', 1)
            except (ValueError, UnicodeDecodeError):
                pass
        client = self.clients.get(params.get('client_id', ''))
        if client is None or not hmac.compare_digest(client[0].encode('utf-8'), params.get('client_secret', '').encode('utf-8')):
            return Response.json(401, {'error': 'invalid_client', 'error_description': 'Bad credentials'})
        grant = params.get('grant_type')
        if not grant:
            return Response.json(400, {'error': 'invalid_request', 'error_description': 'Missing grant type'})
        if grant != 'client_credentials':
            return Response.json(400, {'error': 'unsupported_grant_type', 'error_description': 'Unsupported grant type: %s' % grant})
        return self._issue_token(params['client_id'], client[1])

    @staticmethod
    def _multipart_fields(content_type, body):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b'Content-Type: ' + content_type.encode('latin-1') + b'\r\n\r\n' + body)
        fields = {}
        if message.is_multipart():
            for part in message.iter_parts():
                name = part.get_param('name', header='content-disposition')
                if name and name not in fields:
                    fields[name] = (part.get_payload(decode=True) or b'').decode('utf-8')
        return fields

    def _issue_token(self, client_id, read_only):
        now = int(time.time())
        jti = str(uuid.uuid4())
        scope = 'sp:scopes:default' if read_only else 'sp:scopes:all'
        claims = {
            'tenant_id': self.tenant_id, 'internal': False, 'pod': 'emulator', 'org': 'emulator', 'client_id': client_id,
            'scope': [scope], 'authorities': ['HELPDESK' if read_only else 'ORG_ADMIN'], 'strong_auth_supported': False,
            'iat': now, 'exp': now + self.token_lifetime, 'jti': jti,
        }
        token = '.'.join((_b64url(json.dumps({'alg': 'RS256', 'typ': 'JWT', 'kid': 'emulator'}).encode('utf-8')),
                          _b64url(json.dumps(claims).encode('utf-8')), _b64url(os.urandom(64))))
        with self._lock:
            if len(self._tokens) >= MAX_TOKENS:
                for key in [k for k, v in self._tokens.items() if v['exp'] < time.time()]:
                    del self._tokens[key]
            self._tokens[token] = {'client_id': client_id, 'read_only': read_only, 'exp': time.time() + self.token_lifetime}
        return Response.json(200, {
            'access_token': token, 'token_type': 'bearer', 'expires_in': self.token_lifetime, 'scope': scope, 'accessType': 'OFFLINE',
            'tenant_id': self.tenant_id, 'internal': False, 'pod': 'emulator', 'strong_auth_supported': False, 'org': 'emulator',
            'claims_supported': False, 'strong_auth': False, 'enabled': True, 'jti': jti,
        }, [('Cache-Control', 'no-store'), ('Pragma', 'no-cache')])

    def _authenticate(self, headers):
        """Return (token record, None) or (None, 401 response)."""
        authorization = headers.get('Authorization', '').strip()
        if not authorization:
            return None, Response.json(401, {'error': MISSING_TOKEN_ERROR})
        scheme, _sep, token = authorization.partition(' ')
        with self._lock:
            record = self._tokens.get(token.strip()) if scheme.lower() == 'bearer' else None
            record = dict(record) if record else None
        if record is None:
            return None, Response.json(401, {'error': 'JWT validation failed: JWT is invalid'})
        if record['exp'] <= time.time():
            return None, Response.json(401, {'error': 'JWT validation failed: JWT is expired'})
        return record, None

    def _rate_limited(self, client_id, version):
        """Sliding window per client id and API version; return seconds to wait, or None."""
        if self.rate_limit <= 0:
            return None
        now = time.monotonic()
        with self._lock:
            window = self._buckets.setdefault((client_id, version), deque())
            while window and window[0] <= now - self.rate_window:
                window.popleft()
            if len(window) >= self.rate_limit:
                return max(1, int(math.ceil(window[0] + self.rate_window - now)))
            window.append(now)
        return None

    def _route(self, method, path):
        for api in self.versions:
            found = api.match(method, path)
            if found is not None:
                return (api,) + found
        return None

    def _api(self, method, path, headers, body):
        route = self._route(method, path)
        if route is None:
            return error_response(404)
        api, operation, operations, ident = route
        if operation is None:
            response = error_response(405, 'Request method %s is not supported on %s.' % (method, path))
            response.headers.append(('Allow', ', '.join(sorted(operations))))
            return response
        token, failure = self._authenticate(headers)
        if failure is not None:
            return failure
        wait = self._rate_limited(token['client_id'], api.version)
        if wait is not None:
            return Response.json(429, {'message': RATE_LIMIT_MESSAGE}, [('Retry-After', str(wait))])
        if operation['experimental'] and headers.get(EXPERIMENTAL_HEADER, '').strip().lower() != 'true':
            return Response.json(400, {'error': EXPERIMENTAL_ERROR})
        if method != 'GET' and token['read_only']:
            return error_response(403)
        payload = None
        if operation['media_types']:
            media = _media_type(headers.get('Content-Type'))
            if media not in operation['media_types']:
                return error_response(415, "Content-Type '%s' is not supported here; use '%s'." % (
                    media or '(none)', "' or '".join(operation['media_types'])), detail_code='415 Unsupported Media Type')
            try:
                payload = json.loads(body.decode('utf-8'), parse_constant=self._reject_constant)
            except ValueError as exc:
                return bad_request('The request body is not valid JSON: %s' % exc)
        handler = getattr(self, '_op_' + OPERATIONS[operation['name']])
        with self._lock:
            response = handler(api, ident, payload)
        if self.status_codes == 'rest' and response.status == 200:
            response = self._rest_status(operation['name'], path, headers, response)
        return response

    def _rest_status(self, name, path, headers, response):
        """--status-codes rest: 201 with Location for a create, 204 with no body for a delete."""
        if name == 'createSIMIntegration':
            ident = json.loads(response.body.decode('utf-8'))['id']
            scheme = 'https' if self.tls_cert else 'http'
            host = headers.get('Host') or self.url.split('://', 1)[1]
            location = '%s://%s%s/%s' % (scheme, host, path.rstrip('/'), ident)
            return Response(201, response.body, response.content_type, response.headers + [('Location', location)])
        if name == 'deleteSIMIntegration':
            return Response(204, b'', None, response.headers)
        return response

    @staticmethod
    def _reject_constant(name):
        raise ValueError('%s is not a JSON value' % name)

    # ----------------------------------------------------------------- the seven operations

    def _lookup(self, ident):
        return self._integrations.get(ident)

    def _writable(self, api, payload):
        """Keep the writable SimIntegrationDetails fields; readOnly and unknown fields are ignored."""
        document = {k: payload[k] for k in api.writable_fields if k in payload and payload[k] is not None}
        document.setdefault('description', '')
        document.setdefault('type', DEFAULT_INTEGRATION_TYPE)
        document.setdefault('attributes', {})
        return document

    def _check_details(self, api, payload, exclude_id=None):
        """Schema plus business rules for a SimIntegrationDetails document; a 400 response or None."""
        errors = api.validator.validate(payload, api.details_schema)
        if errors:
            return bad_request(errors)
        name = payload.get('name')
        if not isinstance(name, str) or not name.strip():
            return bad_request("Field 'name' must be a non-empty string.")
        folded = name.casefold()
        for other in self._integrations.values():
            if other['id'] != exclude_id and str(other.get('name', '')).casefold() == folded:
                return error_response(self.duplicate_status, texts=["An integration with the name '%s' already exists." % name])
        return None

    def _op_list_integrations(self, api, ident, payload):  # pylint: disable=unused-argument
        return Response.json(200, [self._view(doc) for doc in self._integrations.values()])

    def _op_get_integration(self, api, ident, payload):  # pylint: disable=unused-argument
        document = self._lookup(ident)
        return error_response(404) if document is None else Response.json(200, self._view(document))

    def _op_create_integration(self, api, ident, payload):  # pylint: disable=unused-argument
        failure = self._check_details(api, payload)
        if failure is not None:
            return failure
        now = _now_iso()
        document = dict(id=_new_id(), created=now, modified=now)
        document.update(self._writable(api, payload))
        self._integrations[document['id']] = document
        self._save_state()
        return Response.json(200, self._view(document))

    def _op_put_integration(self, api, ident, payload):  # pylint: disable=unused-argument
        failure = self._check_details(api, payload, exclude_id=ident)
        if failure is not None:
            return failure
        current = self._lookup(ident)
        if current is None:
            return error_response(404)
        document = dict(id=current['id'], created=current['created'], modified=_now_iso(current.get('modified')))
        document.update(self._writable(api, payload))
        self._integrations[ident] = document
        self._save_state()
        return Response.json(200, self._view(document))

    def _op_delete_integration(self, api, ident, payload):  # pylint: disable=unused-argument
        if self._lookup(ident) is None:
            return error_response(404)
        del self._integrations[ident]
        self._save_state()
        return Response(200)

    def _op_patch_integration(self, api, ident, payload):  # pylint: disable=unused-argument
        return self._patch(api, ident, payload, rule_only=False)

    def _op_patch_rule(self, api, ident, payload):  # pylint: disable=unused-argument
        return self._patch(api, ident, payload, rule_only=True)

    def _patch(self, api, ident, payload, rule_only):
        # The spec's JsonPatch is an {"operations": [...]} wrapper; SailPoint's PATCH guide and
        # the beta example use the RFC 6902 array. Both are accepted unless --patch-body narrows it.
        if isinstance(payload, list) and self.patch_body == 'operations':
            return bad_request('The request body must be an object {"operations": [...]}; a bare JSON Patch array is not accepted.')
        if isinstance(payload, dict) and 'operations' in payload and self.patch_body == 'array':
            return bad_request('The request body must be a JSON Patch array; the {"operations": [...]} wrapper is not accepted.')
        if isinstance(payload, list):
            operations = payload
            errors = []
            for index, item in enumerate(operations):
                errors.extend(api.validator.validate(item, api.patch_operation_schema, '[%d]' % index))
        elif isinstance(payload, dict) and 'operations' in payload:
            operations = payload['operations']
            errors = api.validator.validate(payload, api.patch_schema)
        else:
            return bad_request('The request body must be a JSON Patch array or an object {"operations": [...]}.')
        if errors:
            return bad_request(errors)
        if self.patch_ops == 'replace':
            refused = ["Operation %d: only 'replace' operations are accepted, not '%s'." % (index, operation['op'])
                       for index, operation in enumerate(operations) if operation['op'] != 'replace']
            if refused:
                return error_response(403, texts=refused)
        problems = []
        for index, operation in enumerate(operations):
            problems.extend(self._patch_path_problems(api, index, operation, rule_only))
            if self.patch_paths == 'top':
                problems.extend(self._deep_path_problems(index, operation))
        if problems:
            return bad_request(problems)
        current = self._lookup(ident)
        if current is None:
            return error_response(404)
        try:
            patched = self._apply_patch(current, operations)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, KeyError, IndexError, TypeError, ValueError) as exc:
            return bad_request('The JSON Patch could not be applied: %s' % exc)
        if not isinstance(patched, dict):
            return bad_request('The JSON Patch must leave an object.')
        unknown = sorted(set(patched) - set(api.writable_fields) - set(api.read_only_fields))
        if unknown:
            return bad_request(["Field '%s' is not a field of SimIntegrationDetails." % key for key in unknown])
        details = {k: patched[k] for k in api.writable_fields if k in patched}
        failure = self._check_details(api, details, exclude_id=ident)
        if failure is not None:
            return failure
        document = dict(id=current['id'], created=current['created'], modified=_now_iso(current.get('modified')))
        document.update(self._writable(api, details))
        self._integrations[ident] = document
        self._save_state()
        return Response.json(200, self._view(document))

    def _apply_patch(self, current, operations):
        if self.patch_ops != 'replace':
            return jsonpatch.apply_patch(current, operations, in_place=False)
        # The Service Desk API, which accepts only replace, treats a replace of an absent member
        # as "set"; otherwise a field that is not set yet could never be set.
        document = copy.deepcopy(current)
        for operation in operations:
            tokens = _pointer_tokens(operation['path'])
            if not _pointer_exists(document, tokens) and _parent_is_object(document, tokens):
                operation = dict(operation, op='add')
            document = jsonpatch.apply_patch(document, [operation], in_place=True)
        return document

    @staticmethod
    def _deep_path_problems(index, operation):
        problems = []
        for key in ('path', 'from'):
            pointer = operation.get(key)
            if isinstance(pointer, str) and pointer.startswith('/') and len(_pointer_tokens(pointer)) > 1:
                problems.append("Operation %d: '%s' %s is deeper than one segment; only top-level fields can be patched." % (
                    index, key, json.dumps(pointer)))
        return problems

    @staticmethod
    def _patch_path_problems(api, index, operation, rule_only):
        problems = []
        pointers = [('path', operation['path'])]
        if operation['op'] in ('move', 'copy'):
            if not isinstance(operation.get('from'), str):
                return ["Operation %d (%s) needs a string 'from'." % (index, operation['op'])]
            pointers.append(('from', operation['from']))
        for key, pointer in pointers:
            if pointer and not pointer.startswith('/'):
                problems.append("Operation %d: '%s' %s is not a JSON Pointer." % (index, key, json.dumps(pointer)))
                continue
            tokens = _pointer_tokens(pointer)
            if rule_only:
                if not tokens or tokens[0] != RULE_FIELD:
                    problems.append("Operation %d: '%s' %s is outside /%s; this endpoint only patches the before-provisioning rule." % (
                        index, key, json.dumps(pointer), RULE_FIELD))
                continue
            writes = operation['op'] in WRITE_OPS and (key == 'path' or operation['op'] == 'move')
            if not writes:
                continue
            if not tokens:
                problems.append('Operation %d: replacing the whole document is not supported; patch individual fields.' % index)
            elif tokens[0] in api.read_only_fields:
                problems.append("Operation %d: field '%s' is read-only." % (index, tokens[0]))
            elif tokens[0] not in api.writable_fields:
                problems.append("Operation %d: '%s' is not a field of SimIntegrationDetails." % (index, tokens[0]))
        return problems

    # ----------------------------------------------------------------- response shaping

    def _view(self, document):
        """Render a stored document as the ServiceDeskIntegrationDto the SIM operations return."""
        attributes = document.get('attributes') or {}
        if self.secrets == 'omit':
            attributes = _strip_secrets(attributes)
        elif self.secrets == 'mask':
            attributes = _mask_secrets(attributes)
        sources = document.get('sources')
        cluster = document.get('cluster')
        rule = document.get(RULE_FIELD)
        out = {
            'id': document['id'],
            'name': document.get('name'),
            'created': document.get('created'),
            'modified': document.get('modified'),
            'description': document.get('description') or '',
            'type': document.get('type') or DEFAULT_INTEGRATION_TYPE,
        }
        if cluster is not None:
            # The emulator knows no cluster names, and SourceClusterDto.name is a non-nullable string.
            out['clusterRef'] = {'type': 'CLUSTER', 'id': cluster}
            out['cluster'] = cluster
        if self.strict_dto:
            out['managedSources'] = list(sources or [])
            out['provisioningConfig'] = {
                'universalManager': False,
                'managedResourceRefs': [{'type': 'SOURCE', 'id': source} for source in sources or []],
                'noProvisioningRequests': False,
            }
            # Strict mode reproduces the quirk of the spec's attributes example: a JSON string.
            out['attributes'] = json.dumps(attributes, separators=(',', ':'))
            if isinstance(rule, dict):
                out[RULE_FIELD] = dict({k: rule[k] for k in ('id', 'name') if k in rule}, type='RULE')
            return out
        if sources is not None:
            out['managedSources'] = list(sources)
        out['attributes'] = attributes
        if rule is not None:
            out[RULE_FIELD] = rule
        for key in ('sources', 'statusMap', 'request'):
            if document.get(key) is not None:
                out[key] = document[key]
        return out


# --------------------------------------------------------------------- command line

def build_parser():
    parser = argparse.ArgumentParser(description='Local emulator of the SailPoint ISC SIM-integrations API.')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default: 127.0.0.1)')
    parser.add_argument('--port', type=int, default=0, help='port; 0 picks a free one (default: 0)')
    parser.add_argument('--port-file', help='write the bound port number to this file once ready')
    parser.add_argument('--client-id', default=DEFAULT_CLIENT_ID, help='OAuth client id (default: %(default)s)')
    parser.add_argument('--client-secret', default=DEFAULT_CLIENT_SECRET, help='OAuth client secret (default: %(default)s)')
    parser.add_argument('--read-only-client', action='append', default=[], metavar='ID:SECRET',
                        help='extra client whose tokens may only read (repeatable)')
    parser.add_argument('--token-lifetime', type=int, default=749, help='access token lifetime in seconds (default: 749)')
    parser.add_argument('--lifetime', type=float, default=3600, help='stop after this many seconds; 0 = no limit (default: 3600)')
    parser.add_argument('--state-file', help='load state from this file at start; save it after each write')
    parser.add_argument('--tls-cert', help='PEM certificate; serve HTTPS (needs --tls-key)')
    parser.add_argument('--tls-key', help='PEM private key for --tls-cert')
    parser.add_argument('--strict-dto', action='store_true', help='serve strictly the ServiceDeskIntegrationDto shape')
    parser.add_argument('--secrets', choices=VARIANTS['secrets'],
                        help='password-like attributes on read: omit them, mask them as %s, or return them (default: omit)' % MASK)
    parser.add_argument('--return-secrets', action='store_const', const='return', dest='secrets', help='alias of --secrets return')
    parser.add_argument('--patch-body', choices=VARIANTS['patch_body'], default='both',
                        help='PATCH body forms accepted: the RFC 6902 array, the {"operations": [...]} wrapper, or both (default: both)')
    parser.add_argument('--patch-ops', choices=VARIANTS['patch_ops'], default='any',
                        help="PATCH ops accepted; with 'replace' any other op gets 403 (default: any)")
    parser.add_argument('--patch-paths', choices=VARIANTS['patch_paths'], default='any',
                        help="PATCH paths accepted; with 'top' a path deeper than one segment gets 400 (default: any)")
    parser.add_argument('--status-codes', choices=VARIANTS['status_codes'], default='spec',
                        help="success codes: 'spec' answers 200 everywhere, 'rest' answers POST 201 with Location and DELETE 204")
    parser.add_argument('--duplicate-status', type=int, choices=VARIANTS['duplicate_status'], default=400,
                        help='status of a write whose name is already taken (default: 400)')
    parser.add_argument('--rate-limit', type=int, default=100, help='requests per window per client and API version; 0 disables (default: 100)')
    parser.add_argument('--rate-window', type=float, default=10, help='rate-limit window in seconds (default: 10)')
    parser.add_argument('--faults', help='JSON file with fault rules {"rules": [...]} to load at start')
    parser.add_argument('--verbose', action='store_true', help='log each request to stderr')
    parser.set_defaults(secrets='omit')
    return parser


def options_from_args(argv):
    """Parse command-line flags into ``Emulator`` keyword arguments (argparse exits 2 on errors)."""
    parser = build_parser()
    args = parser.parse_args(list(argv))
    for entry in args.read_only_client:
        if ':' not in entry:
            parser.error('--read-only-client needs ID:SECRET, got %r' % entry)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error('--tls-cert and --tls-key go together')
    return dict(
        host=args.host, port=args.port, port_file=args.port_file, client_id=args.client_id, client_secret=args.client_secret,
        read_only_clients=args.read_only_client, token_lifetime=args.token_lifetime, lifetime=args.lifetime,
        state_file=args.state_file, tls_cert=args.tls_cert, tls_key=args.tls_key, strict_dto=args.strict_dto,
        secrets=args.secrets, patch_body=args.patch_body, patch_ops=args.patch_ops, patch_paths=args.patch_paths,
        status_codes=args.status_codes, duplicate_status=args.duplicate_status, rate_limit=args.rate_limit,
        rate_window=args.rate_window, faults=args.faults, verbose=args.verbose)


def main(argv=None):
    options = options_from_args(sys.argv[1:] if argv is None else argv)
    try:
        emulator = Emulator(allow_non_loopback=True, **options)
    except (OSError, ValueError) as exc:
        sys.stderr.write('sim_emulator: %s\n' % exc)
        return 2

    stop_requested = threading.Event()

    def on_signal(signum, frame):  # pylint: disable=unused-argument
        stop_requested.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def announce(url):
        sys.stdout.write('listening on %s\n' % url)
        sys.stdout.flush()

    try:
        emulator.start(announce=announce)
    except (OSError, ssl.SSLError) as exc:
        sys.stderr.write('sim_emulator: %s\n' % exc)
        return 2
    while not stop_requested.is_set() and not emulator.wait(0.2):
        pass
    emulator.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
