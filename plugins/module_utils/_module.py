# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The task interface the modules' run() code sees, on both execution paths.

Internal to this collection: no stable API, it may change in any release.

Both SailPointModule (a module process) and the action plugins' task object
(plugins/plugin_utils/_action.py, in the worker) offer the same small surface:

    params          validated options, environment fallbacks applied
    check_mode      bool
    diff            bool
    warn(msg)       a warning for the task result
    register_secret(value)
                    a value that must never be shown: masked in results, diffs, warnings and logs

task_secrets() is the one place that decides what is secret in a task's options.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.errors import NoLogError, UnsupportedError

from ansible_collections.sailpoint.identitynow.plugins.module_utils import _client as client_mod
from ansible_collections.sailpoint.identitynow.plugins.module_utils import _resource as sim_mod
from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import SailPointError
from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import client_kwargs, connection_argspec
from ansible_collections.sailpoint.identitynow.plugins.module_utils._records import mask_operations, secret_values

try:
    # ansible-core 2.22 masks module output on the controller from secrets registered here;
    # module.no_log_values alone is no longer consulted for results or logs.
    from ansible.module_utils.secrets import register_secrets as _register_with_core
except ImportError:  # older cores mask module.no_log_values themselves
    _register_with_core = None


def full_spec(argument_spec):
    """The connection options followed by the module's own."""
    spec = connection_argspec()
    spec.update(argument_spec)
    return spec


def _no_log_option_values(spec, params):
    for name, option in spec.items():
        value = (params or {}).get(name)
        if value is None:
            continue
        if option.get("no_log"):
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value):
                yield str(value)
        elif option.get("options") and isinstance(value, dict):
            yield from _no_log_option_values(option["options"], value)


def _printed_forms(value):
    # Ansible writes dict-valued options into the invocation log with str(), which escapes quotes and
    # backslashes, so the secret may appear there only in its escaped form.
    return set((value, repr(value)[1:-1], json.dumps(value)[1:-1]))


NO_LOG_PLACEHOLDER = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def mask_values(value, secrets):
    """A copy of value with every secret replaced, at any depth, in keys and values.

    Our own because ansible-core's remove_values() is deprecated from 2.22 (where module output is masked
    on the controller) and there is no public replacement for data a plugin returns itself. Same output:
    a value that is a secret becomes NO_LOG_PLACEHOLDER, a secret inside a longer string '********'.
    """
    if not secrets:
        return value
    return _masked(value, frozenset(secrets), sorted(secrets, key=len, reverse=True))


def _masked(value, secrets, longest_first):
    # The secrets are sorted once per call, not once per string: a result holds a few hundred strings.
    if isinstance(value, dict):
        return {_masked(k, secrets, longest_first): _masked(v, secrets, longest_first) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked(v, secrets, longest_first) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return NO_LOG_PLACEHOLDER if str(value) in secrets else value
    if isinstance(value, str):
        if value in secrets:
            return NO_LOG_PLACEHOLDER
        for secret in longest_first:
            if secret in value:
                value = value.replace(secret, "********")
    return value


def task_secrets(spec, *param_sets):
    """Every value in these options that must be masked: no_log options and password-like attribute values."""
    found = set()
    for params in param_sets:
        if not isinstance(params, dict):
            continue
        for value in _no_log_option_values(spec, params):
            found.update(_printed_forms(value))
        for value in secret_values(params.get("attributes")):
            found.update(_printed_forms(value))
    found.discard("")
    return found


def validation_message(errors, module_name):
    """The message for failed option validation, the same on both paths.

    ansible-core reports a value it could not scan for no_log sub-options (a string given for a dict option)
    first, in words that name no option; the type error that follows names it, so that one is shown.
    """
    error = next((e for e in errors if not isinstance(e, NoLogError)), errors[0])
    if isinstance(error, UnsupportedError):
        return "Unsupported parameters for (%s) module: %s" % (module_name, error)
    return str(error)


class SailPointModule(AnsibleModule):
    """AnsibleModule with the task interface: connection options, library checks and secrets in one place."""

    def __init__(self, argument_spec, **kwargs):
        self._secrets = None
        self._validating = True
        kwargs.setdefault("supports_check_mode", True)
        super(SailPointModule, self).__init__(argument_spec=full_spec(argument_spec), **kwargs)
        self._validating = False
        self._register_task_secrets()  # with no_log, Ansible logs nothing and log() below never ran
        if not client_mod.HAS_URLLIB3:
            self.fail_json(msg=missing_required_lib("urllib3"), exception=client_mod.URLLIB3_IMPORT_ERROR)
        if not sim_mod.HAS_JSONPATCH:
            self.fail_json(msg=missing_required_lib("jsonpatch"), exception=sim_mod.JSONPATCH_IMPORT_ERROR)

    @property
    def diff(self):
        return self._diff

    def register_secret(self, value):
        if value:
            self.no_log_values.add(value)
            if _register_with_core is not None:
                _register_with_core([value])

    def _register_task_secrets(self):
        # AnsibleModule logs the invocation and reports validation failures from inside __init__, before
        # a subclass gets control back; log() and fail_json() are the public hooks that run first there.
        if self._secrets is None and getattr(self, "params", None) is not None:
            self._secrets = task_secrets(self.argument_spec, self.params)
            for value in self._secrets:
                self.register_secret(value)
        return self._secrets or set()

    def log(self, msg, log_args=None):
        secrets = self._register_task_secrets()
        if _register_with_core is None:  # from 2.22, AnsibleModule.log() masks registered secrets itself
            msg = mask_values(msg, secrets)
            log_args = mask_values(log_args, secrets) if log_args else log_args
        super(SailPointModule, self).log(msg, log_args=log_args)

    def fail_json(self, msg, **kwargs):
        self._register_task_secrets()
        result = getattr(self, "validation_result", None)
        if self._validating and result is not None and result.errors:
            msg = validation_message(result.errors, self._name)
        super(SailPointModule, self).fail_json(msg, **kwargs)

    def client(self):
        """A SailPointClient from the connection options; raises OptionError on bad ones."""
        return client_mod.SailPointClient(warn=self.warn, register_secret=self.register_secret, **client_kwargs(self.params))

    def resource(self, resource_class=None):
        """The resource the task works on (SIM integrations unless the module names another class)."""
        return (resource_class or sim_mod.SimIntegrations).for_task(self.client(), self.params, self.check_mode, self.warn)

    def sim_integrations(self):
        return self.resource(sim_mod.SimIntegrations)


def run_module(argument_spec, argument_rules, execute, resource=None):
    """main() of every module: validate, run execute(task, resource), report.

    `resource`: the Integrations subclass the module works on (the module's RESOURCE), SIM integrations by default.
    """
    module = SailPointModule(argument_spec=argument_spec, **argument_rules)
    try:
        module.exit_json(**execute(module, module.resource(resource)))
    except SailPointError as e:
        module.fail_json(**e.to_fail_kwargs())


def state_result(task, sim, run):
    """The result of a state module: changed, record, the JSON Patch sent (masked), and the diff when asked."""
    changed, record, diff = run(task, sim)
    result = dict(changed=changed, record=record, operations=mask_operations(sim.operations))
    if task.diff:
        result["diff"] = diff
    return result
