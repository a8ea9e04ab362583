# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: access_token
short_description: Get one SailPoint access token to share between tasks
version_added: 0.1.0
author:
  - sailpoint.identitynow contributors (@sailpoint-identitynow)
description:
  - Requests an access token with the C(client_credentials) grant from C(<base_url>/oauth/token) and returns it.
  - Store it once per play with M(ansible.builtin.set_fact) and C(no_log=true), then pass it to the modules as
    O(sailpoint.identitynow.sim_integration#module:access_token) (for example through C(module_defaults)).
    Every module task then skips its own token request, which saves one request per loop item where the modules
    run as their own processes (a remote host, a task C(environment), C(async)).
  - On the controller the lookup is not needed. There the tasks of one C(ansible-playbook) run share a token
    by themselves, kept only in memory, one for each client id. The lookup takes that token too, and shares the
    one it fetches, so a lookup templated by every task of a run asks for one token, not one per task.
  - Tokens expire (SailPoint says after about 12 minutes). A module whose shared token is refused asks for a new one
    itself when O(client_id) and O(client_secret) are also available to it, for example from the E(SAIL_*) environment.
  - The token is registered as a secret only where Ansible knows it is one; keep C(no_log=true) on the task that stores it.
extends_documentation_fragment:
  - sailpoint.identitynow.connection.plugins
requirements:
  - urllib3
seealso:
  - module: sailpoint.identitynow.sim_integration
"""

EXAMPLES = r"""
- name: One token for the whole play (credentials from SAIL_BASE_URL, SAIL_CLIENT_ID, SAIL_CLIENT_SECRET)
  ansible.builtin.set_fact:
    sail_token: "{{ lookup('sailpoint.identitynow.access_token') }}"
  no_log: true

- name: Many integrations, one token
  module_defaults:
    group/sailpoint.identitynow.sim:
      access_token: "{{ sail_token }}"
  block:
    - name: Ensure the integrations
      sailpoint.identitynow.sim_integration:
        name: "{{ item }}"
        description: Managed by Ansible
      loop: "{{ sim_names }}"
"""

RETURN = r"""
_raw:
  description: A one-element list holding the access token.
  type: list
  elements: str
"""

from ansible.errors import AnsibleLookupError
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.lookup import LookupBase

from ansible_collections.sailpoint.identitynow.plugins.module_utils import _client as client_mod
from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import SailPointError
from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import PLUGIN_OPTIONS, client_kwargs
from ansible_collections.sailpoint.identitynow.plugins.plugin_utils._token_share import STORE


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if not client_mod.HAS_URLLIB3:
            raise AnsibleLookupError(missing_required_lib("urllib3"))
        params = dict((name, self.get_option(name)) for name in PLUGIN_OPTIONS)
        if not (params["client_id"] and params["client_secret"]):
            raise AnsibleLookupError("access_token lookup: client_id and client_secret are required (or SAIL_CLIENT_ID and SAIL_CLIENT_SECRET)")
        try:
            kw = client_kwargs(dict(params, access_token=None))
            # The run's shared token when a task stored one for these credentials (and stores the one it fetches):
            # each task templates the lookup again, and each would otherwise ask for a token of its own.
            return [client_mod.SailPointClient(token_store=STORE, **kw).token()]
        except SailPointError as e:
            raise AnsibleLookupError("access_token lookup: %s" % e)
