# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""service_desk_template_info and service_desk_status_check over real HTTP against the emulator, on both code paths."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

P = "/v3/service-desk-integrations"
TOKEN = ("POST", "/oauth/token")
STATUS = P + "/status-check-configuration"


@pytest.fixture(autouse=True)
def _needs_service_desk(emu):
    # Until the emulator serving Service Desk Integrations (branch sdim-emu) is merged, there is nothing to test against.
    if "service_desk_integrations" not in emu.admin.state():
        pytest.skip("the emulator does not serve Service Desk Integrations yet")


def status(emu):
    return emu.admin.state()["service_desk_status_check"]


def test_types_and_a_template(emu, path):
    result = path("service_desk_template_info", {"script_name": "servicenow-sdim"}, emu)
    assert result["changed"] is False
    assert {"name": "ServiceNow Service Desk", "type": "ServiceNowSDIM", "script_name": "servicenow-sdim"} in result["types"]
    assert result["template"]["type"] == "ServiceNowSDIM" and "url" in result["template"]["attributes"]
    assert emu.calls() == [TOKEN, ("GET", P + "/types"), ("GET", P + "/templates/servicenow-sdim")]
    only_types = path("service_desk_template_info", {"api_version": "v2025"}, emu)
    assert "template" not in only_types and only_types["types"] == result["types"]


def test_an_unknown_template_names_the_ones_there_are(emu, path):
    result = path("service_desk_template_info", {"script_name": "nope"}, emu)
    assert result.get("failed") and result.get("option") == "script_name", result
    assert "servicenow-sdim" in result["msg"]


def test_template_secrets_are_masked():
    from ansible_collections.sailpoint.identitynow.plugins.module_utils._service_desk import _mask_filled
    masked = _mask_filled({"password": "", "apiToken": "tok-1", "nested": {"client_secret": "s"}, "url": "u"})
    assert masked == {"password": "", "apiToken": "********", "nested": {"client_secret": "********"}, "url": "u"}


def test_status_check_change_no_op_and_check_mode(emu, path):
    before = status(emu)
    args = {"provisioning_status_check_interval_minutes": 15, "provisioning_max_status_check_days": "3"}
    predicted = path("service_desk_status_check", args, emu, check_mode=True, diff=True)
    assert predicted["changed"] is True and status(emu) == before
    assert [c for c in emu.calls() if c[0] != "GET" and c != TOKEN] == []
    emu.clear_calls()
    real = path("service_desk_status_check", args, emu, diff=True)
    assert real["changed"] is True and emu.calls() == [TOKEN, ("GET", STATUS), ("PUT", STATUS)]
    wanted = {"provisioning_status_check_interval_minutes": "15", "provisioning_max_status_check_days": "3"}
    assert real["record"] == predicted["record"] == wanted
    assert real["diff"] == predicted["diff"]
    assert real["diff"]["after"] == {"provisioning_status_check_interval_minutes": "15", "provisioning_max_status_check_days": "3"}
    put = [r for r in emu.admin.requests() if r["method"] == "PUT"][0]["body"]
    assert put == {"provisioningStatusCheckIntervalMinutes": "15", "provisioningMaxStatusCheckDays": "3"}  # strings, as typed
    assert status(emu) == put
    emu.clear_calls()
    again = path("service_desk_status_check", dict(args, provisioning_status_check_interval_minutes="15"), emu)
    assert again["changed"] is False and emu.calls() == [TOKEN, ("GET", STATUS)]


def test_status_check_one_value_keeps_the_other(emu, path):
    before = status(emu)
    path("service_desk_status_check", {"provisioning_max_status_check_days": 5}, emu)
    assert status(emu) == dict(before, provisioningMaxStatusCheckDays="5")


@pytest.mark.parametrize("value", [0, -1, "abc", "1.5", 2.5, True, [1]])
def test_status_check_bad_values_refused_before_any_request(emu, path, value):
    result = path("service_desk_status_check", {"provisioning_status_check_interval_minutes": value}, emu)
    assert result.get("failed") and result.get("option") == "provisioning_status_check_interval_minutes", result
    assert emu.calls() == []
