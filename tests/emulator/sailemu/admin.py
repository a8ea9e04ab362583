# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The admin API under /__emulator/: loopback only, never logged, rate-limited or faulted."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from .common import Response, _is_loopback, bad_request, error_response


class AdminMixin:
    """Admin routes of the Emulator."""

    def options(self):
        """The behaviour switches this emulator runs with (GET /__emulator/ready)."""
        return {'strict_dto': self.strict_dto, 'secrets': self.secrets, 'patch_body': self.patch_body, 'patch_ops': self.patch_ops,
                'patch_paths': self.patch_paths, 'status_codes': self.status_codes, 'duplicate_status': self.duplicate_status,
                'rate_limit': self.rate_limit, 'token_lifetime': self.token_lifetime}

    def _seed_route(self, payload):
        """{'integrations': [...]} (SIM), {'service_desk_integrations': [...]}, {'service_desk_status_check': {...}}, or several."""
        keys = ('integrations', 'service_desk_integrations', 'service_desk_status_check')
        if not isinstance(payload, dict) or not any(key in payload for key in keys):
            raise ValueError('seed needs an object with %s' % ', '.join("'%s'" % key for key in keys))
        # Validate everything before storing anything, so a bad part leaves the state as it was.
        for key in keys[:2]:
            if key in payload and (not isinstance(payload[key], list) or not all(isinstance(i, dict) for i in payload[key])):
                raise ValueError("seed needs {'%s': [{...}, ...]}" % key)
        if keys[2] in payload and not isinstance(payload[keys[2]], dict):
            raise ValueError('%s must be an object' % keys[2])
        out = {'integrations': self.seed(payload['integrations']) if 'integrations' in payload else []}
        if 'service_desk_integrations' in payload:
            out['service_desk_integrations'] = self.seed_service_desk(payload['service_desk_integrations'])
        if keys[2] in payload:
            out[keys[2]] = self.set_status_check(payload[keys[2]])
        return out

    def admin(self, method, path, body, client_host):
        if not _is_loopback(client_host):
            return error_response(403, 'The emulator admin API answers loopback clients only.')
        routes = {
            '/__emulator/requests': ('GET', 'DELETE'),
            '/__emulator/state': ('GET',),
            '/__emulator/reset': ('POST',),
            '/__emulator/faults': ('GET', 'POST', 'DELETE'),
            '/__emulator/tokens': ('GET',),
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
        if path == '/__emulator/tokens':
            return Response.json(200, {'tokens': self.issued_tokens()})
        if path == '/__emulator/tokens/expire':
            return Response.json(200, {'expired': self.expire_tokens()})
        if path == '/__emulator/ready':
            return Response.json(200, {'ready': True, 'options': self.options()})
        if path == '/__emulator/seed':
            try:
                return Response.json(200, self._seed_route(json.loads(body.decode('utf-8') or 'null')))
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
