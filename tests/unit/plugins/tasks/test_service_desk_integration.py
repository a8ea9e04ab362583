# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""service_desk_integration and service_desk_integration_info over real HTTP against the emulator, on both code
paths: the requests each case sends (create, no-op, update, delete), check mode, secrets, PUT, paging and filters."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

P = "/v3/service-desk-integrations"
TOKEN = ("POST", "/oauth/token")
PASSWORD = "Sdim-Pa55-9d1e"
NESTED = "Sdim-Nested-4c7b"

BASE = {
    "name": "SNOW", "description": "Tickets", "type": "ServiceNowSDIM", "owner": "owner-1", "cluster": "cluster-1",
    "managed_sources": ["src-1", "src-2"], "no_provisioning_requests": False, "provisioning_request_expiration": 7,
    "attributes": {"url": "https://acme.service-now.com", "username": "svc", "password": PASSWORD},
}


@pytest.fixture(autouse=True)
def _needs_service_desk(emu):
    # Until the emulator serving Service Desk Integrations (branch sdim-emu) is merged, there is nothing to test against.
    if "service_desk_integrations" not in emu.admin.state():
        pytest.skip("the emulator does not serve Service Desk Integrations yet")


def seed(emu, body):
    """Create one through the public API, as any client would; the request log is cleared afterwards."""
    return emu.seed_service_desk(body)


def stored(emu):
    """The emulator's stored Service Desk integrations, secrets included (out of band)."""
    return emu.service_desks()


def dto(name="SNOW", **extra):
    body = {"name": name, "description": "Tickets", "type": "ServiceNowSDIM", "clusterRef": {"type": "CLUSTER", "id": "cluster-1"},
            "ownerRef": {"type": "IDENTITY", "id": "owner-1"},
            "provisioningConfig": {"managedResourceRefs": [{"type": "SOURCE", "id": "src-1"}, {"type": "SOURCE", "id": "src-2"}],
                                   "provisioningRequestExpiration": 7},
            "attributes": {"url": "https://acme.service-now.com", "username": "svc", "password": PASSWORD}}
    body.update(extra)
    return body


def list_call():
    return ("GET", P)


def writes(emu):
    return [c for c in emu.calls() if c[0] != "GET" and c != TOKEN]


def requests_of(emu):
    return [r for r in emu.admin.requests() if r["path"] != "/oauth/token"]


# ---- the HTTP calls of each case ------------------------------------------------------------------------

def test_create_noop_update_delete_calls(emu, path):
    created = path("service_desk_integration", BASE, emu, diff=True)
    assert created["changed"] is True and created["record"]["name"] == "SNOW", created
    assert emu.calls() == [TOKEN, list_call(), ("POST", P)]
    post = requests_of(emu)[-1]["body"]
    assert post["ownerRef"] == {"type": "IDENTITY", "id": "owner-1"} and post["clusterRef"] == {"type": "CLUSTER", "id": "cluster-1"}
    assert post["provisioningConfig"]["managedResourceRefs"] == [{"type": "SOURCE", "id": "src-1"}, {"type": "SOURCE", "id": "src-2"}]
    listing = requests_of(emu)[0]
    assert "limit=250" in listing["query"] and "offset=0" in listing["query"]
    [doc] = stored(emu)
    assert doc["attributes"]["password"] == PASSWORD

    emu.clear_calls()
    again = path("service_desk_integration", dict(BASE, managed_sources=["src-2", "src-1"]), emu)
    assert again["changed"] is False and again["operations"] == [], again
    assert emu.calls() == [TOKEN, list_call()]  # no write

    emu.clear_calls()
    updated = path("service_desk_integration", dict(BASE, description="Managed", managed_sources=["src-3"], owner="owner-2"), emu, diff=True)
    item = P + "/" + doc["id"]
    assert updated["changed"] is True
    assert emu.calls() == [TOKEN, list_call(), ("PATCH", item)]
    patch = requests_of(emu)[-1]
    assert patch["content_type"].startswith("application/json-patch+json")
    assert isinstance(patch["body"], list) and all(op["op"] == "replace" and op["path"].count("/") == 1 for op in patch["body"])
    assert [op["path"] for op in patch["body"]] == ["/description", "/ownerRef", "/provisioningConfig"]
    assert updated["diff"]["before"]["description"] == "Tickets" and updated["diff"]["after"]["description"] == "Managed"
    [doc] = stored(emu)
    assert doc["description"] == "Managed" and doc["ownerRef"]["id"] == "owner-2"
    assert [r["id"] for r in doc["provisioningConfig"]["managedResourceRefs"]] == ["src-3"]
    assert doc["provisioningConfig"]["provisioningRequestExpiration"] == 7  # the rest of provisioningConfig kept
    assert doc["attributes"]["password"] == PASSWORD  # never erased
    assert updated["record"]["managed_sources"] == ["src-3"] and updated["record"]["owner"] == "owner-2"

    emu.clear_calls()
    deleted = path("service_desk_integration", {"name": "SNOW", "state": "absent"}, emu)
    assert deleted["changed"] is True and deleted["record"] is None
    assert emu.calls() == [TOKEN, list_call(), ("DELETE", item)]
    assert stored(emu) == []

    emu.clear_calls()
    gone = path("service_desk_integration", {"name": "SNOW", "state": "absent"}, emu)
    assert gone["changed"] is False and emu.calls() == [TOKEN, list_call()]


