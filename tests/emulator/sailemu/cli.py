# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The command line: every flag of sim_emulator.py, parsed into Emulator keyword arguments."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import signal
import ssl
import sys
import threading

from .common import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MASK, VARIANTS
from .emulator import Emulator


def build_parser():
    parser = argparse.ArgumentParser(description='Local emulator of the SailPoint ISC SIM-integrations and Service Desk Integrations APIs.')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default: 127.0.0.1)')
    parser.add_argument('--port', type=int, default=0, help='port; 0 picks a free one (default: 0)')
    parser.add_argument('--port-file', help='write the bound port number to this file once ready')
    parser.add_argument('--client-id', default=DEFAULT_CLIENT_ID, help='OAuth client id (default: %(default)s)')
    parser.add_argument('--client-secret', default=DEFAULT_CLIENT_SECRET, help='OAuth client secret (default: %(default)s)')
    parser.add_argument('--read-only-client', action='append', default=[], metavar='ID:SECRET',
                        help='extra client whose tokens may only read (repeatable)')
    parser.add_argument('--token-lifetime', type=int, default=749, help='access token lifetime in seconds (default: 749)')
    parser.add_argument('--lifetime', type=float, default=3600, help='stop after this many seconds; 0 = no limit (default: 3600)')
    parser.add_argument('--state-file', help='load state from this file at start; save it after each write')
    parser.add_argument('--tls-cert', help='PEM certificate; serve HTTPS (needs --tls-key)')
    parser.add_argument('--tls-key', help='PEM private key for --tls-cert')
    parser.add_argument('--strict-dto', action='store_true', help='serve strictly the ServiceDeskIntegrationDto shape')
    parser.add_argument('--secrets', choices=VARIANTS['secrets'],
                        help='password-like attributes on read: omit them, mask them as %s, or return them (default: omit)' % MASK)
    parser.add_argument('--return-secrets', action='store_const', const='return', dest='secrets', help='alias of --secrets return')
    parser.add_argument('--patch-body', choices=VARIANTS['patch_body'], default='both',
                        help='PATCH body forms accepted: the RFC 6902 array, the {"operations": [...]} wrapper, or both (default: both)')
    parser.add_argument('--patch-ops', choices=VARIANTS['patch_ops'], default='any',
                        help="PATCH ops accepted; with 'replace' any other op gets 403 (default: any)")
    parser.add_argument('--patch-paths', choices=VARIANTS['patch_paths'], default='any',
                        help="PATCH paths accepted; with 'top' a path deeper than one segment gets 400 (default: any)")
    parser.add_argument('--status-codes', choices=VARIANTS['status_codes'], default='spec',
                        help="success codes: 'spec' answers 200 everywhere, 'rest' answers POST 201 with Location and DELETE 204")
    parser.add_argument('--duplicate-status', type=int, choices=VARIANTS['duplicate_status'], default=400,
                        help='status of a write whose name is already taken (default: 400)')
    parser.add_argument('--rate-limit', type=int, default=100, help='requests per window per client and API version; 0 disables (default: 100)')
    parser.add_argument('--rate-window', type=float, default=10, help='rate-limit window in seconds (default: 10)')
    parser.add_argument('--faults', help='JSON file with fault rules {"rules": [...]} to load at start')
    parser.add_argument('--verbose', action='store_true', help='log each request to stderr')
    parser.set_defaults(secrets='omit')
    return parser


def options_from_args(argv):
    """Parse command-line flags into ``Emulator`` keyword arguments (argparse exits 2 on errors)."""
    parser = build_parser()
    args = parser.parse_args(list(argv))
    for entry in args.read_only_client:
        if ':' not in entry:
            parser.error('--read-only-client needs ID:SECRET, got %r' % entry)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error('--tls-cert and --tls-key go together')
    return dict(
        host=args.host, port=args.port, port_file=args.port_file, client_id=args.client_id, client_secret=args.client_secret,
        read_only_clients=args.read_only_client, token_lifetime=args.token_lifetime, lifetime=args.lifetime,
        state_file=args.state_file, tls_cert=args.tls_cert, tls_key=args.tls_key, strict_dto=args.strict_dto,
        secrets=args.secrets, patch_body=args.patch_body, patch_ops=args.patch_ops, patch_paths=args.patch_paths,
        status_codes=args.status_codes, duplicate_status=args.duplicate_status, rate_limit=args.rate_limit,
        rate_window=args.rate_window, faults=args.faults, verbose=args.verbose)


def main(argv=None):
    options = options_from_args(sys.argv[1:] if argv is None else argv)
    try:
        emulator = Emulator(allow_non_loopback=True, **options)
    except (OSError, ValueError) as exc:
        sys.stderr.write('sim_emulator: %s\n' % exc)
        return 2

    stop_requested = threading.Event()

    def on_signal(signum, frame):  # pylint: disable=unused-argument
        stop_requested.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def announce(url):
        sys.stdout.write('listening on %s\n' % url)
        sys.stdout.flush()

    try:
        emulator.start(announce=announce)
    except (OSError, ssl.SSLError) as exc:
        sys.stderr.write('sim_emulator: %s\n' % exc)
        return 2
    while not stop_requested.is_set() and not emulator.wait(0.2):
        pass
    emulator.stop()
    return 0
