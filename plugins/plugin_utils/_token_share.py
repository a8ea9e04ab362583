# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One access token for every task of one ansible-playbook run, held in memory only.

Internal to this collection: no stable API, it may change in any release.

Why: Ansible forks a new worker process for each task and host, so the client that _action.py keeps for
the items of a loop dies with the task, and every task asked for its own token. Before it forks a task's
workers, the strategy (linear, free and the strategies built on them, ansible-core 2.17 to 2.22) imports
the task's action plugin class in the ansible-playbook process to read BYPASS_HOST_LOOP, and that imports
this module. STORE is made then, in that process: an anonymous shared memory map and a lock, which every
worker forked afterwards inherits (ansible-core forks its workers on every supported Python). Workers keep
the token there with its expiry, under a salted hash of base_url, client_id and client_secret (the token
request asks for no scope, so the credentials decide the token).

Nothing reaches a file: the map has no name, lives in the memory of ansible-playbook and its workers, and
goes with them; another ansible-playbook run has its own. Where this module is first imported in a worker
(an action name that cannot be templated before its loop), the map is that worker's alone and every task
fetches its own token, as before; where the platform has no shared anonymous map or process-shared lock,
STORE is None and the same holds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import mmap
import multiprocessing
import os
import struct

SIZE = 64 * 1024  # a SailPoint token is 1-2 KB: room for dozens of client ids
LOCK_TIMEOUT = 2.0  # held for a copy of a few KB; a worker killed while holding it must not hang the next ones: they go without
_HEADER = struct.Struct(">I")  # the length of the JSON document that follows


class TokenStore:
    """{key: [token, expiry or None]} as JSON in a shared map, read and written under one lock."""

    def __init__(self, memory, lock, salt):
        self._memory = memory
        self._lock = lock
        self._salt = salt

    def key(self, base_url, client_id, client_secret):
        material = "\0".join((base_url, client_id, client_secret)).encode("utf-8")
        return hashlib.sha256(self._salt + material).hexdigest()

    def get(self, key):
        """(token, expiry) kept under key, or None."""
        if not self._lock.acquire(timeout=LOCK_TIMEOUT):
            return None
        try:
            entry = self._read().get(key)
        finally:
            self._lock.release()
        return tuple(entry) if entry else None

    def put(self, key, token, expiry):
        if not self._lock.acquire(timeout=LOCK_TIMEOUT):
            return
        try:
            entries = self._read()
            entries.pop(key, None)
            entries[key] = [token, expiry]  # last in the document: the newest, dropped last when space runs out
            while entries:
                data = json.dumps(entries, separators=(",", ":")).encode("utf-8")
                if _HEADER.size + len(data) <= SIZE:
                    self._memory.seek(0)
                    self._memory.write(_HEADER.pack(len(data)) + data)
                    return
                entries.pop(next(iter(entries)))
        finally:
            self._lock.release()

    def clear(self):
        """Forget every token (for tests that play a new run in the same process)."""
        with self._lock:
            self._memory.seek(0)
            self._memory.write(_HEADER.pack(0))

    def _read(self):
        self._memory.seek(0)
        length = _HEADER.unpack(self._memory.read(_HEADER.size))[0]
        if not length:
            return {}
        try:
            entries = json.loads(self._memory.read(length).decode("utf-8"))
        except ValueError:  # never written whole (a writer killed mid-write): start again
            return {}
        return entries if isinstance(entries, dict) else {}


def _make():
    try:
        lock = multiprocessing.get_context("fork").Lock()
        memory = mmap.mmap(-1, SIZE)  # anonymous and MAP_SHARED: the same pages in every forked worker
    except (AttributeError, ImportError, OSError, ValueError):  # no fork, no sem_open (some containers), no mmap
        return None
    return TokenStore(memory, lock, os.urandom(16))


STORE = _make()
