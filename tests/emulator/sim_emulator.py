# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local emulator of the SailPoint Identity Security Cloud SIM-integrations API: the command-line entry point.

    python tests/emulator/sim_emulator.py --port 8443

The code lives in the ``sailemu`` package next to this file; this script keeps every flag it always had
and the names people import from it (``from sim_emulator import Emulator``). It follows the official
OpenAPI documents vendored in ``spec/`` (sailpoint-oss/api-specs, MIT licence). Run it with ``--help`` or
read ``README.md`` for the options, the endpoints, the admin API and the assumptions made where the spec
is silent. Tests start it through ``harness.py``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

# Run as a script, or loaded by path (importlib), this folder may not be on sys.path yet.
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from sailemu import (  # noqa: E402  pylint: disable=wrong-import-position
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MASK, MISSING_TOKEN_ERROR, SECRET_KEY_RE, SPEC_DIR, VARIANTS, ApiVersion, Emulator,
    Response, SchemaValidator, build_parser, error_response, load_api_versions, main, options_from_args)

__all__ = ['ApiVersion', 'DEFAULT_CLIENT_ID', 'DEFAULT_CLIENT_SECRET', 'Emulator', 'MASK', 'MISSING_TOKEN_ERROR', 'Response',
           'SECRET_KEY_RE', 'SPEC_DIR', 'SchemaValidator', 'VARIANTS', 'build_parser', 'error_response', 'load_api_versions', 'main',
           'options_from_args']

if __name__ == '__main__':
    sys.exit(main())
