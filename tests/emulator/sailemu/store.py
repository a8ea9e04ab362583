# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stored integrations (SIM and Service Desk, kept apart), the state file and the request log."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import os
import sys
import tempfile

from .common import _new_id, _now_iso
from .service_desk import fold_aliases
from .service_desk_catalog import DEFAULT_STATUS_CHECK

STATUS_CHECK_KEY = 'service_desk_status_check'


class StoreMixin:
    """State, persistence and request log of the Emulator."""

    def reset(self):
        with self._lock:
            self._integrations.clear()
            self._service_desk.clear()
            self._status_check = dict(DEFAULT_STATUS_CHECK)
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
            return copy.deepcopy(self._state_payload())

    def _state_payload(self):
        return {'integrations': list(self._integrations.values()), 'service_desk_integrations': list(self._service_desk.values()),
                STATUS_CHECK_KEY: self._status_check}

    def seed(self, integrations):
        """Store SIM documents as they are, bypassing the API's validation; fills id/created/modified."""
        if isinstance(integrations, dict):
            integrations = integrations.get('integrations')
        return self._seed_into(self._integrations, integrations, 'integrations')

    def seed_service_desk(self, documents):
        """Store Service Desk documents as they are, like seed(); only the deprecated ``cluster`` and
        ``managedSources`` are folded into ``clusterRef`` and ``provisioningConfig``, as the API stores them."""
        if isinstance(documents, dict):
            documents = documents.get('service_desk_integrations')
        if isinstance(documents, list):
            documents = [fold_aliases(copy.deepcopy(item)) if isinstance(item, dict) else item for item in documents]
        return self._seed_into(self._service_desk, documents, 'service_desk_integrations')

    def set_status_check(self, config):
        """Replace the status-check configuration as it is (no validation); returns it."""
        if not isinstance(config, dict):
            raise ValueError("%s must be an object" % STATUS_CHECK_KEY)
        with self._lock:
            self._status_check = copy.deepcopy(config)
            self._save_state()
            return copy.deepcopy(self._status_check)

    def _seed_into(self, store, items, key):
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ValueError("seed needs {'%s': [{...}, ...]}" % key)
        stored = []
        with self._lock:
            for item in items:
                document = copy.deepcopy(item)
                if not isinstance(document.get('id'), str):
                    document['id'] = _new_id()
                document.setdefault('created', _now_iso())
                document.setdefault('modified', document['created'])
                store[document['id']] = document
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
        desks = data.get('service_desk_integrations', []) if isinstance(data, dict) else None
        for entries in (items, desks):
            if not isinstance(entries, list) or not all(isinstance(i, dict) and isinstance(i.get('id'), str) for i in entries):
                raise ValueError("%s: expected {'integrations': [{'id': ...}, ...], 'service_desk_integrations': [...]}" % path)
        status = data.get(STATUS_CHECK_KEY, DEFAULT_STATUS_CHECK)
        if not isinstance(status, dict):
            raise ValueError('%s: %s must be an object' % (path, STATUS_CHECK_KEY))
        self._integrations = Records((item['id'], item) for item in items)
        self._service_desk = Records((item['id'], item) for item in desks)
        self._status_check = dict(status)

    def _save_state(self):
        if self.state_file:
            payload = self._state_payload()
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


def _fold(name):
    return str(name).casefold()


class Records(dict):
    """id -> stored document, with the ids of each name folded for case.

    Why: a name must be unique among all records, and scanning them all at every write made a loop of N writes
    cost the emulator O(N^2): at N = 500 a quarter of its time per write, which the benchmark then counted in
    the collection's time. Every write stores a new document (none is edited in place), so following the
    dict's own changes keeps the index right; the changes that would bypass it are refused.
    """

    def __init__(self, items=()):
        dict.__init__(self)
        self._names = {}
        for key, value in items:
            self[key] = value

    def named(self, name):
        """The ids of the records called `name`, ignoring case."""
        return self._names.get(_fold(name), ())

    def __setitem__(self, key, value):
        self._forget(key)
        dict.__setitem__(self, key, value)
        self._names.setdefault(_fold(value.get('name', '')), set()).add(key)

    def __delitem__(self, key):
        self._forget(key)
        dict.__delitem__(self, key)

    def pop(self, key, *default):
        self._forget(key)
        return dict.pop(self, key, *default)

    def clear(self):
        dict.clear(self)
        self._names.clear()

    def _forget(self, key):
        if key in self:
            folded = _fold(dict.__getitem__(self, key).get('name', ''))
            self._names[folded].discard(key)
            if not self._names[folded]:
                del self._names[folded]

    def _unsupported(self, *args, **kwargs):
        raise TypeError('Records changes one key at a time (its name index follows __setitem__, __delitem__, pop and clear)')

    update = setdefault = popitem = __ior__ = _unsupported
