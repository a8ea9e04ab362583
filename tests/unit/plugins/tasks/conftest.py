# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures to run a task on both code paths (module process via AnsibleModule, and the in-process action
plugin) over real HTTP.

The action path needs the controller (ansible.parsing, ansible.template), which ansible-test leaves out of
the unit tests under tests/unit/plugins/modules and module_utils; the tests that run both paths, or start
ansible-playbook, live here, in a folder ansible-test runs with the controller on the controller's Pythons."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
from unittest.mock import MagicMock

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar


CLIENT = dict(client_id="unit-client", client_secret="unit-secret-7f3a9c")


def _modules():
    from ansible_collections.sailpoint.identitynow.plugins.modules import sim_before_provisioning_rule, sim_integration, sim_integration_info
    from ansible_collections.sailpoint.identitynow.plugins.action import sim_before_provisioning_rule as rule_action
    from ansible_collections.sailpoint.identitynow.plugins.action import sim_integration as sim_action
    from ansible_collections.sailpoint.identitynow.plugins.action import sim_integration_info as info_action
    from ansible_collections.sailpoint.identitynow.plugins.modules import (
        service_desk_integration, service_desk_integration_info, service_desk_status_check, service_desk_template_info)
    from ansible_collections.sailpoint.identitynow.plugins.action import service_desk_integration as sdim_action
    from ansible_collections.sailpoint.identitynow.plugins.action import service_desk_integration_info as sdim_info_action
    from ansible_collections.sailpoint.identitynow.plugins.action import service_desk_status_check as status_action
    from ansible_collections.sailpoint.identitynow.plugins.action import service_desk_template_info as template_action
    return {
        "service_desk_integration": (service_desk_integration, sdim_action),
        "service_desk_integration_info": (service_desk_integration_info, sdim_info_action),
        "service_desk_status_check": (service_desk_status_check, status_action),
        "service_desk_template_info": (service_desk_template_info, template_action),
        "sim_integration": (sim_integration, sim_action),
        "sim_integration_info": (sim_integration_info, info_action),
        "sim_before_provisioning_rule": (sim_before_provisioning_rule, rule_action),
    }


# Imported now, in the process that ansible-test forks for each test (see tests/unit/conftest.py), not in every fork.
_modules()


def _run_action(action_module, args, emu, check_mode=False, diff=False):
    from ansible_collections.sailpoint.identitynow.plugins.plugin_utils import _action as base
    base._CLIENTS.clear()  # each call is one task, in a worker process of its own, of a run of its own
    base._LISTS.clear()
    if base.STORE:
        base.STORE.clear()
    task = MagicMock()
    task.args = dict(dict(base_url=emu.url, **CLIENT), **args)
    task.check_mode = check_mode
    task.diff = diff
    task.environment = [{}]
    task.async_val = 0
    connection = MagicMock()
    connection.transport = "local"
    connection._shell.tmpdir = None
    action = action_module.ActionModule(task, connection, MagicMock(), DataLoader(), Templar(loader=DataLoader()), MagicMock())
    result = action.run(task_vars={"ansible_inject_invocation": True})  # as the module fixture: the invocation echoed
    result["_raw"] = json.dumps(result, default=str)
    result["warnings"] = list(result.get("warnings", []))
    return result


@pytest.fixture(params=["module", "action"])
def path(request, run_module):
    """run(name, args, emu, check_mode=False, diff=False) on one code path; the path's name is run.path."""
    modules = _modules()

    def run(name, args, emu, check_mode=False, diff=False):
        module, action = modules[name]
        if request.param == "module":
            from ansible.module_utils.common import warnings
            warnings._global_warnings.clear()  # a module process starts with none; here earlier runs would leak theirs
            return run_module(module, args, emu, check_mode=check_mode, diff=diff)
        return _run_action(action, args, emu, check_mode=check_mode, diff=diff)

    run.path = request.param
    return run


class Resource:
    """One kind of integration, as the matrices parametrised over the resource see it: its modules, API versions,
    where it lives, how to seed it and read it back out of band."""

    def __init__(self, key, module, info, versions, segment, seed, stored, required=None):
        self.key, self.module, self.info, self.versions, self.segment = key, module, info, versions, segment
        self._seed, self._stored = seed, stored
        self.required = required or {}  # what a create needs besides a name

    def prefix(self, version):
        return "/%s/v1" % self.segment if version == "v1" else "/%s/%s" % (version, self.segment)

    def seed(self, emu, body):
        return getattr(emu, self._seed)(body)

    def stored(self, emu):
        return getattr(emu, self._stored)()

    def __repr__(self):
        return self.key


def _resources():
    from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import API_VERSIONS, SERVICE_DESK_API_VERSIONS
    return {
        "sim": Resource("sim", "sim_integration", "sim_integration_info", API_VERSIONS, "sim-integrations", "seed", "integrations"),
        "sdim": Resource("sdim", "service_desk_integration", "service_desk_integration_info", SERVICE_DESK_API_VERSIONS,
                         "service-desk-integrations", "seed_service_desk", "service_desks", required={"description": "d"}),
    }


RESOURCES = _resources()


@pytest.fixture(params=sorted(RESOURCES))
def resource(request):
    """A matrix over SIM and Service Desk integrations (both answer with ServiceDeskIntegrationDto); a test that
    pairs the resource with other values parametrises it by key, indirectly."""
    return RESOURCES[request.param]
