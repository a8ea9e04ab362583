# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way to start, stop, configure and inspect the SIM emulator.

Library use::

    from harness import start
    with start(['--strict-dto'], in_process=True) as emu:
        emu.url; emu.admin.requests(); emu.admin.reset()

Command line (for a hand-run ``ansible-test integration``; the code is in harness_cli.py)::

    python tests/emulator/harness.py up [--config PATH] [--lifetime S] [--python PY] [-- EMULATOR FLAGS]
    python tests/emulator/harness.py status
    python tests/emulator/harness.py down

Only the standard library is used here, so any Python that runs the emulator runs the harness.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, 'sim_emulator.py')
COLLECTION_ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CONFIG = os.path.join(COLLECTION_ROOT, 'tests', 'integration', 'integration_config.yml')
DEFAULT_LIFETIME = 600
START_TIMEOUT = 30
READ_ONLY_CLIENT = 'readonly-client:readonly-secret'
LISTENING = 'listening on '


class HarnessError(Exception):
    """The emulator could not be started, reached or told something."""


def _import_emulator_module():
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    import sim_emulator  # pylint: disable=import-outside-toplevel
    return sim_emulator


def _credentials(args):
    """The client flags of ``args`` with the emulator's defaults; parsed here so a child's flags need no jsonpatch in this Python."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument('--client-id', default='emulator-client')
    parser.add_argument('--client-secret', default='emulator-secret')
    parser.add_argument('--read-only-client', action='append', default=[])
    return parser.parse_known_args(list(args))[0]


def flags(**options):
    """Turn ``Emulator`` keyword arguments into command-line flags: ``flags(strict_dto=True)`` -> ``['--strict-dto']``."""
    out = []
    for key, value in options.items():
        flag = '--' + ('read-only-client' if key == 'read_only_clients' else key.replace('_', '-'))
        if value is True:
            out.append(flag)
        elif value is False or value is None:
            continue
        elif isinstance(value, (list, tuple)):
            for item in value:
                out += [flag, str(item)]
        else:
            out += [flag, str(value)]
    return out


# --------------------------------------------------------------------- admin client

class AdminClient:
    """The emulator's admin API (``/__emulator/*``) over HTTP; loopback only, no authentication."""

    def __init__(self, url, cafile=None, timeout=30):
        self.url = url.rstrip('/')
        self.timeout = timeout
        self._context = None
        if self.url.startswith('https://'):
            # The admin API answers loopback clients only, so a self-signed test certificate is not verified
            # unless the caller passes it.
            self._context = ssl.create_default_context(cafile=cafile) if cafile else ssl._create_unverified_context()  # pylint: disable=protected-access

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode('utf-8')
        request = Request(self.url + '/__emulator/' + path, data=data, method=method)
        if data is not None:
            request.add_header('Content-Type', 'application/json')
        try:
            with urlopen(request, timeout=self.timeout, context=self._context) as response:
                raw = response.read()
        except HTTPError as exc:
            raise HarnessError('%s /__emulator/%s: HTTP %d %s' % (method, path, exc.code, exc.read().decode('utf-8', 'replace')))
        except (URLError, OSError) as exc:
            raise HarnessError('%s /__emulator/%s: the emulator at %s is not reachable (%s)' % (method, path, self.url, exc))
        return json.loads(raw.decode('utf-8')) if raw else None

    def ready(self, timeout=0.0):
        """True once the emulator answers; waits up to ``timeout`` seconds."""
        deadline = time.time() + timeout
        while True:
            try:
                return bool(self.call('GET', 'ready')['ready'])
            except HarnessError:
                if time.time() >= deadline:
                    return False
                time.sleep(0.05)

    def options(self):
        """The variant switches the emulator runs with (``strict_dto``, ``patch_ops``, ``secrets``...)."""
        return self.call('GET', 'ready')['options']

    def reset(self):
        return self.call('POST', 'reset')

    def state(self):
        """``{'integrations': [...]}``, secrets included."""
        return self.call('GET', 'state')

    def integrations(self):
        return self.state()['integrations']

    def requests(self):
        """The request log: ``[{method, path, query, status, content_type, body}, ...]``; ``body`` is parsed JSON or None."""
        return self.call('GET', 'requests')

    def clear_requests(self):
        return self.call('DELETE', 'requests')['cleared']

    def add_faults(self, *rules):
        """Append fault rules, given one by one or as one list; returns every current rule."""
        if len(rules) == 1 and isinstance(rules[0], (list, tuple)):
            rules = rules[0]
        return self.call('POST', 'faults', {'rules': list(rules)})['rules']

    def faults(self):
        return self.call('GET', 'faults')['rules']

    def clear_faults(self):
        return self.call('DELETE', 'faults')['cleared']

    def tokens(self):
        """The tokens issued so far: ``[{token, client_id, read_only, expired}, ...]``, oldest first."""
        return self.call('GET', 'tokens')['tokens']

    def expire_tokens(self):
        return self.call('POST', 'tokens/expire')['expired']

    def seed(self, *integrations):
        """Store integrations as they are (no API validation); returns the stored documents with their ids."""
        if len(integrations) == 1 and isinstance(integrations[0], (list, tuple)):
            integrations = integrations[0]
        return self.call('POST', 'seed', {'integrations': list(integrations)})['integrations']


