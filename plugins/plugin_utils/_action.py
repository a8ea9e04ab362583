# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the SIM modules on the controller, in the worker process, instead of shipping them.

Internal to this collection: no stable API, it may change in any release.

Why: a module is a new Python process per loop item, and each one fetches its own token and the whole
integration list. In-process, the items of one loop share one client (one token) and one list that is
kept in step with every write, so a loop of N no-op items costs 2 requests instead of 2N, and no
process start-up; the tasks of one run share the token too (_token_share.py). The module files stay the
single source of logic: this only calls their execute().

When the task cannot run here faithfully (another connection than local, a task `environment:`, `async`,
or the controller lacks urllib3/jsonpatch), the module is executed the normal way.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gc
import hashlib
import multiprocessing
import sys

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.sailpoint.identitynow.plugins.module_utils import _client as client_mod
from ansible_collections.sailpoint.identitynow.plugins.module_utils import _resource as sim_mod
from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import SailPointError
from ansible_collections.sailpoint.identitynow.plugins.module_utils._module import full_spec, mask_values, task_secrets, validation_message
from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import client_kwargs
from ansible_collections.sailpoint.identitynow.plugins.plugin_utils._token_share import STORE

# One worker process runs all items of a task's loop and is discarded after the task,
# so these live exactly as long as one task. The token outlives it in STORE (_token_share.py); the list does
# not: between two tasks anything may change the integrations (another task or play, another run, the UI).
_CLIENTS = {}
_LISTS = {}
# module -> (its full argument spec, a validator of it): built once per worker, not once per loop item.
_VALIDATORS = {}


class _Task:
    """The task interface of plugins/module_utils/_module.py, for a task run in the worker."""

    def __init__(self, params, check_mode, diff, secrets):
        self.params = params
        self.check_mode = check_mode
        self.diff = diff
        self.warnings = []
        self.secrets = secrets

    def warn(self, msg):
        self.warnings.append(msg)

    def register_secret(self, value):
        if value:
            self.secrets.add(value)


