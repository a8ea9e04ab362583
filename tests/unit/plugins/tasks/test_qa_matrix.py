# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The QA-style matrix of issue 11, over real HTTP on both code paths (the `path` fixture), for SIM integrations and
Service Desk integrations (the `resource` fixture, issue 13):

- check mode vs real run, for every operation, response shape (plain, --strict-dto for SIM) and API version
  (Service Desk beta lists no id: read and found by name, written by id);
- round trip info -> the integration module as a no-op, for every shape and API version;
- faults on every method (GET, POST, PATCH, PUT, DELETE): 503 bursts, resets before and after (a lost answer to a
  create never duplicates), 429 with Retry-After 0;
- secrets at every depth and type in diff, operations, record and invocation, for every shape.

Bad input x option lives in test_bad_input.py, more secrets in test_secrets.py. The emulators are shared per
session (reset per test) and the client's waits are recorded instead of slept, so this stays fast.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.sailpoint.identitynow.plugins.module_utils._options import API_VERSIONS, SERVICE_DESK_API_VERSIONS

VERSIONS = {"sim": API_VERSIONS, "sdim": SERVICE_DESK_API_VERSIONS}
# (resource, response shape): --strict-dto is a SIM switch, the Service Desk endpoints answer alike either way.
SHAPES = [("sim", "plain"), ("sim", "strict"), ("sdim", "plain")]
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
SD_SEED = {"name": "SNOW", "description": "old", "type": "ServiceNowSDIM", "ownerRef": {"type": "IDENTITY", "id": "o1"},
           "clusterRef": {"type": "CLUSTER", "id": "c1"},
           "provisioningConfig": {"managedResourceRefs": [{"type": "SOURCE", "id": "s1"}, {"type": "SOURCE", "id": "s2"}],
                                  "provisioningRequestExpiration": 7},
           "attributes": {"url": "https://acme.service-now.com", "username": "svc", "password": "Mx-Pass-1"}}
SD_OPERATIONS = {
    "create": (False, {"name": "SNOW", "description": "d", "cluster": "c1", "attributes": {"url": "https://x", "password": "Mx-Pass-2"}}),
    "update": (True, {"name": "SNOW", "description": "new", "managed_sources": ["s3"], "owner": "o2",
                      "attributes": {"url": "https://y", "username": None, "password": "Mx-Pass-1"}}),
    "no-op": (True, {"name": "SNOW", "description": "old", "managed_sources": ["s2", "s1"], "owner": "o1", "cluster": "c1",
                     "provisioning_request_expiration": 7}),
    "put": (True, {"name": "SNOW", "description": "put", "update_method": "put", "attributes": {"password": "Mx-Pass-1"}}),
    "rule": (True, {"name": "SNOW", "before_provisioning_rule": {"id": "r9", "name": "R"}}),
    "provisioning": (True, {"name": "SNOW", "plan_initializer_script": "<Rule/>", "no_provisioning_requests": True,
                            "provisioning_request_expiration": 1}),
    "delete": (True, {"name": "SNOW", "state": "absent"}),
}
TABLES = {"sim": (SEED, OPERATIONS), "sdim": (SD_SEED, SD_OPERATIONS)}
CHECK_CASES = [(r, shape, v, op) for r, shape in SHAPES for v in VERSIONS[r] for op in sorted(TABLES[r][1])]


@pytest.fixture(params=["plain", "strict"])
def server(request, emu, strict_emu):
    return emu if request.param == "plain" else strict_emu


def _existing(resource, server, args, version):
    """Seed the integration; Service Desk beta lists no id, so its writes go by id (by name they are refused)."""
    seeded = resource.seed(server, TABLES[resource.key][0])
    return dict(args, id=seeded["id"]) if resource.key == "sdim" and version == "beta" else args


@pytest.mark.parametrize("resource,server,version,operation", CHECK_CASES, indirect=["resource", "server"])
def test_check_mode_matches_the_real_run(resource, server, path, writes, version, operation):
    exists, args = TABLES[resource.key][1][operation]
    if exists:
        args = _existing(resource, server, args, version)
    before = resource.stored(server)
    args = dict(args, api_version=version)
    predicted = path(resource.module, args, server, check_mode=True, diff=True)
    assert not predicted.get("failed"), predicted
    assert writes(server) == [] and resource.stored(server) == before  # check mode sends no write
    real = path(resource.module, args, server, diff=True)
    assert not real.get("failed"), real
    for key in ("changed", "operations", "diff"):
        assert predicted[key] == real[key], key
    if real["record"] is None:
        assert predicted["record"] is None
    else:
        shown = dict((k, v) for k, v in predicted["record"].items() if k != "id" and real["record"].get(k) != v)
        assert shown == {}, "check mode shows what the real run does not return"
    assert (writes(server) == []) is (operation == "no-op")
    assert all(p.startswith(resource.prefix(version)) for _m, p in server.calls() if p != "/oauth/token")
    server.clear_calls()
    again = path(resource.module, args, server)  # converged: a second run is a no-op
    assert again["changed"] is False and writes(server) == []