# --------------------------------------------------------------------- running emulators

class Emulator:
    """A running emulator: in-process (``.server`` is the ``sim_emulator.Emulator``) or a child process (``.process``)."""

    def __init__(self, url, args, server=None, process=None, pid=None, log_path=None):
        self.url = url
        self.args = list(args)
        self.server = server
        self.process = process
        self.pid = pid if pid is not None else (process.pid if process is not None else None)
        self.log_path = log_path
        self.admin = AdminClient(url)
        parsed = _credentials(self.args)
        self.client_id = parsed.client_id
        self.client_secret = parsed.client_secret
        self.read_only_clients = [tuple(entry.split(':', 1)) for entry in parsed.read_only_client]

    def wait(self, timeout=None):
        """Wait for the emulator to stop; the exit code for a child process, True for in-process."""
        if self.server is not None:
            return self.server.wait(timeout)
        return self.process.wait(timeout)

    def stop(self, timeout=10):
        if self.server is not None:
            self.server.stop()
            return
        if self.process is None:
            _terminate(self.pid, timeout)
            _remove_log(self.log_path)
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def start(args=(), in_process=False, lifetime=DEFAULT_LIFETIME, python=None, detach=False, **options):
    """Start an emulator with command-line ``args`` and return an ``Emulator`` once it answers.

    ``options`` are ``sim_emulator.Emulator`` keyword arguments (``rate_limit=0``, ``faults=[...]``); in a
    child process they become flags. ``lifetime`` adds ``--lifetime`` unless ``args`` has one (None: the
    emulator's default). ``detach`` starts a process that outlives this one, its output in a log file.
    """
    args = list(args)
    if lifetime is not None and '--lifetime' not in args:
        args += ['--lifetime', str(lifetime)]
    if in_process:
        if detach or python:
            raise ValueError('detach and python need a child process (in_process=False)')
        module = _import_emulator_module()
        faults = options.pop('faults', None)
        # Keyword options go through the same parser as flags, so both spellings mean the same.
        args += flags(**options)
        try:
            kwargs = module.options_from_args(args)
        except SystemExit:
            raise ValueError('invalid emulator arguments (see the message above): %s' % ' '.join(args))
        if faults is not None:
            kwargs['faults'] = faults
        server = module.Emulator(**kwargs).start()
        return Emulator(server.url, args, server=server)
    temp_files = []
    if isinstance(options.get('faults'), (list, dict)):
        handle, path = tempfile.mkstemp(prefix='sim-emulator-faults-', suffix='.json')
        with os.fdopen(handle, 'w') as stream:
            json.dump(options.pop('faults'), stream)
        temp_files.append(path)
        args += ['--faults', path]
    args += flags(**options)
    command = [python or sys.executable, SCRIPT] + args
    try:
        if detach:
            return _start_detached(command, args)
        return _start_attached(command, args)
    finally:
        for path in temp_files:
            os.unlink(path)


