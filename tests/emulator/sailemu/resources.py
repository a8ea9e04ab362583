# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routing and the checks in their documented order (SIM and Service Desk), and the seven SIM operations."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from .common import (DEFAULT_INTEGRATION_TYPE, check_named, EXPERIMENTAL_ERROR, EXPERIMENTAL_HEADER, RATE_LIMIT_MESSAGE, Response,
                     _media_type, _new_id, _now_iso, bad_request, error_response)
from .service_desk import SERVICE_DESK_OPERATIONS


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
OPERATIONS.update(SERVICE_DESK_OPERATIONS)


class ResourcesMixin:
    """The SIM resource API of the Emulator."""

    def _route(self, method, path):
        for api in self.versions + self.service_desk_versions:
            found = api.match(method, path)
            if found is not None:
                return (api,) + found
        return None

    def _api(self, method, path, headers, body, query=''):
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
            response = handler(api, ident, payload, query)
        if self.status_codes == 'rest' and response.status == 200:
            response = self._rest_status(operation['name'], path, headers, response)
        return response

    def _rest_status(self, name, path, headers, response):
        """--status-codes rest: 201 with Location for a create, 204 with no body for a delete."""
        if name in ('createSIMIntegration', 'createServiceDeskIntegration'):
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
        return check_named(api.validator, api.details_schema, payload, self._integrations, exclude_id, self.duplicate_status,
                           'An integration')

    def _op_list_integrations(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        return Response.json(200, [self._view(doc) for doc in self._integrations.values()])

    def _op_get_integration(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        document = self._lookup(ident)
        return error_response(404) if document is None else Response.json(200, self._view(document))

    def _op_create_integration(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        failure = self._check_details(api, payload)
        if failure is not None:
            return failure
        now = _now_iso()
        document = dict(id=_new_id(), created=now, modified=now)
        document.update(self._writable(api, payload))
        self._integrations[document['id']] = document
        self._save_state()
        return Response.json(200, self._view(document))

    def _op_put_integration(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
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

    def _op_delete_integration(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        if self._lookup(ident) is None:
            return error_response(404)
        del self._integrations[ident]
        self._save_state()
        return Response(200)

    def _op_patch_integration(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        return self._patch(api, ident, payload, rule_only=False)

    def _op_patch_rule(self, api, ident, payload, query=None):  # pylint: disable=unused-argument
        return self._patch(api, ident, payload, rule_only=True)
