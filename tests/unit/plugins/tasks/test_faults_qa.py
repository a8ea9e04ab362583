# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Creates under 5xx/reset bursts, Retry-After floors, lost PATCH answers and bodies of the wrong shape
(issue 11, defects 4, 5, 14 and 16), on both code paths over real HTTP; waits are recorded, not slept."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

P = "/v2024/sim-integrations"
TOKEN = ("POST", "/oauth/token")
LIST = ("GET", P)
SNOW = {"name": "SNOW", "description": "d", "attributes": {"url": "https://acme.service-now.com", "password": "Fault-Secret-2"}}


@pytest.mark.parametrize("fault", [{"status": 503}, {"status": 502}, {"reset": "before"}], ids=["503", "502", "reset-before"])
@pytest.mark.parametrize("times", [2, 3])
def test_create_survives_a_burst_with_backoff_and_no_duplicate(emu, path, waits, fault, times):
    emu.faults(dict(fault, method="POST", path=P, times=times))
    result = path("sim_integration", SNOW, emu)
    assert result["changed"] and not result.get("failed"), result
    assert len(emu.integrations()) == 1
    # each lost POST: look the name up, back off, send again
    assert emu.calls() == [TOKEN, LIST] + [("POST", P), LIST] * times + [("POST", P)]
    assert len(waits) == times and waits == sorted(waits) and waits[0] >= 0.5
    assert any("looking the integration up by name" in w for w in result["warnings"])
    assert sum("retry" in w and "in " in w for w in result["warnings"]) >= times  # numbered, so never folded into one


def test_create_whose_answer_is_lost_is_found_not_resent(emu, path, waits):
    emu.faults({"method": "POST", "path": P, "reset": "after", "times": 2})
    result = path("sim_integration", SNOW, emu)
    assert result["changed"] and len(emu.integrations()) == 1 and waits == []
    assert emu.calls() == [TOKEN, LIST, ("POST", P), LIST]


def test_create_gives_up_within_max_retries_and_creates_nothing(emu, path, waits):
    emu.faults({"method": "POST", "path": P, "status": 503, "times": 10})
    result = path("sim_integration", dict(SNOW, max_retries=2), emu)
    assert result["failed"] and "after 2 retries" in result["msg"] and "POST %s" % P in result["msg"]
    assert emu.integrations() == [] and len(waits) == 2
    assert [c for c in emu.calls() if c == ("POST", P)] == [("POST", P)] * 3


def test_create_gives_up_within_retry_max_wait(emu, path, waits):
    emu.faults({"method": "POST", "path": P, "status": 503, "times": 10})
    result = path("sim_integration", dict(SNOW, retry_max_wait=2), emu)
    assert result["failed"] and "retry_max_wait=2" in result["msg"] and emu.integrations() == []
    assert sum(waits) <= 2


@pytest.mark.parametrize("retry_after", ["0", "Thu, 01 Jan 1970 00:00:00 GMT"], ids=["zero", "past-date"])
def test_retry_after_zero_or_past_counts_and_waits_the_floor(emu, path, waits, retry_after):
    emu.faults({"method": "GET", "path": P, "status": 429, "retry_after": retry_after, "times": 100})
    result = path("sim_integration_info", {"max_retries": 3}, emu)
    assert result["failed"] and "after 3 retries" in result["msg"] and result["status"] == 429
    assert emu.calls() == [TOKEN] + [LIST] * 4
    assert waits == [1.0, 1.0, 1.0]


def test_retry_floor_is_the_module_setting(emu, path, waits, monkeypatch):
    from ansible_collections.sailpoint.identitynow.plugins.module_utils import _client
    monkeypatch.setattr(_client, "RETRY_FLOOR", 2.5)
    emu.faults({"method": "GET", "path": P, "status": 429, "retry_after": "0", "times": 2})
    assert path("sim_integration_info", {}, emu)["records"] == []
    assert waits == [2.5, 2.5]


@pytest.mark.parametrize("reset", ["before", "after"])
def test_lost_patch_answers_are_read_back_and_retried(emu, path, waits, reset):
    seeded = emu.seed(SNOW)
    item = P + "/" + seeded["id"]
    emu.faults({"method": "PATCH", "path": item, "reset": reset, "times": 2})
    result = path("sim_integration", {"name": "SNOW", "attributes": {"url": None}, "description": "e"}, emu)
    assert result["changed"] and not result.get("failed"), result
    stored = emu.integrations()[0]
    assert "url" not in stored["attributes"] and stored["description"] == "e" and stored["attributes"]["password"] == "Fault-Secret-2"
    if reset == "after":  # applied the first time: read back, nothing left to send
        assert emu.calls() == [TOKEN, LIST, ("PATCH", item), ("GET", item)] and waits == []
    else:
        assert emu.calls() == [TOKEN, LIST] + [("PATCH", item), ("GET", item)] * 2 + [("PATCH", item)] and len(waits) == 2
    assert any("reading the integration again" in w for w in result["warnings"])


@pytest.mark.parametrize("reset", ["before", "after"])
def test_rule_module_warns_and_recovers_from_a_lost_patch_answer(emu, path, waits, reset):
    seeded = emu.seed({"name": "SNOW"})
    rule_path = P + "/" + seeded["id"] + "/beforeProvisioningRule"
    emu.faults({"method": "PATCH", "path": rule_path, "reset": reset})
    result = path("sim_before_provisioning_rule", {"name": "SNOW", "rule_id": "r1"}, emu)
    assert result["changed"] and not result.get("failed"), result
    assert emu.integrations()[0]["beforeProvisioningRule"]["id"] == "r1"
    assert any("reading the integration again before deciding" in w for w in result["warnings"]), result["warnings"]
    assert [c for c in emu.calls() if c[0] == "PATCH"] == [("PATCH", rule_path)] * (2 if reset == "before" else 1)


@pytest.mark.parametrize("body,needle", [({}, "an object without an id"), ("", "an empty body"), ([], "list")],
                         ids=["empty-object", "empty-body", "array"])
def test_create_answer_that_is_not_an_integration_fails_clearly(emu, path, body, needle):
    emu.faults({"method": "POST", "path": P, "status": 200, "body": body})
    result = path("sim_integration", SNOW, emu)
    assert result["failed"] and "not the documented shape" in result["msg"] and needle in result["msg"]
    assert "POST %s" % P in result["msg"] and result["method"] == "POST" and result["path"] == P
    assert "Fault-Secret-2" not in result["_raw"]


def test_patch_answer_without_an_id_fails_clearly(emu, path):
    seeded = emu.seed(SNOW)
    item = P + "/" + seeded["id"]
    emu.faults({"method": "PATCH", "path": item, "status": 200, "body": {"name": "SNOW"}})
    result = path("sim_integration", {"name": "SNOW", "description": "x"}, emu)
    assert result["failed"] and "not the documented shape" in result["msg"] and "PATCH %s" % item in result["msg"]