def _start_attached(command, args):
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    line = process.stdout.readline().strip()
    if not line.startswith(LISTENING):
        process.kill()
        _out, err = process.communicate(timeout=10)
        raise HarnessError('the emulator did not start (%s): %r %s' % (' '.join(command), line, err.strip()))
    return Emulator(line[len(LISTENING):], args, process=process)


def _start_detached(command, args):
    log_dir = tempfile.mkdtemp(prefix='sim-emulator-')
    log_path = os.path.join(log_dir, 'emulator.log')
    with open(log_path, 'w') as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + START_TIMEOUT
    while time.time() < deadline:
        with open(log_path) as log:
            first = log.readline().strip()
        if first.startswith(LISTENING):
            # No Popen kept: the process belongs to no one once this one exits; it is stopped by pid.
            return Emulator(first[len(LISTENING):], args, pid=process.pid, log_path=log_path)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    if process.poll() is None:
        process.kill()
    with open(log_path) as log:
        output = log.read().strip()
    _remove_log(log_path)
    raise HarnessError('the emulator did not start (%s): %s' % (' '.join(command), output))


def _remove_log(log_path):
    if log_path and os.path.basename(os.path.dirname(log_path)).startswith('sim-emulator-'):
        shutil.rmtree(os.path.dirname(log_path), ignore_errors=True)


def _is_emulator(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as handle:
            return b'sim_emulator.py' in handle.read()
    except OSError:
        return _alive(pid)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _terminate(pid, timeout=10):
    if pid is None or not _is_emulator(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + timeout
    while time.time() < deadline and _alive(pid):
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            pass
        time.sleep(0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


# --------------------------------------------------------------------- integration_config.yml

def write_integration_config(path, emulator, strict=None, **extra):
    """Write the variables the integration targets read (setup_sim/defaults/main.yml names them).

    ``strict`` is a second emulator started with ``--strict-dto`` (default: the same one); ``extra`` adds keys.
    """
    read_only = emulator.read_only_clients[0] if emulator.read_only_clients else ('', '')
    values = {
        'sim_emulator_url': emulator.url,
        'sim_emulator_strict_url': (strict or emulator).url,
        'sim_client_id': emulator.client_id,
        'sim_client_secret': emulator.client_secret,
        'sim_readonly_client_id': read_only[0],
        'sim_readonly_client_secret': read_only[1],
    }
    values.update(extra)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        os.makedirs(directory)
    # JSON scalars are valid YAML, so no YAML library is needed.
    text = '---\n# Written by tests/emulator/harness.py; removed by "harness.py down".\n'
    text += ''.join('%s: %s\n' % (key, json.dumps(value)) for key, value in values.items())
    with open(path, 'w') as handle:
        handle.write(text)
    return values


def read_integration_config(path=DEFAULT_CONFIG):
    """Read a flat ``key: value`` integration_config.yml (what ``write_integration_config`` or test.sh writes)."""
    values = {}
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith('#') or line == '---' or ':' not in line:
                continue
            key, _sep, raw = line.partition(':')
            raw = raw.strip()
            try:
                values[key.strip()] = json.loads(raw)
            except ValueError:
                values[key.strip()] = raw.strip('\'"')
    return values


def main(argv=None):
    """``python tests/emulator/harness.py up|down|status|url``: see harness_cli.py."""
    from harness_cli import main as cli_main  # pylint: disable=import-outside-toplevel
    return cli_main(argv)


if __name__ == '__main__':
    sys.exit(main())
