# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sailpoint.identitynow.plugins.modules import sim_integration, sim_integration_info

P = "/v2024/sim-integrations"
DOC = {"name": "B-SNOW", "description": "d", "attributes": {"url": "https://b.service-now.com", "password": "Info-Secret-99"},
       "sources": ["s2", "s1"], "cluster": "c1", "statusMap": {"requested": "Queued", "closed_complete": "Committed"}}


def test_list_all_sorted_by_name_without_secrets(emu, run_module):
    emu.seed(DOC)
    emu.seed(dict(DOC, name="A-SNOW"))
    result = run_module(sim_integration_info, {}, emu)
    assert result["changed"] is False
    assert [r["name"] for r in result["records"]] == ["A-SNOW", "B-SNOW"]
    assert "Info-Secret-99" not in result["_raw"] and "password" not in result["records"][0]["attributes"]
    assert emu.calls() == [("POST", "/oauth/token"), ("GET", P)]


def test_by_name_and_by_id(emu, run_module):
    seeded = emu.seed(DOC)
    emu.seed(dict(DOC, name="OTHER"))
    by_name = run_module(sim_integration_info, {"name": "B-SNOW"}, emu)["records"]
    assert [r["id"] for r in by_name] == [seeded["id"]]
    emu.clear_calls()
    by_id = run_module(sim_integration_info, {"id": seeded["id"]}, emu)["records"]
    assert by_id == by_name and emu.calls() == [("POST", "/oauth/token"), ("GET", P + "/" + seeded["id"])]
    assert run_module(sim_integration_info, {"id": "missing"}, emu)["records"] == []
    assert run_module(sim_integration_info, {"name": "missing"}, emu)["records"] == []


def test_records_can_be_applied_again_without_change(emu, run_module, strict_emu):
    for target in (emu, strict_emu):
        target.seed(DOC)
        record = run_module(sim_integration_info, {"name": "B-SNOW"}, target)["records"][0]
        args = dict((k, v) for k, v in record.items() if k not in ("created", "modified"))
        result = run_module(sim_integration, args, target)
        assert result["changed"] is False, result


def test_check_mode_reads_normally(emu, run_module):
    emu.seed(DOC)
    assert len(run_module(sim_integration_info, {}, emu, check_mode=True)["records"]) == 1
