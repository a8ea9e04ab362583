# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import jsonpatch
import pytest

from ansible_collections.sailpoint.identitynow.plugins.module_utils import _records as r
from ansible_collections.sailpoint.identitynow.plugins.module_utils._errors import InvalidResponseError

SIM_SHAPE = {
    "id": "abc", "name": "SNOW", "description": "d", "type": "ServiceNow Service Desk",
    "attributes": {"url": "https://x.service-now.com", "username": "u"},
    "sources": ["s2", "s1"], "cluster": "c1",
    "statusMap": {"requested": "Queued", "closed_complete": "Committed"},
    "request": {"description": "SailPoint Access Request"},
    "beforeProvisioningRule": {"type": "RULE", "id": "r1", "name": "Rule"},
    "created": "2026-01-17T18:45:25.994Z", "modified": "2026-01-17T18:45:25.994Z",
}

DTO_SHAPE = {
    "id": "abc", "name": "SNOW", "description": "d", "type": "ServiceNow Service Desk",
    "attributes": json.dumps({"url": "https://x.service-now.com", "username": "u"}),
    "managedSources": ["s2", "s1"], "clusterRef": {"type": "CLUSTER", "id": "c1", "name": None}, "cluster": None,
    "provisioningConfig": {"managedResourceRefs": [{"type": "SOURCE", "id": "s2"}, {"type": "SOURCE", "id": "s1"}]},
    "beforeProvisioningRule": {"type": "RULE", "id": "r1", "name": "Rule"},
    "created": "2026-01-17T18:45:25.994Z", "modified": "2026-01-17T18:45:25.994Z",
}


def test_both_response_shapes_normalise_alike_except_unknown_maps():
    sim, dto = r.normalize(SIM_SHAPE), r.normalize(DTO_SHAPE)
    drop = ("statusMap", "request", r.HIDDEN_MAPS)
    assert dict((k, v) for k, v in dto.items() if k not in drop) == dict((k, v) for k, v in sim.items() if k not in drop)
    assert "statusMap" not in dto and dto[r.HIDDEN_MAPS] and not sim[r.HIDDEN_MAPS]  # unknown, not empty


def test_maps_absent_from_the_sim_shape_are_simply_unset():
    sim = r.normalize(dict((k, v) for k, v in SIM_SHAPE.items() if k != "request"))
    assert r.plan_update(sim, {"request": {"a": "b"}}) == [{"op": "add", "path": "/request", "value": {"a": "b"}}]
    assert r.HIDDEN_MAPS not in r.diff_of(sim, {})["before"] and r.HIDDEN_MAPS not in r.to_record(sim)


def test_sources_from_provisioning_config_only():
    raw = {"id": "x", "name": "n", "provisioningConfig": {"managedResourceRefs": [{"id": "a"}, {"id": "b"}]}}
    assert r.normalize(raw)["sources"] == ["a", "b"]


@pytest.mark.parametrize("bad", ["{not json", 5, ["a"]])
def test_bad_attributes_are_invalid_response(bad):
    with pytest.raises(InvalidResponseError):
        r.normalize(dict(SIM_SHAPE, attributes=bad))


def test_not_an_object_is_invalid_response():
    with pytest.raises(InvalidResponseError):
        r.normalize(["x"])


def test_masked_secret_values_are_treated_as_unknown():
    doc = r.normalize(dict(SIM_SHAPE, attributes={"url": "u", "password": "********"}))
    assert "password" not in doc["attributes"]


def test_record_uses_option_names_sorted_sources_and_no_secrets():
    rec = r.to_record(r.normalize(dict(SIM_SHAPE, attributes={"url": "u", "password": "p", "nested": {"api_key": "k", "x": 1}})))
    assert rec["status_map"] == SIM_SHAPE["statusMap"] and rec["sources"] == ["s1", "s2"]
    assert rec["attributes"] == {"url": "u", "nested": {"x": 1}}
    assert rec["before_provisioning_rule"] == {"type": "RULE", "id": "r1", "name": "Rule"}


def test_secret_values_and_mask():
    attrs = {"password": "p1", "url": "u", "catalog": {"clientSecret": "s2"}, "list": [{"apiKey": "k3"}], "token_count": 5}
    assert sorted(r.secret_values(attrs)) == ["5", "k3", "p1", "s2"]
    masked = r.mask(attrs)
    assert masked["password"] == r.MASK and masked["catalog"]["clientSecret"] == r.MASK and masked["list"][0]["apiKey"] == r.MASK
    assert masked["url"] == "u"


def current():
    return r.normalize(SIM_SHAPE)


def test_no_change_when_user_values_match():
    desired = r.desired_from_params({"name": "SNOW", "description": "d", "sources": ["s1", "s2"], "attributes": {"url": "https://x.service-now.com"},
                                     "status_map": {"requested": "Queued", "closed_complete": "Committed"},
                                     "before_provisioning_rule": {"id": "r1", "name": None, "type": "RULE"}})
    assert r.plan_update(current(), desired) == []


def test_minimal_patch_touches_only_changed_paths():
    desired = r.desired_from_params({"description": "new", "attributes": {"url": "https://y", "newkey": "v", "username": None},
                                     "status_map": {"requested": "Queued", "closed_complete": "Committed", "closed_rejected": "Failed"}})
    ops = r.plan_update(current(), desired)
    assert ops == [
        {"op": "replace", "path": "/description", "value": "new"},
        {"op": "replace", "path": "/attributes/url", "value": "https://y"},
        {"op": "add", "path": "/attributes/newkey", "value": "v"},
        {"op": "remove", "path": "/attributes/username"},
        {"op": "add", "path": "/statusMap/closed_rejected", "value": "Failed"},
    ]
    after = jsonpatch.apply_patch(current(), ops)
    assert r.plan_update(after, desired) == []  # converges


