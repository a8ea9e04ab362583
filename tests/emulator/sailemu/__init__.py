# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SIM and Service Desk integrations emulator as a package; ``sim_emulator.py`` next to it is the command-line entry point.

One module per seam (README.md, "Layout"): ``spec`` (OpenAPI documents, schema validation), ``transport``
(HTTP server, TLS), ``tokens`` (OAuth, auth, rate limit), ``faults``, ``store`` (state, state file, request
log), ``resources``, ``patch`` and ``views`` (the SIM operations), ``service_desk``, ``service_desk_catalog`` and
``collection`` (the Service Desk operations; paging, filters, sorters), ``admin`` (``/__emulator/*``), ``emulator``
(the class and its lifecycle) and ``cli``. Only the standard library and jsonpatch; Python 3.8+.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from .cli import build_parser, main, options_from_args
from .common import (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MASK, MISSING_TOKEN_ERROR, SECRET_KEY_RE, VARIANTS, Response,
                     error_response)
from .emulator import Emulator
from .spec import SPEC_DIR, ApiVersion, SchemaValidator, ServiceDeskApi, load_api_versions, load_service_desk_versions

__all__ = ['ApiVersion', 'DEFAULT_CLIENT_ID', 'DEFAULT_CLIENT_SECRET', 'Emulator', 'MASK', 'MISSING_TOKEN_ERROR', 'Response',
           'SECRET_KEY_RE', 'SPEC_DIR', 'SchemaValidator', 'ServiceDeskApi', 'VARIANTS', 'build_parser', 'error_response',
           'load_api_versions', 'load_service_desk_versions', 'main', 'options_from_args']