@pytest.mark.parametrize("case", ["create", "update", "delete"])
def test_check_mode_sends_no_write_and_predicts_the_real_run(emu, path, case):
    if case != "create":
        seed(emu, dto())
    args = {"create": BASE, "update": dict(BASE, description="Managed", cluster="cluster-2"),
            "delete": {"name": "SNOW", "state": "absent"}}[case]
    before = stored(emu)
    predicted = path("service_desk_integration", args, emu, check_mode=True, diff=True)
    assert writes(emu) == [] and stored(emu) == before
    real = path("service_desk_integration", args, emu, diff=True)
    for key in ("changed", "diff", "operations"):
        assert predicted[key] == real[key], key
    if case != "delete":
        drop = ("id", "created", "modified")
        assert dict((k, v) for k, v in predicted["record"].items() if k not in drop) == \
            dict((k, v) for k, v in real["record"].items() if k not in drop)


def test_info_record_reapplies_as_a_no_op(emu, path):
    seed(emu, dto(beforeProvisioningRule={"type": "RULE", "id": "rule-1", "name": "Before"},
                  provisioningConfig={"managedResourceRefs": [{"type": "SOURCE", "id": "src-1"}],
                                      "planInitializerScript": {"source": "<Rule/>"}, "noProvisioningRequests": True,
                                      "provisioningRequestExpiration": 3}))
    [record] = path("service_desk_integration_info", {"name": "SNOW"}, emu)["records"]
    assert record["plan_initializer_script"] == "<Rule/>" and record["before_provisioning_rule"] == {"id": "rule-1", "name": "Before"}
    assert "password" not in record["attributes"]
    emu.clear_calls()
    result = path("service_desk_integration", record, emu)
    assert result["changed"] is False, result
    assert writes(emu) == []


# ---- secrets ---------------------------------------------------------------------------------------------

def test_secrets_at_any_depth_never_shown_and_never_erased(emu, path):
    attributes = {"url": "https://acme.service-now.com", "password": PASSWORD,
                  "oauth": {"client_secret": NESTED, "scopes": ["a"]}, "api_tokens": [NESTED + "-list"]}
    created = path("service_desk_integration", dict(BASE, attributes=attributes), emu, diff=True)
    [doc] = stored(emu)
    assert doc["attributes"]["oauth"]["client_secret"] == NESTED and doc["attributes"]["password"] == PASSWORD
    changed = path("service_desk_integration", dict(BASE, attributes=dict(attributes, url="https://other.service-now.com")),
                   emu, diff=True)
    assert changed["changed"] is True
    for result in (created, changed):
        for secret in (PASSWORD, NESTED):
            assert secret not in result["_raw"], result["_raw"]
    [doc] = stored(emu)
    assert doc["attributes"]["url"] == "https://other.service-now.com"
    assert doc["attributes"]["password"] == PASSWORD and doc["attributes"]["oauth"]["client_secret"] == NESTED


