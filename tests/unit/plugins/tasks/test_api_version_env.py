# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One SAIL_API_VERSION for the SIM and the Service Desk modules of a job, on both code paths, over real HTTP:
the path each request went to, the warning when the environment names a version this API does not serve, and the
strict check of a value given to the task (refused before any request)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

TOKEN = ("POST", "/oauth/token")
SIM_INFO, SDIM_INFO = "sim_integration_info", "service_desk_integration_info"


def paths(emu):
    return [p for m, p in emu.calls() if (m, p) != TOKEN]


def version_warnings(result):
    return [w for w in result.get("warnings", []) if "SAIL_API_VERSION" in w]


def sim_path(version):
    return "/sim-integrations/v1" if version == "v1" else "/%s/sim-integrations" % version


def sdim_path(version):
    return "/service-desk-integrations/v1" if version == "v1" else "/%s/service-desk-integrations" % version


@pytest.mark.parametrize("env,sim_version,sdim_version", [
    ("v3", "v2024", "v3"),
    ("v2025", "v2025", "v2025"),
    ("v1", "v1", "v1"),
    ("", "v2024", "v3"),  # empty, as AWX injects an input left empty: unset
    (None, "v2024", "v3"),
])
def test_one_variable_serves_sim_and_service_desk(emu, path, monkeypatch, env, sim_version, sdim_version):
    if env is None:
        monkeypatch.delenv("SAIL_API_VERSION", raising=False)
    else:
        monkeypatch.setenv("SAIL_API_VERSION", env)
    sim = path(SIM_INFO, {}, emu)
    assert not sim.get("failed") and paths(emu) == [sim_path(sim_version)], sim
    assert sim["invocation"]["module_args"]["api_version"] == sim_version
    emu.clear_calls()
    sdim = path(SDIM_INFO, {}, emu)
    assert not sdim.get("failed") and paths(emu) == [sdim_path(sdim_version)], sdim
    assert sdim["invocation"]["module_args"]["api_version"] == sdim_version and version_warnings(sdim) == []
    if env == "v3":
        [warning] = version_warnings(sim)  # one, naming the variable, its value, what SIM serves and what is used
        assert "SAIL_API_VERSION=v3" in warning and "beta, v2024, v2025, v2026, v1" in warning and "uses v2024" in warning
    else:
        assert version_warnings(sim) == []


def test_a_write_follows_the_fallback_too(emu, path, monkeypatch):
    monkeypatch.setenv("SAIL_API_VERSION", "v3")
    result = path("sim_integration", {"name": "Env v3", "description": "d"}, emu)
    assert result["changed"] and len(version_warnings(result)) == 1, result
    assert emu.calls() == [TOKEN, ("GET", "/v2024/sim-integrations"), ("POST", "/v2024/sim-integrations")]
    assert [i["name"] for i in emu.integrations()] == ["Env v3"]


@pytest.mark.parametrize("module", [SIM_INFO, SDIM_INFO])
def test_a_version_no_api_serves_is_refused_before_any_request(emu, path, monkeypatch, module):
    monkeypatch.setenv("SAIL_API_VERSION", "v2O25")
    result = path(module, {}, emu)
    assert result.get("failed") and result.get("option") == "api_version", result
    assert "SAIL_API_VERSION is 'v2O25'" in result["msg"] and "v2025" in result["msg"]
    assert emu.calls() == []


def test_a_version_given_to_the_task_is_checked_strictly(emu, path, monkeypatch):
    monkeypatch.setenv("SAIL_API_VERSION", "v2025")
    result = path(SIM_INFO, {"api_version": "v3"}, emu)
    assert result.get("failed") and "api_version" in result["msg"] and "v3" in result["msg"], result
    assert "beta, v2024, v2025, v2026, v1" in result["msg"]
    assert emu.calls() == []


def test_a_version_given_to_the_task_wins_over_the_environment(emu, path, monkeypatch):
    monkeypatch.setenv("SAIL_API_VERSION", "v3")
    result = path(SIM_INFO, {"api_version": "v2026"}, emu)
    assert not result.get("failed") and paths(emu) == ["/v2026/sim-integrations"] and version_warnings(result) == []
