# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader


def lookup():
    return lookup_loader.get("sailpoint.identitynow.access_token")


def test_returns_a_working_token(emu):
    token = lookup().run([], base_url=emu.url, client_id="unit-client", client_secret="unit-secret-7f3a9c")[0]
    assert token.count(".") == 2
    assert emu.calls() == [("POST", "/oauth/token")]


def test_reads_the_environment(emu, monkeypatch):
    monkeypatch.setenv("SAIL_BASE_URL", emu.url)
    monkeypatch.setenv("SAIL_CLIENT_ID", "unit-client")
    monkeypatch.setenv("SAIL_CLIENT_SECRET", "unit-secret-7f3a9c")
    assert lookup().run([])[0]


@pytest.mark.parametrize("kwargs,needle", [
    ({"client_id": "unit-client"}, "client_secret are required"),
    ({"client_id": "unit-client", "client_secret": "wrong"}, "credentials were refused"),
])
def test_errors(emu, kwargs, needle):
    with pytest.raises(AnsibleLookupError) as e:
        lookup().run([], base_url=emu.url, **kwargs)
    assert needle in str(e.value)
