# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode shows only what the real run returns (issue 11, defect 15), on both code paths and both shapes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

ARGS = {"name": "SNOW", "cluster": "c1", "sources": ["s1"], "attributes": {"url": "https://x", "password": "Cm-Pass-1"},
        "status_map": {"requested": "Queued", "closed_complete": "Committed"}, "request": {"description": "r"},
        "before_provisioning_rule": {"id": "r1", "name": "Rule"}}


def _subset(predicted, real):
    """Every field check mode shows is one the real record has, with the same value."""
    extra = dict((k, v) for k, v in predicted.items() if k != "id" and real.get(k) != v)
    assert extra == {}, (predicted, real)


@pytest.mark.parametrize("shape", ["plain", "strict"])
@pytest.mark.parametrize("tenant", ["empty", "with another integration"])
def test_check_mode_create_record_never_guesses(emu, strict_emu, path, shape, tenant):
    server = emu if shape == "plain" else strict_emu
    if tenant != "empty":
        server.seed({"name": "OTHER", "sources": ["s9"], "statusMap": {"closed_complete": "Committed"}})
    predicted = path("sim_integration", ARGS, server, check_mode=True, diff=True)
    real = path("sim_integration", ARGS, server, diff=True)
    assert predicted["changed"] and real["changed"]
    _subset(predicted["record"], real["record"])
    if shape == "strict":
        assert "status_map" not in predicted["record"] and "request" not in predicted["record"]
    if shape == "plain" and tenant != "empty":  # the service was seen to return maps: they are predicted
        assert predicted["record"]["status_map"] == ARGS["status_map"]
    assert "description" not in predicted["record"]  # a server default (""): left out, not guessed
    assert predicted["diff"] == real["diff"]


@pytest.mark.parametrize("shape", ["plain", "strict"])
def test_check_mode_update_record_never_guesses(emu, strict_emu, path, shape):
    server = emu if shape == "plain" else strict_emu
    server.seed({"name": "SNOW", "description": "old", "attributes": {"url": "https://x"}})
    args = {"name": "SNOW", "description": "new", "status_map": {"closed_complete": "Committed"}, "update_write_only": "always"}
    predicted = path("sim_integration", args, server, check_mode=True, diff=True)
    real = path("sim_integration", args, server, diff=True)
    _subset(predicted["record"], real["record"])
    assert "modified" not in predicted["record"] and "modified" in real["record"]
    assert predicted["operations"] == real["operations"] and predicted["changed"] == real["changed"]
