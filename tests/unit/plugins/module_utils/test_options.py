# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
import yaml

from ansible_collections.sailpoint.identitynow.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.sailpoint.identitynow.plugins.module_utils import _options as options
from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import OptionError

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


@pytest.mark.parametrize("url,expected", [
    ("https://acme.api.identitynow.com", "https://acme.api.identitynow.com"),
    ("https://acme.api.identitynow.com/", "https://acme.api.identitynow.com"),
    (" https://acme.api.identitynow.com// ", "https://acme.api.identitynow.com"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ("http://localhost:1", "http://localhost:1"),
])
def test_base_url_normalised(url, expected):
    assert options.normalize_base_url(url) == expected


@pytest.mark.parametrize("url,needle", [
    ("https://acme.api.identitynow.com/v2024", "set base_url to 'https://acme.api.identitynow.com'"),
    ("https://acme.api.identitynow.com/beta/", "api_version"),
    ("https://acme.api.identitynow.com/v3", "api_version"),
    ("https://acme.api.identitynow.com/sim-integrations/v1", "api_version"),
    ("acme.api.identitynow.com", "not an http(s) URL"),
    ("http://acme.api.identitynow.com", "allow_insecure_http"),
    ("", "SAIL_BASE_URL"),
    (None, "SAIL_BASE_URL"),
])
def test_base_url_refused_with_the_fix(url, needle):
    with pytest.raises(OptionError) as e:
        options.normalize_base_url(url)
    assert e.value.option == "base_url" and needle in str(e.value)


def test_insecure_http_opt_in():
    assert options.normalize_base_url("http://sail.example.com", allow_insecure_http=True) == "http://sail.example.com"


BASE = dict(base_url="https://a.api.identitynow.com", client_id=None, client_secret=None, access_token=None,
            validate_certs=True, ca_path=None, timeout=30, max_retries=5, retry_max_wait=120, allow_insecure_http=False)


@pytest.mark.parametrize("params,option", [
    (dict(), "client_id"),
    (dict(client_id="x"), "client_secret"),
    (dict(client_secret="x"), "client_id"),
    (dict(access_token="t", timeout=0), "timeout"),
    (dict(access_token="t", max_retries=-1), "max_retries"),
])
def test_credentials_and_numbers_checked(params, option):
    with pytest.raises(OptionError) as e:
        options.client_kwargs(dict(BASE, **params))
    assert e.value.option == option


def test_ca_path_becomes_verify(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    kw = options.client_kwargs(dict(BASE, client_id="i", client_secret="s", ca_path=str(ca)))
    assert kw["verify"] == str(ca)
    kw = options.client_kwargs(dict(BASE, access_token="t", validate_certs=False, ca_path="/missing/ca.pem"))
    assert kw["verify"] is False


def test_missing_ca_path_is_an_option_error():
    with pytest.raises(OptionError) as e:
        options.client_kwargs(dict(BASE, access_token="t", ca_path="/missing/ca.pem"))
    assert e.value.option == "ca_path" and "no such file '/missing/ca.pem'" in str(e.value)


def test_argspec_has_env_fallbacks_and_no_log():
    spec = options.connection_argspec()
    for name, option in options.CONNECTION_OPTIONS.items():
        assert "env" not in spec[name]
        if name == "api_version":  # resolved per resource by task_api_version(): no default, no fallback here
            assert "fallback" not in spec[name] and "default" not in spec[name]
            continue
        assert spec[name]["fallback"][1] == [option["env"]]
    assert spec["client_secret"]["no_log"] and spec["access_token"]["no_log"]


def test_doc_fragment_matches_the_options_table():
    doc = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert set(doc) == set(options.CONNECTION_OPTIONS)
    for name, option in options.CONNECTION_OPTIONS.items():
        assert doc[name]["type"] == option["type"], name
        assert doc[name].get("default") == option.get("default"), name
        assert doc[name].get("choices") == option.get("choices"), name
        assert "E(%s)" % option["env"] in " ".join(doc[name]["description"]), name


def test_plugins_doc_fragment_matches_the_options_table():
    doc = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]
    assert tuple(doc) == options.PLUGIN_OPTIONS
    for name in options.PLUGIN_OPTIONS:
        option = options.CONNECTION_OPTIONS[name]
        assert doc[name]["type"] == option["type"], name
        assert doc[name].get("default") == option.get("default"), name
        assert doc[name]["env"] == [{"name": option["env"]}], name


def test_the_version_in_code_is_the_version_in_galaxy_yml():
    from ansible_collections.sailpoint.identitynow.plugins.module_utils._version import COLLECTION_VERSION
    with open(os.path.join(ROOT, "galaxy.yml")) as f:
        assert yaml.safe_load(f)["version"] == COLLECTION_VERSION


def _modules():
    return sorted(n[:-3] for n in os.listdir(os.path.join(ROOT, "plugins", "modules")) if n.endswith(".py") and n != "__init__.py")


def _groups():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as f:
        return yaml.safe_load(f)["action_groups"]


def test_every_module_is_in_the_identitynow_action_group():
    assert _modules() and sorted(_groups()["identitynow"]) == _modules()


def test_the_sim_action_group_holds_the_sim_modules():
    assert sorted(_groups()["sim"]) == [m for m in _modules() if m.startswith("sim_")]


@pytest.mark.parametrize("module", _modules())
def test_each_module_extends_the_fragment_of_each_of_its_groups(module):
    """What antsibull-nox's action-group check looks for: one fragment per group the module is in."""
    import importlib
    docs = yaml.safe_load(importlib.import_module("ansible_collections.sailpoint.identitynow.plugins.modules." + module).DOCUMENTATION)
    fragments = docs["extends_documentation_fragment"]
    assert "sailpoint.identitynow.attributes.ACTION_GROUP_IDENTITYNOW" in fragments
    assert ("sailpoint.identitynow.attributes.ACTION_GROUP" in fragments) == module.startswith("sim_")
