# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP/1.1 transport: the threaded server (IPv4/IPv6, TLS in the handler thread) and the request handler."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .common import MAX_BODY_BYTES, _new_id, bad_request, error_response


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


def make_server(emulator, host, port, tls_cert=None, tls_key=None):
    """Bind the server for ``emulator``; TLS when a certificate and key are given."""
    context = None
    if tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls_cert, tls_key)
    server_class = _Server6 if ':' in host else _Server
    return server_class((host, port), _Handler, emulator, context)
