# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The QA-style matrix of issue 11, over real HTTP on both code paths (the `path` fixture):

- check mode vs real run, for every operation, response shape (plain, --strict-dto) and API version;
- round trip info -> sim_integration as a no-op, for every shape and API version;
- faults on every method (GET, POST, PATCH, PUT, DELETE): 503 bursts, resets before and after, 429 with Retry-After 0;
- secrets at every depth and type in diff, operations, record and invocation, for every shape.

Bad input x option lives in test_bad_input.py, more secrets in test_secrets.py. The emulators are shared per
session (reset per test) and the client's waits are recorded instead of slept, so this stays fast.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import API_VERSIONS

PREFIX = {"v1": "/sim-integrations/v1"}
SEED = {"name": "SNOW", "description": "old", "cluster": "c1", "sources": ["s1", "s2"],
        "attributes": {"url": "https://acme.service-now.com", "username": "svc", "password": "Mx-Pass-1"},
        "statusMap": {"requested": "Queued", "closed_complete": "Committed"}}
OPERATIONS = {
    "create": (False, {"name": "SNOW", "description": "d", "attributes": {"url": "https://x", "password": "Mx-Pass-2"}}),
    "update": (True, {"name": "SNOW", "description": "new", "sources": ["s3"], "attributes": {"url": "https://y", "username": None}}),
    "no-op": (True, {"name": "SNOW", "description": "old", "sources": ["s2", "s1"]}),
    "put": (True, {"name": "SNOW", "description": "put", "update_method": "put", "attributes": {"password": "Mx-Pass-1"},
                   "status_map": {"closed_complete": "Committed"}, "request": {}}),
    "rule": (True, {"name": "SNOW", "before_provisioning_rule": {"id": "r9", "name": "R"}}),
    "delete": (True, {"name": "SNOW", "state": "absent"}),
}


def _prefix(version):
    return PREFIX.get(version, "/%s/sim-integrations" % version)


@pytest.fixture(params=["plain", "strict"])
def server(request, emu, strict_emu):
    return emu if request.param == "plain" else strict_emu


@pytest.mark.parametrize("version", API_VERSIONS)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_check_mode_matches_the_real_run(server, path, writes, version, operation):
    exists, args = OPERATIONS[operation]
    if exists:
        server.seed(SEED)
    before = server.integrations()
    args = dict(args, api_version=version)
    predicted = path("sim_integration", args, server, check_mode=True, diff=True)
    assert not predicted.get("failed"), predicted
    assert writes(server) == [] and server.integrations() == before  # check mode sends no write
    real = path("sim_integration", args, server, diff=True)
    assert not real.get("failed"), real
    for key in ("changed", "operations", "diff"):
        assert predicted[key] == real[key], key
    if real["record"] is None:
        assert predicted["record"] is None
    else:
        shown = dict((k, v) for k, v in predicted["record"].items() if k != "id" and real["record"].get(k) != v)
        assert shown == {}, "check mode shows what the real run does not return"
    assert (writes(server) == []) is (operation == "no-op")
    assert all(p.startswith(_prefix(version)) for _m, p in server.calls() if p != "/oauth/token")
    server.clear_calls()
    again = path("sim_integration", args, server)  # converged: a second run is a no-op
    assert again["changed"] is False and writes(server) == []


@pytest.mark.parametrize("version", API_VERSIONS)
def test_round_trip_is_a_no_op(server, path, writes, version):
    server.seed(dict(SEED, request={}, beforeProvisioningRule={"type": "RULE", "id": "r1", "name": "R"}))
    server.seed({"name": "Bare", "statusMap": {}})
    records = path("sim_integration_info", {"api_version": version}, server)["records"]
    assert [r["name"] for r in records] == ["Bare", "SNOW"]
    server.clear_calls()
    for record in records:
        result = path("sim_integration", dict(record, api_version=version), server)
        assert result["changed"] is False and not result.get("failed"), (record, result)
    assert writes(server) == []