# Every field the module manages, set, and one with (nearly) nothing set.
FULL = {
    "sim": [dict(SEED, request={}, beforeProvisioningRule={"type": "RULE", "id": "r1", "name": "R"}), {"name": "Bare", "statusMap": {}}],
    "sdim": [dict(SD_SEED, beforeProvisioningRule={"type": "RULE", "id": "r1", "name": "R"},
                  provisioningConfig=dict(SD_SEED["provisioningConfig"], planInitializerScript={"source": "<Rule/>"},
                                          noProvisioningRequests=True)),
             {"name": "Bare", "description": "", "type": "ServiceNowSDIM", "attributes": {}}],
}


@pytest.mark.parametrize("resource,server,version", [(r, shape, v) for r, shape in SHAPES for v in VERSIONS[r]],
                         indirect=["resource", "server"])
def test_round_trip_is_a_no_op(resource, server, path, writes, version):
    for body in FULL[resource.key]:
        resource.seed(server, body)
    records = path(resource.info, {"api_version": version}, server)["records"]
    assert [r["name"] for r in records] == ["Bare", "SNOW"]
    server.clear_calls()
    for record in records:
        result = path(resource.module, dict(record, api_version=version), server)
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
SD_METHODS = dict(METHODS, PUT=(True, dict(SNOW, description="put", update_method="put"), "item"))
FAULT_TABLES = {"sim": (SNOW, METHODS, "v2024"), "sdim": (dict(SNOW, type="ServiceNowSDIM"), SD_METHODS, "v3")}
FAULTS = {
    "503x3": {"status": 503, "times": 3},
    "reset-before": {"reset": "before", "times": 2},
    "reset-after": {"reset": "after", "times": 2},
    "429-retry-after-0": {"status": 429, "retry_after": "0", "times": 2},
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("method", sorted(METHODS))
def test_faults_on_every_method(emu, path, resource, waits, method, fault):
    seed, methods, version = FAULT_TABLES[resource.key]
    exists, args, where = methods[method]
    seeded = resource.seed(emu, seed) if exists else None
    target = resource.prefix(version) + ("/" + seeded["id"] if where == "item" else "")
    emu.faults(dict(FAULTS[fault], method=method, path=target))
    result = path(resource.module, args, emu)
    assert result["changed"] and not result.get("failed"), result
    stored = resource.stored(emu)
    if method == "DELETE":
        assert stored == []
    else:
        assert len(stored) == 1, "never a duplicate"
        assert stored[0]["description"] == args["description"] and stored[0]["attributes"]["password"] == "Mx-Fault-1"
    assert len(waits) <= 5 and all(w >= 0.5 for w in waits)
    assert "Mx-Fault-1" not in result["_raw"]


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_faults_on_the_status_check(emu, path, waits, method, fault):
    status = "/v3/service-desk-integrations/status-check-configuration"
    emu.faults(dict(FAULTS[fault], method=method, path=status))
    result = path("service_desk_status_check", {"provisioning_status_check_interval_minutes": 17}, emu)
    assert result["changed"] and not result.get("failed"), result
    assert emu.admin.state()["service_desk_status_check"]["provisioningStatusCheckIntervalMinutes"] == "17"
    assert len(waits) <= 5 and all(w >= 0.5 for w in waits)


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
@pytest.mark.parametrize("resource,server", SHAPES, indirect=True)
def test_secrets_in_diff_operations_record_and_invocation(resource, server, path, kind, check_mode):
    attributes = dict(SECRETS[kind], url="https://x")
    secrets = _secret_strings(attributes)
    assert secrets
    args = dict(resource.required, name="SNOW", attributes=attributes)
    created = path(resource.module, args, server, check_mode=check_mode, diff=True)
    if not check_mode:
        again = path(resource.module, args, server, diff=True)
        assert again["changed"] is False, again["operations"]
    forced = path(resource.module, dict(args, description="x", update_write_only="always"), server, check_mode=check_mode, diff=True)
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
