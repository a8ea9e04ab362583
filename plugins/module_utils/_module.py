# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AnsibleModule for this collection: connection options, library checks and runtime secrets in one place."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.sailpoint.identitynow.plugins.module_utils import _client as client_mod
from ansible_collections.sailpoint.identitynow.plugins.module_utils import _resource as sim_mod
from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import client_kwargs, connection_argspec
from ansible_collections.sailpoint.identitynow.plugins.module_utils._records import mask_operations, secret_values


class SailPointModule(AnsibleModule):
    def __init__(self, argument_spec, **kwargs):
        spec = connection_argspec()
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        super(SailPointModule, self).__init__(argument_spec=spec, **kwargs)
        self._register_attribute_secrets()  # again: with no_log set, _log_invocation is never called
        if not client_mod.HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib("requests"), exception=client_mod.REQUESTS_IMPORT_ERROR)
        if not sim_mod.HAS_JSONPATCH:
            self.fail_json(msg=missing_required_lib("jsonpatch"), exception=sim_mod.JSONPATCH_IMPORT_ERROR)

    def _log_invocation(self):
        # AnsibleModule.__init__ logs the arguments to syslog/journald as its last step. Password-like
        # attribute values must be registered before that, so Ansible masks them there too, and in
        # every result, diff, warning and echoed invocation after it.
        self._register_attribute_secrets()
        super(SailPointModule, self)._log_invocation()

    def _register_attribute_secrets(self):
        for value in secret_values(self.params.get("attributes")):
            self.no_log_values.add(value)

    def client(self):
        """A SailPointClient from the connection options; raises OptionError on bad ones."""
        return client_mod.SailPointClient(warn=self.warn, register_secret=self.no_log_values.add, **client_kwargs(self.params))

    def sim_integrations(self):
        return sim_mod.SimIntegrations(self.client(), self.params["api_version"], check_mode=self.check_mode,
                                       patch_format=self.params.get("patch_format") or "rfc6902", warn=self.warn)


def state_result(module, sim, run):
    """The result of a state module: changed, record, the JSON Patch sent (masked), and the diff when asked."""
    changed, record, diff = run(module, sim)
    result = dict(changed=changed, record=record, operations=mask_operations(sim.operations))
    if module._diff:
        result["diff"] = diff
    return result
