"""Offline stand-in for the get-pip.py that ansible-test downloads.

ansible-test bootstraps pip in every venv it creates (``--venv`` delegation and the
per-test sanity/units venvs) with a ``get-pip.py`` fetched from a host that is not
reachable from CI. It uses a cached copy at ``~/.ansible/test/cache/get_pip_<X_Y>.py``
when one is present; noxfile.py copies this file there (_seed_get_pip).

ansible-test runs:  python get_pip_X_Y.py --disable-pip-version-check pip==X.Y [--no-setuptools] [--no-wheel]
"""
import ensurepip
import os
import subprocess
import sys

# ensurepip sets PIP_CONFIG_FILE=/dev/null while it runs; keep a copy of the real
# environment so that the pip call below still reads the machine's pip config
# (its CA bundle and index settings).
env = os.environ.copy()
ensurepip.bootstrap(upgrade=True)  # bundled pip wheel, no network needed
args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install', '-q'] + args, env=env))