def test_attribute_change_without_the_secrets_is_refused_before_writing(emu, path):
    seed(emu, dto())
    result = path("service_desk_integration", {"name": "SNOW", "attributes": {"url": "https://other.service-now.com"}}, emu)
    assert result.get("failed") and result.get("option") == "attributes", result
    assert "password" in result["msg"] and "pass them in attributes" in result["msg"]
    assert writes(emu) == []
    assert stored(emu)[0]["attributes"]["password"] == PASSWORD


def test_put_refuses_to_erase_and_keeps_secrets_it_is_given(emu, path):
    seed(emu, dto())
    refused = path("service_desk_integration", {"name": "SNOW", "description": "Put", "update_method": "put"}, emu)
    assert refused.get("failed") and refused.get("option") == "update_method", refused
    assert "attributes.password" in refused["msg"] and "update_method=patch" in refused["msg"]
    assert writes(emu) == []
    emu.clear_calls()
    done = path("service_desk_integration", {"name": "SNOW", "description": "Put", "update_method": "put",
                                             "attributes": {"password": PASSWORD}}, emu)
    assert done["changed"] is True
    assert [c[0] for c in writes(emu)] == ["PUT"]
    [doc] = stored(emu)
    assert doc["description"] == "Put" and doc["attributes"]["password"] == PASSWORD
    assert doc["attributes"]["url"] == "https://acme.service-now.com" and doc["ownerRef"]["id"] == "owner-1"
    assert PASSWORD not in done["_raw"]


# ---- find, versions, paging, filters --------------------------------------------------------------------

def test_a_name_matching_several_is_an_error(emu, path):
    emu.admin.call("POST", "seed", {"service_desk_integrations": [dto(), dto()]})
    result = path("service_desk_integration", dict(BASE, description="x"), emu)
    assert result.get("failed") and "2 integrations are named 'SNOW'" in result["msg"], result
    assert writes(emu) == []


@pytest.mark.parametrize("version,prefix", [("v2025", "/v2025/service-desk-integrations"), ("v1", "/service-desk-integrations/v1")])
def test_other_api_versions(emu, path, version, prefix):
    result = path("service_desk_integration", dict(BASE, api_version=version), emu)
    assert result["changed"] is True
    assert emu.calls() == [TOKEN, ("GET", prefix), ("POST", prefix)]
    emu.clear_calls()
    assert path("service_desk_integration", dict(BASE, api_version=version), emu)["changed"] is False
    assert writes(emu) == []


def test_info_pages_through_every_record(emu, path):
    emu.admin.call("POST", "seed", {"service_desk_integrations": [dto("desk-%03d" % i) for i in range(260)]})
    records = path("service_desk_integration_info", {}, emu)["records"]
    assert len(records) == 260 and records[0]["name"] == "desk-000"
    queries = [r["query"] for r in requests_of(emu)]
    assert ["offset=0" in queries[0], "offset=250" in queries[1]] == [True, True] and len(queries) == 2


@pytest.mark.parametrize("count, gets", [(250, 1), (500, 2), (0, 1)])
def test_a_full_last_page_costs_no_empty_get(emu, path, count, gets):
    """The first page asks count=true; with X-Total-Count known, an exact multiple of 250 needs no empty page to end."""
    if count:
        emu.admin.call("POST", "seed", {"service_desk_integrations": [dto("desk-%03d" % i) for i in range(count)]})
    records = path("service_desk_integration_info", {}, emu)["records"]
    queries = [r["query"] for r in requests_of(emu)]
    assert len(records) == count and len(queries) == gets and "count=true" in queries[0], queries
    assert all("count=true" not in q for q in queries[1:])


def test_info_filters_on_the_server(emu, path):
    seed(emu, dto("A"))
    seed(emu, dto("B", type="JiraSDIM", clusterRef={"type": "CLUSTER", "id": "cluster-2"}))
    result = path("service_desk_integration_info", {"type": "JiraSDIM", "cluster": "cluster-2"}, emu)
    assert [r["name"] for r in result["records"]] == ["B"]
    [listing] = requests_of(emu)
    assert 'type eq "JiraSDIM" and cluster eq "cluster-2"' in requests.utils.unquote(listing["query"])
    one = path("service_desk_integration_info", {"id": result["records"][0]["id"]}, emu)["records"]
    assert [r["name"] for r in one] == ["B"]
    assert path("service_desk_integration_info", {"id": "missing"}, emu)["records"] == []


