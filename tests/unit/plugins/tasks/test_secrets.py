# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets at every depth and of every type, on both code paths, over real HTTP (issue 11, defects 1 and 3), for SIM and
Service Desk integrations alike (the `resource` fixture; issue 13)."""

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
def test_secret_never_printed_and_write_only_at_any_depth(emu, path, resource, case, attributes, secrets):
    args = {"name": "SNOW", "description": "d", "attributes": dict(attributes, url="https://acme.service-now.com")}
    predicted = path(resource.module, args, emu, check_mode=True, diff=True)
    assert predicted["changed"] and resource.stored(emu) == []
    _assert_hidden(predicted, secrets)
    created = path(resource.module, args, emu, diff=True)
    assert created["changed"] and not created.get("failed"), created
    _assert_hidden(created, secrets)
    stored = resource.stored(emu)[0]["attributes"]
    assert dict((k, stored[k]) for k in attributes) == attributes  # sent in full at create
    emu.clear_calls()
    again = path(resource.module, args, emu, diff=True)  # the API hides them: nothing to compare, nothing to send
    assert again["changed"] is False and again["operations"] == [], (case, again["operations"])
    _assert_hidden(again, secrets)
    for check_mode in (True, False):
        forced = path(resource.module, dict(args, update_write_only="always"), emu, check_mode=check_mode, diff=True)
        assert forced["changed"] and forced["operations"]
        _assert_hidden(forced, secrets)
        assert "********" in str(forced["operations"]) and "********" in str(forced["diff"])
    assert resource.stored(emu)[0]["attributes"]["url"] == "https://acme.service-now.com"
    listed = path(resource.info, {"name": "SNOW"}, emu)
    assert [r["name"] for r in listed["records"]] == ["SNOW"]
    _assert_hidden(listed, secrets)


# A value each module refuses before any request, to see the invocation a failing task echoes.
FAILING = {
    "sim": ({"status_map": {"x": "Done"}}, "status_map.x"),
    "sdim": ({"managed_sources": ["s1", " "]}, "managed_sources[1]"),
}


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "real"])
@pytest.mark.parametrize("case,attributes,secrets", SECRETS, ids=IDS)
def test_secret_hidden_when_the_task_fails(emu, path, resource, case, attributes, secrets, check_mode):
    """A failing task echoes its invocation: the secrets there are masked too."""
    bad, option = FAILING[resource.key]
    result = path(resource.module, dict(bad, name="SNOW", description="d", attributes=attributes), emu, check_mode=check_mode)
    assert result["failed"] and result["option"] == option
    _assert_hidden(result, secrets)


@pytest.mark.parametrize("case,attributes,secrets", SECRETS, ids=IDS)
def test_secret_hidden_when_the_service_refuses(start_emulator, path, resource, case, attributes, secrets):
    """A failure after requests (a 400 naming the field) carries no secret: not in the message, nor the invocation."""
    server = start_emulator(return_secrets=True)
    server.faults({"method": "POST", "path": resource.prefix(resource.versions[0] if resource.key == "sdim" else "v2024"),
                   "status": 400, "times": 1})
    result = path(resource.module, {"name": "SNOW", "description": "d", "attributes": attributes}, server)
    assert result.get("failed") and "400" in result["msg"], result
    _assert_hidden(result, secrets)


def test_nested_secret_change_elsewhere_keeps_the_hidden_secret(emu, path):
    """Changing a visible nested key patches that key only: the hidden sibling secret is never erased."""
    args = {"name": "SNOW", "attributes": {"oauth": {"client_id": "cid-1", "client_secret": "Kept-Secret-1234"}}}
    path("sim_integration", args, emu)
    result = path("sim_integration", {"name": "SNOW", "attributes": {"oauth": {"client_id": "cid-2"}}}, emu, diff=True)
    assert result["changed"] and result["operations"] == [{"op": "replace", "path": "/attributes/oauth/client_id", "value": "cid-2"}]
    assert emu.integrations()[0]["attributes"]["oauth"] == {"client_id": "cid-2", "client_secret": "Kept-Secret-1234"}


def test_null_removes_a_hidden_secret(emu, path, resource):
    """`null` removes a password-like key the API does not show; the other attributes stay."""
    path(resource.module, {"name": "SNOW", "description": "d", "attributes": {"url": "https://x", "password": "Gone-Pass-1"}}, emu)
    args = {"name": "SNOW", "attributes": {"password": None}}
    predicted = path(resource.module, args, emu, check_mode=True, diff=True)
    real = path(resource.module, args, emu, diff=True)
    assert real["changed"] and predicted["changed"] and predicted["operations"] == real["operations"], (predicted, real)
    assert resource.stored(emu)[0]["attributes"] == {"url": "https://x"}
    again = path(resource.module, args, emu)  # documented (docs/guarantees.md): it cannot be seen, so it is sent again
    assert again["changed"] and not again.get("failed") and resource.stored(emu)[0]["attributes"] == {"url": "https://x"}


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "real"])
def test_put_refuses_to_erase_a_secret_it_is_not_given(emu, path, resource, check_mode):
    attributes = {"url": "https://x", "password": "Put-Pass-1", "oauth": {"client_id": "c", "client_secret": "Put-Nested-2"}}
    path(resource.module, {"name": "SNOW", "description": "d", "attributes": attributes}, emu)
    emu.clear_calls()
    refused = path(resource.module, {"name": "SNOW", "description": "put", "update_method": "put"}, emu, check_mode=check_mode)
    assert refused.get("failed") and refused["option"] == "update_method", refused
    assert "update_method=patch" in refused["msg"]
    assert [c for c in emu.calls() if c[0] != "GET" and c[1] != "/oauth/token"] == []
    assert resource.stored(emu)[0]["attributes"] == attributes and resource.stored(emu)[0]["description"] == "d"
    _assert_hidden(refused, ["Put-Pass-1", "Put-Nested-2"])


def test_service_desk_change_elsewhere_keeps_the_hidden_secrets(emu, path):
    """Service Desk attributes are replaced whole: a change elsewhere keeps every hidden secret, a change of a visible
    nested key without any secret is refused (the service does not say which it holds), with them passed it is made."""
    attributes = {"url": "https://x", "password": "Sd-Pass-1", "oauth": {"client_id": "cid-1", "client_secret": "Sd-Nested-2"},
                  "servers": [{"host": "h", "password": "Sd-InList-3"}]}
    path("service_desk_integration", {"name": "SNOW", "description": "d", "attributes": attributes}, emu)
    for args in ({"description": "e"}, {"owner": "o-2", "cluster": "c-2", "managed_sources": ["s9"]},
                 {"before_provisioning_rule": {"id": "r1"}}, {"provisioning_request_expiration": 3}):
        changed = path("service_desk_integration", dict(args, name="SNOW"), emu, diff=True)
        assert changed["changed"] and "/attributes" not in [op["path"] for op in changed["operations"]], (args, changed)
        assert resource_attributes(emu) == attributes
    emu.clear_calls()
    refused = path("service_desk_integration", {"name": "SNOW", "attributes": {"oauth": {"client_id": "cid-2"}}}, emu)
    assert refused.get("failed") and refused["option"] == "attributes" and "pass them in attributes" in refused["msg"], refused
    assert [c for c in emu.calls() if c[0] != "GET" and c[1] != "/oauth/token"] == [] and resource_attributes(emu) == attributes
    given = {"password": "Sd-Pass-1", "oauth": {"client_id": "cid-2", "client_secret": "Sd-Nested-2"},
             "servers": [{"host": "h", "password": "Sd-InList-3"}]}
    done = path("service_desk_integration", {"name": "SNOW", "attributes": given}, emu, diff=True)
    assert done["changed"] and not done.get("failed"), done
    assert resource_attributes(emu) == dict(attributes, oauth={"client_id": "cid-2", "client_secret": "Sd-Nested-2"})
    _assert_hidden(done, ["Sd-Pass-1", "Sd-Nested-2", "Sd-InList-3"])


def resource_attributes(emu):
    return emu.service_desks()[0]["attributes"]


def test_strict_dto_hides_nested_secrets_alike(strict_emu, path):
    args = {"name": "SNOW", "attributes": {"oauth": {"client_id": "c", "client_secret": "Strict-Nested-5678"}, "apiKeys": ["Strict-Key-1"]}}
    assert path("sim_integration", args, strict_emu)["changed"]
    again = path("sim_integration", args, strict_emu, diff=True)
    assert again["changed"] is False
    assert "Strict-Nested-5678" not in again["_raw"] and "Strict-Key-1" not in again["_raw"]
