# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault rules: validation, matching, and the responses they send instead of the real one."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

from .common import JSON_CONTENT_TYPE, RATE_LIMIT_MESSAGE, TEXT_CONTENT_TYPE, Response, error_response


class FaultsMixin:
    """Fault rules of the Emulator (admin API, --faults FILE)."""

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
            response = FaultsMixin._default_error_body(status)
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
