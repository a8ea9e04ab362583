# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rendered documentation (doc fragments applied) against the options table and meta/runtime.yml.

Here, not beside test_options.py: rendering needs the controller's plugin loader, which ansible-test leaves out of
the module_utils unit tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os

import pytest
import yaml

from ansible.plugins.loader import fragment_loader, lookup_loader, module_loader
from ansible.utils.plugin_docs import get_docstring

from ansible_collections.sailpoint.identitynow.plugins.module_utils import _options as options

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def _modules():
    return sorted(n[:-3] for n in os.listdir(os.path.join(ROOT, "plugins", "modules")) if n.endswith(".py") and n != "__init__.py")


def _groups():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as f:
        return yaml.safe_load(f)["action_groups"]


def test_the_lookup_documents_exactly_the_plugin_options():
    doc = get_docstring(lookup_loader.find_plugin("sailpoint.identitynow.access_token"), fragment_loader=fragment_loader)[0]
    assert set(doc["options"]) == set(options.PLUGIN_OPTIONS)


@pytest.mark.parametrize("module", _modules())
def test_each_module_documents_the_groups_it_is_in(module):
    doc = get_docstring(module_loader.find_plugin("sailpoint.identitynow." + module), fragment_loader=fragment_loader)[0]
    groups = sorted(name for name, members in _groups().items() if module in members)
    assert sorted(doc["attributes"]["action_group"]["membership"]) == sorted("sailpoint.identitynow." + g for g in groups)


@pytest.mark.parametrize("module", [m for m in _modules() if m.startswith("service_desk_")])
def test_service_desk_modules_document_their_api_versions(module):
    doc = get_docstring(module_loader.find_plugin("sailpoint.identitynow." + module), fragment_loader=fragment_loader)[0]
    spec = importlib.import_module("ansible_collections.sailpoint.identitynow.plugins.modules." + module).ARGUMENT_SPEC["api_version"]
    option = doc["options"]["api_version"]
    assert option["choices"] == spec["choices"] == list(options.SERVICE_DESK_API_VERSIONS)
    # No default and no fallback in the spec: the environment is read by task_api_version(), the default is in the text.
    assert "default" not in option and "default" not in spec and "fallback" not in spec
    assert "E(SAIL_API_VERSION)" in " ".join(option["description"]) and "V(v3)." in " ".join(option["description"])


# RETURN cannot take doc fragments (ansible-doc applies them to DOCUMENTATION only): what two modules return alike is
# written in both, and kept the same here (the samples differ: each shows its own API's record).
SHARED_RETURN_VALUES = [
    (("sim_integration", "service_desk_integration"), ("record", "operations", "diff")),
    (("sim_integration_info", "service_desk_integration_info"), ("records",)),
]


@pytest.mark.parametrize("modules,keys", SHARED_RETURN_VALUES)
def test_shared_return_values_are_documented_alike(modules, keys):
    docs = [yaml.safe_load(importlib.import_module("ansible_collections.sailpoint.identitynow.plugins.modules." + m).RETURN)
            for m in modules]
    for key in keys:
        first, second = (dict((k, v) for k, v in doc[key].items() if k != "sample") for doc in docs)
        assert first == second, key
