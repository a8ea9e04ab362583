# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
  action:
    description: Runs through an action plugin on the controller.
    support: full
    details:
      - With a local connection and no task or play C(environment), the module runs inside Ansible's worker process;
        the items of one loop then share one access token and one list of integrations, kept in step with each write.
      - Otherwise (a remote host, an C(environment) to apply, or C(async)) it runs as an ordinary module process.
  async:
    description: Supports being used with the C(async) keyword.
    support: full
    details:
      - An C(async) task runs as a module process in the background; its items do not share a token or a list.
"""

    # Every module extends ACTION_GROUP_IDENTITYNOW (antsibull-nox's action-group check looks for it); the SIM modules
    # extend ACTION_GROUP first, whose membership lists both groups: when fragments merge, the one merged first wins.
    ACTION_GROUP = r"""
options: {}
attributes:
  action_group:
    description:
      - Use C(group/sailpoint.identitynow.sim) (the SIM modules) or C(group/sailpoint.identitynow.identitynow) (every module
        of the collection) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - sailpoint.identitynow.sim
      - sailpoint.identitynow.identitynow
"""

    ACTION_GROUP_IDENTITYNOW = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/sailpoint.identitynow.identitynow) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - sailpoint.identitynow.identitynow
"""

    # A module that writes: check mode predicts the result with the code of a real run, diff mode shows what changes.
    CHECK_MODE_PREDICTS = r"""
options: {}
attributes:
  check_mode:
    support: full
    details: The change is applied locally to predict the result; no write is sent.
  diff_mode:
    support: full
    details: The diff holds only what changes. Password-like values are masked.
"""

    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details: This module only reads, so it runs normally in check mode.
  diff_mode:
    support: N/A
    details: This module does not change anything.
"""
