# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stored integrations, the state file and the request log."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import os
import sys
import tempfile

from .common import _new_id, _now_iso


class StoreMixin:
    """State, persistence and request log of the Emulator."""

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