# ---- bad input: refused before any request ---------------------------------------------------------------

BAD = [
    ({"name": " "}, "name"),
    ({"id": ""}, "id"),
    ({"name": "SNOW", "type": " "}, "type"),
    ({"name": "SNOW", "owner": ""}, "owner"),
    ({"name": "SNOW", "cluster": " "}, "cluster"),
    ({"name": "SNOW", "managed_sources": ["s1", " "]}, "managed_sources[1]"),
    ({"name": "SNOW", "attributes": {"ratio": 0.5}}, "attributes.ratio"),
    ({"name": "SNOW", "attributes": {"nested": {"a": None}}}, "attributes.nested.a"),
    ({"name": "SNOW", "provisioning_request_expiration": -1}, "provisioning_request_expiration"),
    ({"name": "SNOW", "before_provisioning_rule": {"id": " "}}, "before_provisioning_rule.id"),
]


@pytest.mark.parametrize("args,option", BAD)
def test_bad_input_is_refused_before_any_request(emu, path, args, option):
    result = path("service_desk_integration", args, emu)
    assert result.get("failed") and result.get("option") == option, result
    assert option.split(".")[0].split("[")[0] in result["msg"]
    assert emu.calls() == []


def test_create_without_description_names_the_option(emu, path):
    result = path("service_desk_integration", {"name": "SNOW"}, emu)
    assert result.get("failed") and result.get("option") == "description", result
    assert writes(emu) == []


def test_api_version_choices_include_v3_only_for_service_desk(emu, path):
    result = path("service_desk_integration", dict(BASE, api_version="v9"), emu)
    assert result.get("failed") and "api_version" in result["msg"] and "v3" in result["msg"]
    assert emu.calls() == []


def test_the_list_is_shared_by_the_items_of_a_loop(emu):
    """On the controller, a loop's items share one token and one list, kept in step with each write."""
    from ansible_collections.sailpoint.identitynow.plugins.modules import service_desk_integration
    from ansible_collections.sailpoint.identitynow.plugins.module_utils._client import SailPointClient
    from ansible_collections.sailpoint.identitynow.plugins.module_utils._service_desk import ServiceDeskIntegrations

    class Task:
        check_mode = False
        diff = False

        def __init__(self, params):
            self.params = params

        def warn(self, msg):
            pass

    client = SailPointClient(emu.url, client_id="unit-client", client_secret="unit-secret-7f3a9c")
    cache = {}
    spec = service_desk_integration.ARGUMENT_SPEC
    defaults = dict((k, v.get("default")) for k, v in spec.items())
    for name in ("one", "two", "one"):
        params = dict(defaults, **dict(BASE, name=name))
        sim = ServiceDeskIntegrations.for_task(client, params, False, None, cache=cache)
        service_desk_integration.execute(Task(params), sim)
    assert emu.calls() == [TOKEN, list_call(), ("POST", P), ("POST", P)]
    assert json.dumps(sorted(d["name"] for d in stored(emu))) == '["one", "two"]'


def test_a_service_that_masks_secrets(start_emulator, path):
    """--secrets mask: the masked stand-in is never sent back, a no-op stays one, a change names the secret to pass."""
    masking = start_emulator(secrets="mask")
    seed(masking, dto())
    assert path("service_desk_integration", BASE, masking)["changed"] is False
    assert writes(masking) == []
    refused = path("service_desk_integration", {"name": "SNOW", "attributes": {"url": "https://other.service-now.com"}}, masking)
    assert refused.get("failed") and "attributes.password" in refused["msg"], refused
    attributes = {"url": "https://other.service-now.com", "password": PASSWORD}
    done = path("service_desk_integration", {"name": "SNOW", "attributes": attributes}, masking)
    assert done["changed"] is True
    [doc] = stored(masking)
    assert doc["attributes"]["password"] == PASSWORD and "********" not in str(writes(masking))
    sent = [r["body"] for r in masking.admin.requests() if r["method"] == "PATCH"]
    assert sent and "********" not in str(sent)


