# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OAuth client-credentials tokens, bearer authentication and the per-client, per-version rate limit."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import email.parser
import email.policy
import hmac
import json
import math
import os
import time
import uuid
from collections import deque
from urllib.parse import parse_qs

from .common import MAX_TOKENS, MISSING_TOKEN_ERROR, Response, _b64url, _media_type


class TokensMixin:
    """Token endpoint, authentication and rate limit of the Emulator."""

    def issued_tokens(self):
        """Every token issued and not yet swept, oldest first: what a test needs to prove a token was never shown."""
        now = time.time()
        with self._lock:
            return [{'token': token, 'client_id': record['client_id'], 'read_only': record['read_only'],
                     'expired': record['exp'] < now} for token, record in self._tokens.items()]

    def expire_tokens(self):
        with self._lock:
            for record in self._tokens.values():
                record['exp'] = 0
            return len(self._tokens)

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
