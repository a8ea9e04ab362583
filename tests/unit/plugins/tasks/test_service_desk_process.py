# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Service Desk modules as real module processes (and async), run by ansible-playbook against the emulator with
syslog captured, as test_module_process.py does for SIM: no secret in syslog or any output; the identitynow group
sets the connection for every module."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import os
import textwrap

import pytest


def _sim_process_test():
    # The syslog shim, the results callback and the collections path are test_module_process.py's: one copy of each.
    spec = importlib.util.spec_from_file_location("sim_module_process", os.path.join(os.path.dirname(__file__), "test_module_process.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BASE = _sim_process_test()
PASSWORD, NESTED, CLIENT_SECRET = "Pw-Sdim-Syslog-3hV8", "Nested-Sdim-Syslog-6pW2", "unit-secret-7f3a9c"

PLAYBOOK = textwrap.dedent('''
    - hosts: localhost
      gather_facts: false
      module_defaults:
        group/sailpoint.identitynow.identitynow:
          base_url: "{{ url }}"
          client_id: unit-client
          client_secret: "%(client_secret)s"
      tasks:
        - name: create as a module process
          sailpoint.identitynow.service_desk_integration:
            name: Syslog desk
            description: process
            attributes: {url: "https://acme.service-now.com", password: "%(password)s", oauth: {client_secret: "%(nested)s"}}
          environment: {SAIL_TIMEOUT: "30"}
        - name: update in async
          sailpoint.identitynow.service_desk_integration:
            name: Syslog desk
            attributes: {url: "https://other.service-now.com", password: "%(password)s", oauth: {client_secret: "%(nested)s"}}
          async: 60
          poll: 1
        - name: info as a module process
          sailpoint.identitynow.service_desk_integration_info:
            name: Syslog desk
          environment: {SAIL_TIMEOUT: "30"}
        - name: status check as a module process
          sailpoint.identitynow.service_desk_status_check:
            provisioning_status_check_interval_minutes: 45
          environment: {SAIL_TIMEOUT: "30"}
        - name: templates as a module process
          sailpoint.identitynow.service_desk_template_info:
            script_name: servicenow-sdim
          environment: {SAIL_TIMEOUT: "30"}
''') % dict(password=PASSWORD, nested=NESTED, client_secret=CLIENT_SECRET)


@pytest.fixture(scope="module")
def played(tmp_path_factory, _emulator, once):
    def run():
        result = BASE.play(tmp_path_factory.mktemp("sdim_process"), PLAYBOOK, _emulator.url, tasks=5)
        return dict(result, state=_emulator.admin.state())
    if "service_desk_integrations" not in _emulator.admin.state():
        pytest.skip("the emulator does not serve Service Desk Integrations")
    return once("sdim_process", run, isolated=_emulator)


def test_module_processes_log_without_secrets(played):
    assert played["syslog"].count("Invoked with") >= 4, played["syslog"]
    assert "Syslog desk" in played["syslog"]
    for secret in (PASSWORD, NESTED, CLIENT_SECRET):
        assert secret not in played["syslog"]
        assert secret not in played["out"]


def test_module_processes_and_async_do_the_work(played):
    created, updated, info, status, templates = played["results"]
    assert created["changed"] is True and created["record"]["name"] == "Syslog desk"
    assert updated["failed"] is False and updated["changed"] is True, updated
    assert [r["attributes"]["url"] for r in info["records"]] == ["https://other.service-now.com"]
    assert status["changed"] is True and status["record"]["provisioning_status_check_interval_minutes"] == "45"
    assert templates["template"]["type"] == "ServiceNowSDIM"
    [doc] = played["state"]["service_desk_integrations"]
    assert doc["attributes"]["password"] == PASSWORD and doc["attributes"]["oauth"]["client_secret"] == NESTED
