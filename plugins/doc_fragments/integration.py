# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options of a module that manages one integration (SIM or Service Desk): how it is found, whether it should
    # exist, how an update is sent and what happens to the values the API does not return. The option texts that
    # differ between the two APIs (attributes, the fields) stay in the modules.
    DOCUMENTATION = r"""
options:
  id:
    description:
      - ID of the integration. Takes precedence over O(name) to find it; O(name) then renames it.
      - If O(name) already belongs to another integration, the task fails and nothing is changed.
      - An unknown O(id) fails with O(state=present) and is no change with O(state=absent).
    type: str
  name:
    description:
      - Name of the integration, unique in the tenant. Required to create one.
    type: str
  state:
    description:
      - V(present) creates or updates the integration, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  update_method:
    description:
      - V(patch) sends only what changes, as a JSON Patch (its form is in the module's description). V(put) sends the whole
        object.
      - V(put) replaces the whole integration, so it is refused (before any write, naming what would be lost) when it
        would erase a value the API does not return and the task does not pass (see O(update_write_only)); pass
        password-like attributes in O(attributes), or set one to V(null) to say the integration holds none.
    type: str
    choices: [patch, put]
    default: patch
  update_write_only:
    description:
      - Write-only values cannot be compared with what the service holds, because the API does not return them;
        password-like attribute values (see the notes), and any other field whose option says so.
      - V(on_create) sends them when the integration is created, and with an update that has to send the field that holds
        them. V(always) also sends them on every run, which then always reports a change.
    type: str
    choices: [on_create, always]
    default: on_create
  created:
    description:
      - Read-only; accepted and ignored, so that a record of this module or of its C(_info) module can be applied as it is.
    type: raw
  modified:
    description:
      - Read-only; accepted and ignored, like O(created).
    type: raw
notes:
  - Password-like values are the values of attribute keys containing C(password), C(secret), C(token), C(credential),
    C(private_key) or C(api_key), at any depth and whatever their type (a string, a number, a list, an object). They are
    write-only; they are never returned, and are masked in output, diff and invocation.
"""
