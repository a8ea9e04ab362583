# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's version for code (the User-Agent). Internal: no stable API.

A module process carries only module_utils, not galaxy.yml, so the version is written here once for code;
galaxy.yml states it for packaging, and tests/unit/plugins/module_utils/test_options.py fails if they differ.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

COLLECTION_VERSION = "0.1.0"
