# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Emulator: its options, its lifecycle (thread, lifetime timer, shutdown) and the API entry point."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import socket
import sys
import threading
import traceback
import uuid
from collections import deque

from .admin import AdminMixin
from .common import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MAX_LOG_ENTRIES, VARIANTS, _is_loopback, error_response
from .faults import FaultsMixin
from .patch import PatchMixin
from .resources import ResourcesMixin
from .service_desk import ServiceDeskMixin
from .service_desk_catalog import DEFAULT_STATUS_CHECK
from .spec import load_api_versions, load_service_desk_versions
from .store import Records, StoreMixin
from .tokens import TokensMixin
from .transport import make_server
from .views import ViewMixin


class Emulator(AdminMixin, FaultsMixin, PatchMixin, ResourcesMixin, ServiceDeskMixin, StoreMixin, TokensMixin, ViewMixin):
    """The SIM and Service Desk integrations emulator: state, auth, rate limits, faults, and the HTTP server."""

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
        self.service_desk_versions = load_service_desk_versions()

        self._lock = threading.RLock()
        self._integrations = Records()
        self._service_desk = Records()
        self._status_check = dict(DEFAULT_STATUS_CHECK)
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
        self._server = make_server(self, self.host, self.port, self.tls_cert, self.tls_key)
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

    def handle_api(self, method, path, query, headers, body):
        try:
            if path == '/oauth/token':
                return self._token(method, query, headers, body)
            return self._api(method, path, headers, body, query)
        except Exception:  # pylint: disable=broad-except
            # Mirror the platform: an unexpected fault is a 500 ErrorResponseDto, not a dropped socket.
            sys.stderr.write(traceback.format_exc())
            return error_response(500)