VARIANTS = [dict(status_codes="rest"), dict(patch_paths="top"), dict(duplicate_status=409), dict(secrets="return")]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: ",".join("%s=%s" % kv for kv in v.items()))
def test_the_lifecycle_on_the_live_api_variants(start_emulator, path, variant):
    """201 + Location, deep paths refused, 409 duplicates, secrets returned: create, no-op, update, delete all hold."""
    variant_emu = start_emulator(**variant)
    assert path("service_desk_integration", BASE, variant_emu)["changed"] is True
    variant_emu.clear_calls()
    assert path("service_desk_integration", BASE, variant_emu)["changed"] is False
    assert writes(variant_emu) == []
    changed = path("service_desk_integration", dict(BASE, description="Managed", attributes={"url": "https://x", "password": PASSWORD}),
                   variant_emu)
    assert changed["changed"] is True and [c[0] for c in writes(variant_emu)] == ["PATCH"]
    [doc] = stored(variant_emu)
    assert doc["description"] == "Managed" and doc["attributes"] == {"url": "https://x", "username": "svc", "password": PASSWORD}
    if variant.get("secrets") == "return":
        assert PASSWORD not in changed["_raw"]  # returned by the service, still never shown
    variant_emu.clear_calls()
    assert path("service_desk_integration", {"name": "SNOW", "state": "absent"}, variant_emu)["changed"] is True
    assert stored(variant_emu) == []


def test_beta_records_have_no_id(emu, path):
    """The beta DTO has no id: create and no-op work, an update says which api_version to use."""
    args = dict(BASE, api_version="beta")
    created = path("service_desk_integration", args, emu)
    assert created["changed"] is True and "id" not in created["record"]
    emu.clear_calls()
    assert path("service_desk_integration", args, emu)["changed"] is False and writes(emu) == []
    refused = path("service_desk_integration", dict(args, description="new"), emu)
    assert refused.get("failed") and "api_version v3" in refused["msg"], refused
    assert writes(emu) == []


def test_beta_check_mode_refuses_as_the_real_run(emu, path):
    path("service_desk_integration", dict(BASE, api_version="beta"), emu)
    for args in (dict(BASE, api_version="beta", description="new"), {"name": "SNOW", "state": "absent", "api_version": "beta"}):
        result = path("service_desk_integration", args, emu, check_mode=True)
        assert result.get("failed") and "api_version v3" in result["msg"], result


def test_put_names_a_nested_masked_secret_the_task_does_not_pass(start_emulator, path):
    masking = start_emulator(secrets="mask")
    seed(masking, dto(attributes={"url": "u", "password": PASSWORD, "oauth": {"client_secret": NESTED, "scope": "a"}}))
    args = {"name": "SNOW", "description": "Put", "update_method": "put", "attributes": {"password": PASSWORD, "oauth": {"scope": "a"}}}
    refused = path("service_desk_integration", args, masking)
    assert refused.get("failed") and "attributes.oauth.client_secret" in refused["msg"], refused
    assert "attributes.password" not in refused["msg"] and writes(masking) == []


def test_paging_that_does_not_advance_is_an_error():
    """A server that ignores offset would be paged for ever: the second identical full page stops it."""
    from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import InvalidResponseError
    from ansible_collections.sailpoint.identitynow.plugins.module_utils._service_desk import ServiceDeskIntegrations

    page = [{"id": "id-%d" % i, "name": "n-%d" % i, "attributes": {}} for i in range(250)]

    class Answer:
        headers = {}  # no X-Total-Count: the pages alone tell the end

        def json(self):
            return page

    class Client:
        paths = []

        def request(self, method, path, body=None):
            self.paths.append(path)
            return Answer()

    client = Client()
    with pytest.raises(InvalidResponseError) as e:
        ServiceDeskIntegrations(client, "v3").list()
    assert "paging does not advance" in str(e.value) and len(client.paths) == 2