def test_source_order_is_not_a_change_but_membership_is():
    assert r.plan_update(current(), {"sources": ["s1", "s2"]}) == []
    assert r.plan_update(current(), {"sources": ["s1"]}) == [{"op": "replace", "path": "/sources", "value": ["s1"]}]


def test_write_only_secret_is_sent_only_when_forced():
    desired = {"attributes": {"password": "pw"}}
    assert r.plan_update(current(), desired, "on_create") == []
    assert r.plan_update(current(), desired, "always") == [{"op": "add", "path": "/attributes/password", "value": "pw"}]
    visible = r.normalize(dict(SIM_SHAPE, attributes={"password": "pw"}))  # a service that does return it
    assert r.plan_update(visible, desired, "on_create") == []
    assert r.plan_update(visible, {"attributes": {"password": "other"}}, "on_create")[0]["op"] == "replace"


def test_maps_missing_from_the_dto_are_write_only():
    dto = r.normalize(DTO_SHAPE)
    desired = {"statusMap": {"requested": "Queued"}, "request": {"a": "b"}}
    assert r.plan_update(dto, desired, "on_create") == []
    assert [op["path"] for op in r.plan_update(dto, desired, "always")] == ["/statusMap", "/request"]


def test_rule_name_compared_only_when_given():
    assert r.plan_update(current(), {"beforeProvisioningRule": {"id": "r1", "type": "RULE"}}) == []
    ops = r.plan_update(current(), {"beforeProvisioningRule": {"id": "r2", "type": "RULE"}})
    assert ops == [{"op": "replace", "path": "/beforeProvisioningRule", "value": {"id": "r2", "type": "RULE"}}]


def test_pointer_escaping():
    ops = r.plan_update(current(), {"attributes": {"a/b~c": "v"}})
    assert ops == [{"op": "add", "path": "/attributes/a~1b~0c", "value": "v"}]
    assert jsonpatch.apply_patch(current(), ops)["attributes"]["a/b~c"] == "v"


def test_put_body_merges_and_keeps_unmanaged_fields():
    body = r.put_body(current(), {"description": "x", "attributes": {"username": None, "password": "p"}})
    assert body["description"] == "x" and body["cluster"] == "c1" and body["statusMap"] == SIM_SHAPE["statusMap"]
    assert body["attributes"] == {"url": "https://x.service-now.com", "password": "p"}
    assert "id" not in body and "created" not in body


def test_diff_is_minimal_and_masked():
    before = current()
    after = jsonpatch.apply_patch(before, [{"op": "replace", "path": "/description", "value": "n"},
                                           {"op": "add", "path": "/attributes/password", "value": "pw"},
                                           {"op": "replace", "path": "/sources", "value": ["s1", "s2"]}])
    d = r.diff_of(before, after)
    assert d == {"before": {"description": "d", "attributes": {}}, "after": {"description": "n", "attributes": {"password": r.MASK}}}


def test_mask_operations():
    ops = [{"op": "add", "path": "/attributes/password", "value": "pw"},
           {"op": "replace", "path": "/attributes", "value": {"password": "pw", "url": "u"}},
           {"op": "remove", "path": "/attributes/token"}]
    assert r.mask_operations(ops) == [{"op": "add", "path": "/attributes/password", "value": r.MASK},
                                      {"op": "replace", "path": "/attributes", "value": {"password": r.MASK, "url": "u"}},
                                      {"op": "remove", "path": "/attributes/token"}]


def test_maps_are_patched_key_by_key_and_exactly():
    ops = r.plan_update(current(), {"statusMap": {"requested": "Failed", "closed_complete": "Committed", "in_process": "Queued"},
                                    "request": {}})
    assert ops == [{"op": "replace", "path": "/statusMap/requested", "value": "Failed"},
                   {"op": "add", "path": "/statusMap/in_process", "value": "Queued"},
                   {"op": "remove", "path": "/request/description"}]
    d = r.diff_of(current(), jsonpatch.apply_patch(current(), ops))
    assert d["before"]["statusMap"] == {"requested": "Queued"} and d["after"]["statusMap"] == {"requested": "Failed", "in_process": "Queued"}


def test_json_copy_is_a_deep_copy_of_json_data_and_falls_back_for_the_rest():
    doc = {"name": "A", "n": 3, "ratio": 0.5, "on": True, "none": None,
           "attributes": {"nested": [{"k": "v"}, ["x"]]}, "pair": (1, [2]), "tags": {"a"}}
    copied = r.json_copy(doc)
    assert copied == doc
    copied["attributes"]["nested"][0]["k"] = "changed"
    copied["attributes"]["nested"][1].append("y")
    copied["pair"][1].append(3)
    copied["tags"].add("b")
    assert doc["attributes"]["nested"] == [{"k": "v"}, ["x"]]
    assert doc["pair"] == (1, [2]) and isinstance(copied["pair"], tuple)  # not JSON: copy.deepcopy, type kept
    assert doc["tags"] == {"a"}
    assert copied["on"] is True and copied["none"] is None
