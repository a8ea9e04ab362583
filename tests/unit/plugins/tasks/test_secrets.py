# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets at every depth and of every type, on both code paths, over real HTTP (issue 11, defects 1 and 3)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

# attributes holding secrets: (case, attributes, the secret strings that must never be printed)
SECRETS = [
    ("string", {"password": "Plain-Pass-8888"}, ["Plain-Pass-8888"]),
    ("list", {"apiKeys": ["Key-Alpha-1111", "Key-Beta-2222"]}, ["Key-Alpha-1111", "Key-Beta-2222"]),
    ("dict", {"credentials": {"user": "svc-user-3333", "pass": "Pass-Gamma-4444"}}, ["svc-user-3333", "Pass-Gamma-4444"]),
    ("nested", {"oauth": {"client_id": "cid-5555", "client_secret": "Nested-Secret-6666"}}, ["Nested-Secret-6666"]),
    ("number", {"pin_token": 987654321}, ["987654321"]),
    ("list of dicts", {"servers": [{"host": "h1.example.com", "password": "Deep-Pass-7777"}]}, ["Deep-Pass-7777"]),
    ("deep", {"a": {"b": {"c": {"privateKey": {"pem": "Pem-Block-9999", "ids": [1234567]}}}}}, ["Pem-Block-9999", "1234567"]),
]
IDS = [case[0] for case in SECRETS]


def _assert_hidden(result, secrets):
    for secret in secrets:
        assert secret not in result["_raw"], (secret, result["_raw"])


@pytest.mark.parametrize("case,attributes,secrets", SECRETS, ids=IDS)
def test_secret_never_printed_and_write_only_at_any_depth(emu, path, case, attributes, secrets):
    args = {"name": "SNOW", "description": "d", "attributes": dict(attributes, url="https://acme.service-now.com")}
    predicted = path("sim_integration", args, emu, check_mode=True, diff=True)
    assert predicted["changed"] and emu.integrations() == []
    _assert_hidden(predicted, secrets)
    created = path("sim_integration", args, emu, diff=True)
    assert created["changed"] and not created.get("failed"), created
    _assert_hidden(created, secrets)
    stored = emu.integrations()[0]["attributes"]
    assert dict((k, stored[k]) for k in attributes) == attributes  # sent in full at create
    emu.clear_calls()
    again = path("sim_integration", args, emu, diff=True)  # the API hides them: nothing to compare, nothing to send
    assert again["changed"] is False and again["operations"] == [], (case, again["operations"])
    _assert_hidden(again, secrets)
    forced = path("sim_integration", dict(args, update_write_only="always"), emu, diff=True)
    assert forced["changed"] and forced["operations"]
    _assert_hidden(forced, secrets)
    assert "********" in str(forced["operations"]) and "********" in str(forced["diff"])
    assert emu.integrations()[0]["attributes"]["url"] == "https://acme.service-now.com"


@pytest.mark.parametrize("case,attributes,secrets", SECRETS, ids=IDS)
def test_secret_hidden_when_the_task_fails(emu, path, case, attributes, secrets):
    """A failing task echoes its invocation: the secrets there are masked too."""
    result = path("sim_integration", {"name": "SNOW", "attributes": attributes, "status_map": {"x": "Done"}}, emu)
    assert result["failed"] and result["option"] == "status_map.x"
    _assert_hidden(result, secrets)


def test_nested_secret_change_elsewhere_keeps_the_hidden_secret(emu, path):
    """Changing a visible nested key patches that key only: the hidden sibling secret is never erased."""
    args = {"name": "SNOW", "attributes": {"oauth": {"client_id": "cid-1", "client_secret": "Kept-Secret-1234"}}}
    path("sim_integration", args, emu)
    result = path("sim_integration", {"name": "SNOW", "attributes": {"oauth": {"client_id": "cid-2"}}}, emu, diff=True)
    assert result["changed"] and result["operations"] == [{"op": "replace", "path": "/attributes/oauth/client_id", "value": "cid-2"}]
    assert emu.integrations()[0]["attributes"]["oauth"] == {"client_id": "cid-2", "client_secret": "Kept-Secret-1234"}


def test_strict_dto_hides_nested_secrets_alike(strict_emu, path):
    args = {"name": "SNOW", "attributes": {"oauth": {"client_id": "c", "client_secret": "Strict-Nested-5678"}, "apiKeys": ["Strict-Key-1"]}}
    assert path("sim_integration", args, strict_emu)["changed"]
    again = path("sim_integration", args, strict_emu, diff=True)
    assert again["changed"] is False
    assert "Strict-Nested-5678" not in again["_raw"] and "Strict-Key-1" not in again["_raw"]