SNOW = {"name": "SNOW", "description": "d", "attributes": {"url": "https://x", "password": "Mx-Fault-1"}}
# method -> (exists before, args, the path the fault is put on: "list" or "item")
METHODS = {
    "GET": (False, SNOW, "list"),
    "POST": (False, SNOW, "list"),
    "PATCH": (True, dict(SNOW, description="patched"), "item"),
    "PUT": (True, dict(SNOW, description="put", update_method="put", status_map={"closed_complete": "Committed"}, request={}), "item"),
    "DELETE": (True, {"name": "SNOW", "state": "absent"}, "item"),
}
FAULTS = {
    "503x3": {"status": 503, "times": 3},
    "reset-before": {"reset": "before", "times": 2},
    "reset-after": {"reset": "after", "times": 2},
    "429-retry-after-0": {"status": 429, "retry_after": "0", "times": 2},
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("method", sorted(METHODS))
def test_faults_on_every_method(emu, path, waits, method, fault):
    exists, args, where = METHODS[method]
    seeded = emu.seed(SNOW) if exists else None
    target = "/v2024/sim-integrations" + ("/" + seeded["id"] if where == "item" else "")
    emu.faults(dict(FAULTS[fault], method=method, path=target))
    result = path("sim_integration", args, emu)
    assert result["changed"] and not result.get("failed"), result
    stored = emu.integrations()
    if method == "DELETE":
        assert stored == []
    else:
        assert len(stored) == 1, "never a duplicate"
        assert stored[0]["description"] == args["description"] and stored[0]["attributes"]["password"] == "Mx-Fault-1"
    assert len(waits) <= 5 and all(w >= 0.5 for w in waits)
    assert "Mx-Fault-1" not in result["_raw"]


SECRETS = {
    "string": {"password": "Mx-S-String-1"},
    "list": {"apiKeys": ["Mx-S-List-1", "Mx-S-List-2"]},
    "dict": {"credentials": {"user": "Mx-S-User-1", "pass": "Mx-S-Dict-1"}},
    "nested": {"oauth": {"client_id": "cid", "client_secret": "Mx-S-Nested-1"}},
    "number": {"pin_token": 8765432109},
    "in a list": {"servers": [{"host": "h", "password": "Mx-S-InList-1"}]},
}


def _secret_strings(value, under=False):
    from ansible_collections.sailpoint.identitynow.plugins.module_utils._records import secret_values
    return secret_values(value, under)


@pytest.mark.parametrize("kind", sorted(SECRETS))
@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "real"])
def test_secrets_in_diff_operations_record_and_invocation(server, path, kind, check_mode):
    attributes = dict(SECRETS[kind], url="https://x")
    secrets = _secret_strings(attributes)
    assert secrets
    created = path("sim_integration", {"name": "SNOW", "attributes": attributes}, server, check_mode=check_mode, diff=True)
    if not check_mode:
        again = path("sim_integration", {"name": "SNOW", "attributes": attributes}, server, diff=True)
        assert again["changed"] is False, again["operations"]
    forced = path("sim_integration", {"name": "SNOW", "description": "x", "attributes": attributes, "update_write_only": "always"},
                  server, check_mode=check_mode, diff=True)
    for result in (created, forced):
        assert not result.get("failed"), result
        assert "invocation" in result
        for secret in secrets:
            assert secret not in result["_raw"], (secret, kind)


# The live-API variants of issue 12 that CI runs the integration targets against.
VARIANTS = {
    "default": {},
    "rest-replace-top-mask-array": {"status_codes": "rest", "patch_ops": "replace", "patch_paths": "top", "secrets": "mask", "patch_body": "array"},
    "operations-body": {"patch_body": "operations"},
    "strict-top": {"strict_dto": True, "patch_paths": "top"},
    "duplicate-409": {"duplicate_status": 409},
}
FULL_ATTRIBUTES = {"url": "https://a", "username": "svc", "password": "Var-Pass-1", "oauth": {"client_id": "c", "client_secret": "Var-Nested-2"}}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_variant_is_idempotent_honest_and_loses_nothing(start_emulator, path, writes, variant):
    emu = start_emulator(**VARIANTS[variant])
    steps = [
        {"name": "SNOW", "description": "d", "sources": ["s1"], "attributes": FULL_ATTRIBUTES,
         "status_map": {"requested": "Queued", "closed_complete": "Committed"}},
        {"name": "SNOW", "description": "e", "sources": ["s1", "s2"], "attributes": dict(FULL_ATTRIBUTES, url="https://b", username=None)},
        {"name": "SNOW", "before_provisioning_rule": {"id": "r1", "name": "R"}},
        {"name": "SNOW", "description": "f", "update_method": "put", "attributes": dict(FULL_ATTRIBUTES, username=None),
         "status_map": {"requested": "Queued", "closed_complete": "Committed"}, "request": {}},
        {"name": "SNOW", "state": "absent"},
    ]
    for args in steps:
        before = emu.integrations()
        emu.clear_calls()
        predicted = path("sim_integration", args, emu, check_mode=True, diff=True)
        assert not predicted.get("failed"), (args, predicted)
        assert writes(emu) == [] and emu.integrations() == before
        real = path("sim_integration", args, emu, diff=True)
        assert not real.get("failed"), (args, real)
        assert real["changed"] and predicted["changed"] and predicted["diff"] == real["diff"]
        emu.clear_calls()
        again = path("sim_integration", args, emu)
        assert again["changed"] is False and writes(emu) == [], (args, again)
        stored = emu.integrations()
        if args.get("state") == "absent":
            assert stored == []
            continue
        assert len(stored) == 1
        attributes = stored[0]["attributes"]
        assert attributes["password"] == "Var-Pass-1" and attributes["oauth"]["client_secret"] == "Var-Nested-2", "a stored secret was lost"
        assert "********" not in str(stored)
        for option, field in (("description", "description"), ("sources", "sources")):
            if option in args:
                assert stored[0][field] == args[option]
        for result in (predicted, real, again):
            assert "Var-Pass-1" not in result["_raw"] and "Var-Nested-2" not in result["_raw"]
