# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Constants, timestamps and ids, and the Response/ErrorResponseDto helpers every part uses."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import datetime
import json
import re
import uuid
from http.server import BaseHTTPRequestHandler


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


def _is_loopback(host):
    host = (host or '').strip('[]')
    if host == 'localhost':
        return True
    if host.startswith('::ffff:'):
        host = host[7:]
    return host == '::1' or host.startswith('127.')


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


def check_named(validator, schema, payload, stored, exclude_id, duplicate_status, what):
    """Schema, a non-blank name, and a name unique (ignoring case) among `stored` (store.Records); a 400/409 response or None."""
    errors = validator.validate(payload, schema)
    if errors:
        return bad_request(errors)
    name = payload.get('name')
    if not isinstance(name, str) or not name.strip():
        return bad_request("Field 'name' must be a non-empty string.")
    if any(ident != exclude_id for ident in stored.named(name)):
        return error_response(duplicate_status, texts=["%s with the name '%s' already exists." % (what, name)])
    return None