def plain(value):
    """`value` rebuilt from plain dict, list, str, int and float.

    ansible-core 2.19+ hands an action plugin its templated arguments as tagged subclasses of str, int, dict
    and list, which take about 100 times longer to copy than plain ones; the argument validator and the
    module code each copy the arguments, and a check-mode prediction made from them stays in the shared
    list, where every later copy pays again. A module process only ever sees plain JSON values, so this
    makes both paths alike. Strings are interned: the same templated value in every item of a loop is then
    one object in the items' results, as the records' values are (_client.py). Built on public types only (the
    core's untagging helpers are private); a value an older core marks unsafe (AnsibleUnsafeText) is kept as it
    is, mark included.
    """
    kind = type(value)
    if value is None or kind in (str, int, float, bool) or getattr(kind, "__UNSAFE__", False):
        return value
    if isinstance(value, dict):
        return dict((plain(k), plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return sys.intern(str(value))
    for base in (int, float):  # bool cannot be subclassed
        if isinstance(value, base):
            return base(value)
    return value


def _spare_inherited_objects():
    """Keep the worker's garbage collector off the objects it inherited from ansible-playbook, once per worker.

    A worker is a fork: its pages are shared with ansible-playbook until written. A full collection writes to
    the header of every object it scans, so the first one in a worker copies the whole inherited heap, about
    5 MiB on ansible-core 2.19 (a loop of 500 no-op items: worker peak 41 MiB, 36 MiB after this). Loading a
    large integration list is what triggers that collection here; the floor's set_fact loop never does.
    gc.freeze() is the remedy the Python documentation gives for fork without exec: frozen objects are
    never scanned, and the worker ends with its task, so nothing it inherited needs collecting. Not in a
    process that was not forked by multiprocessing (ansible-playbook itself, or tests).
    """
    if not _FROZEN and multiprocessing.parent_process() is not None:
        gc.freeze()
        _FROZEN.append(True)


_FROZEN = []


def _digest(value):
    return hashlib.sha256(value.encode("utf-8")).hexdigest() if value else None


class SimActionBase(ActionBase):
    MODULE = None  # the module's Python module: ARGUMENT_SPEC, ARGUMENT_RULES, execute(), and RESOURCE if not SIM
    MODULE_NAME = None  # its FQCN, for the fallback
    _supports_check_mode = True
    _supports_async = True  # as the module process: async_wrapper runs it in the background

    def run(self, tmp=None, task_vars=None):
        result = super(SimActionBase, self).run(tmp, task_vars)
        if not self._runs_here():
            wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
            result.update(self._execute_module(module_name=self.MODULE_NAME, module_args=self._task.args,
                                               task_vars=task_vars, wrap_async=wrap_async))
            return result  # ActionBase.cleanup() removes the remote tmp dir, unless async still needs it
        _spare_inherited_objects()
        result.update(self._run_here(self._wants_invocation(task_vars)))
        return result

    @staticmethod
    def _wants_invocation(task_vars):
        # ansible-core 2.21+ adds `invocation` to module results only when INJECT_INVOCATION is on; the
        # task run here follows the same setting so both paths return the same keys. An older core has no
        # such setting and always adds it; asking it for the setting at every loop item raised an error each time.
        if C.config.get_configuration_definition("INJECT_INVOCATION") is None:
            return True
        try:
            return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars or {}))
        except AnsibleError:  # a value it cannot read as a boolean: keep the invocation, as before
            return True

    def _runs_here(self):
        return (getattr(self._connection, "transport", None) == "local" and not self._has_environment()
                and not self._task.async_val and client_mod.HAS_URLLIB3 and sim_mod.HAS_JSONPATCH)

    def _has_environment(self):
        """True when the task or play sets `environment:`, which only a module process would see."""
        # The usual case, asked at every loop item: a task without `environment:` holds [{}] (one empty
        # mapping per level), which templating would walk for nothing, as ActionBase skips empty entries too.
        if not any(self._task.environment or ()):
            return False
        try:
            environment = self._templar.template(self._task.environment)
        except AnsibleError:
            return True
        return any(environment)

    def _validator(self):
        if self.MODULE not in _VALIDATORS:
            spec = full_spec(self.MODULE.ARGUMENT_SPEC)
            _VALIDATORS[self.MODULE] = (spec, ArgumentSpecValidator(spec, **self.MODULE.ARGUMENT_RULES))
        return _VALIDATORS[self.MODULE]

    def _run_here(self, invocation=True):
        spec, validator = self._validator()
        args = plain(self._task.args)
        validation = validator.validate(args)
        params = validation.validated_parameters
        task = _Task(params, bool(self._task.check_mode), bool(self._task.diff), task_secrets(spec, args, params))
        if validation.error_messages:
            msg = validation_message(validation.errors, self.MODULE_NAME)
            outcome = dict(failed=True, msg=msg)
            if invocation:
                outcome["invocation"] = dict(module_args=params)
            return mask_values(outcome, task.secrets)
        try:
            outcome = self.MODULE.execute(task, self._sim(task))
        except SailPointError as e:
            outcome = dict(failed=True, **e.to_fail_kwargs())
        if invocation:
            outcome["invocation"] = dict(module_args=params)
        if task.warnings:
            outcome["warnings"] = task.warnings
        return mask_values(outcome, task.secrets)

    def _sim(self, task):
        params = task.params
        kwargs = client_kwargs(params)
        key = (kwargs["base_url"], kwargs["client_id"], _digest(kwargs["client_secret"]), _digest(kwargs["access_token"]),
               str(kwargs["verify"]), kwargs["timeout"], kwargs["max_retries"], kwargs["retry_max_wait"], kwargs["rate_limit"])
        client = _CLIENTS.get(key)
        if client is None:
            client = _CLIENTS[key] = client_mod.SailPointClient(token_store=STORE, **kwargs)
        client.bind(warn=task.warn, register_secret=task.register_secret)
        resource = getattr(self.MODULE, "RESOURCE", None) or sim_mod.SimIntegrations
        version = resource.task_api_version(params, task.warn)  # the version from the environment, resolved once here
        cache = _LISTS.setdefault(key + (resource.__name__, version, task.check_mode), {})
        return resource.for_task(client, params, task.check_mode, task.warn, cache=cache)
