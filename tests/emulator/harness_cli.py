# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The command line of harness.py: ``up``, ``down``, ``status`` and ``url`` for a hand-run ansible-test integration.

    python tests/emulator/harness.py up [--config PATH] [--lifetime S] [--python PY] [--no-strict] [-- EMULATOR FLAGS]
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import os
import sys

from harness import DEFAULT_CONFIG, READ_ONLY_CLIENT, AdminClient, HarnessError, read_integration_config, start, \
    write_integration_config
from harness import _remove_log, _terminate  # the stop-by-pid helpers, shared with harness.Emulator.stop

HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'harness.py')


def _state_path(config):
    return os.path.join(os.path.dirname(os.path.abspath(config)), '.emulator-state.json')


def _read_state(config):
    try:
        with open(_state_path(config)) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def _down(config, quiet=False):
    state = _read_state(config)
    if state is None:
        if not quiet:
            print('no emulator recorded next to %s' % config)
        return 0
    for entry in state['emulators']:
        _terminate(entry['pid'])
        _remove_log(entry.get('log'))
        if not quiet:
            print('stopped %s (pid %d)' % (entry['url'], entry['pid']))
    for path in (_state_path(config), config):
        if os.path.exists(path):
            os.unlink(path)
    return 0


def _up(options, emulator_args):
    config = options.config
    if _read_state(config) is not None:
        print('stopping the emulators started before')
        _down(config, quiet=True)
    given = list(emulator_args)
    if not any(arg == '--read-only-client' or arg.startswith('--read-only-client=') for arg in emulator_args):
        emulator_args = emulator_args + ['--read-only-client', READ_ONLY_CLIENT]
    started = []
    try:
        started.append(start(emulator_args, lifetime=options.lifetime, python=options.python, detach=True))
        if not options.no_strict:
            strict_args = emulator_args if '--strict-dto' in emulator_args else emulator_args + ['--strict-dto']
            started.append(start(strict_args, lifetime=options.lifetime, python=options.python, detach=True))
    except HarnessError as exc:
        for emulator in started:
            emulator.stop()
        sys.stderr.write('harness: %s\n' % exc)
        return 1
    normal, strict = started[0], started[-1]
    # The targets adapt the assertions that depend on the variant (setup_sim turns these into facts).
    write_integration_config(config, normal, strict, sim_emulator_flags=_public(given),
                             sim_emulator_options=normal.admin.options())
    state = {'config': os.path.abspath(config), 'emulators': [
        {'url': e.url, 'pid': e.pid, 'args': e.args, 'log': e.log_path} for e in started]}
    with open(_state_path(config), 'w') as handle:
        json.dump(state, handle, indent=2)
    for emulator in started:
        print('emulator %s (pid %d): %s' % (emulator.url, emulator.pid, ' '.join(_public(emulator.args))))
    print('wrote %s; stop with: python %s down%s' % (
        config, os.path.relpath(HARNESS), '' if config == DEFAULT_CONFIG else ' --config ' + config))
    return 0


def _public(args):
    """The flags with the client secret replaced, for printing."""
    out = list(args)
    for index, arg in enumerate(out[:-1]):
        if arg == '--client-secret':
            out[index + 1] = '***'
        elif arg == '--read-only-client' and ':' in out[index + 1]:
            out[index + 1] = out[index + 1].split(':', 1)[0] + ':***'
    return out


def _url(config, strict):
    try:
        values = read_integration_config(config)
    except OSError:
        sys.stderr.write('harness: %s is missing; start the emulators with: python %s up\n' % (config, os.path.relpath(HARNESS)))
        return 1
    print(values['sim_emulator_strict_url' if strict else 'sim_emulator_url'])
    return 0


def _status(config):
    state = _read_state(config)
    if state is None:
        print('no emulator recorded next to %s; start them with: python %s up' % (config, os.path.relpath(HARNESS)))
        return 1
    rc = 0
    for entry in state['emulators']:
        up = AdminClient(entry['url'], timeout=5).ready()
        rc = rc if up else 1
        print('%s pid %d %s: %s' % (entry['url'], entry['pid'], ' '.join(_public(entry['args'])), 'up' if up else 'NOT ANSWERING'))
    return rc


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    emulator_args = []
    if '--' in argv:
        emulator_args = argv[argv.index('--') + 1:]
        argv = argv[:argv.index('--')]
    parser = argparse.ArgumentParser(description='Start, stop or check the SIM emulators a hand-run ansible-test integration uses.')
    parser.add_argument('command', choices=('up', 'down', 'status', 'url'),
                        help='up: start the emulators and write the config; down: stop them; status: are they answering; '
                             'url: print the URL from the config')
    parser.add_argument('--config', default=DEFAULT_CONFIG, help='integration_config.yml to write (default: %(default)s)')
    parser.add_argument('--lifetime', type=float, default=3600, help='seconds before the emulators stop on their own (default: 3600)')
    parser.add_argument('--python', help='interpreter that runs the emulators (default: this one)')
    parser.add_argument('--no-strict', action='store_true',
                        help='up: start one emulator only (sim_emulator_strict_url is the same); url: unused')
    parser.add_argument('--strict', action='store_true', help='url: print the --strict-dto emulator URL')
    options = parser.parse_args(argv)
    if options.command == 'up':
        return _up(options, emulator_args)
    if options.command == 'down':
        return _down(options.config)
    if options.command == 'url':
        return _url(options.config, options.strict)
    return _status(options.config)
