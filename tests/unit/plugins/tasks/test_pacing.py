# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request pacing under the rate limit: one window per key, shared by every process through a locked file."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import multiprocessing
import os
import stat
import time

import pytest

from ansible_collections.sailpoint.identitynow.plugins.module_utils import _pacing as pacing
from ansible_collections.sailpoint.identitynow.plugins.module_utils import _options as options
from ansible_collections.sailpoint.identitynow.plugins.module_utils._client import SailPointClient

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


class Clock:
    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.mark.parametrize("path,version", [("/v2024/sim-integrations", "v2024"), ("/beta/service-desk-integrations?limit=250", "beta"),
                                          ("/sim-integrations/v1/abc", "v1"), ("/v3/service-desk-integrations/x", "v3"),
                                          ("/oauth/token", "")])
def test_the_window_a_path_counts_in(path, version):
    assert pacing.version_of(path) == version


def test_two_pacers_of_one_key_share_the_window_through_the_file(tmp_path):
    clock = Clock()
    one = pacing.Pacer("tenant|client|v2024", limit=3, window=10.0, directory=str(tmp_path), clock=clock, sleep=clock.sleep)
    other = pacing.Pacer("tenant|client|v2024", limit=3, window=10.0, directory=str(tmp_path), clock=clock, sleep=clock.sleep)
    assert [one.acquire(), other.acquire(), one.acquire()] == [1000.0] * 3 and clock.slept == []
    clock.now += 2
    assert other.acquire() == pytest.approx(1010.0)  # waits until the first place leaves the window
    assert clock.slept == [pytest.approx(8.0)]
    apart = pacing.Pacer("tenant|client|v2025", limit=3, window=10.0, directory=str(tmp_path), clock=clock, sleep=clock.sleep)
    apart.acquire()  # another API version: its own window
    assert len(clock.slept) == 1


def test_settle_moves_a_place_to_the_answer(tmp_path):
    clock = Clock()
    pacer = pacing.Pacer("k", limit=1, window=10.0, directory=str(tmp_path), clock=clock, sleep=clock.sleep)
    taken = pacer.acquire()
    clock.now += 3  # a slow answer: the server may have counted the request as late as this
    pacer.settle(taken)
    pacer.acquire()
    assert clock.now == pytest.approx(1013.0)


def test_files_are_private_and_named_without_the_key(tmp_path, monkeypatch):
    monkeypatch.setattr(pacing.tempfile, "gettempdir", lambda: str(tmp_path))
    folder = pacing.private_dir()
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    pacer = pacing.Pacer("https://t|secret-looking-client|v2024", directory=folder)
    pacer.acquire()
    (name,) = os.listdir(folder)
    assert "secret" not in name and "client" not in name
    assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o600
    assert open(os.path.join(folder, name)).read().strip().replace(".", "").isdigit()  # times only


def test_a_directory_others_can_write_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(pacing.tempfile, "gettempdir", lambda: str(tmp_path))
    folder = tmp_path / ("sailpoint.identitynow-%d" % os.getuid())
    folder.mkdir(mode=0o777)
    os.chmod(str(folder), 0o777)
    assert pacing.private_dir() is None
    clock = Clock()
    pacer = pacing.Pacer("k-local", limit=1, window=5.0, clock=clock, sleep=clock.sleep)
    assert pacer.path is None
    pacer.acquire()
    pacer.acquire()  # still paced, within this process
    assert clock.slept == [pytest.approx(5.0)] and os.listdir(str(folder)) == []


def _hammer(folder, count, out):
    pacer = pacing.Pacer("shared-key", limit=4, window=0.5, directory=folder)
    out.put([pacer.acquire() for _ in range(count)])


def test_processes_never_exceed_the_limit_together(tmp_path):
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=_hammer, args=(str(tmp_path), 6, out)) for _ in range(2)]
    for proc in procs:
        proc.start()
    times = sorted(out.get(timeout=30) + out.get(timeout=30))
    for proc in procs:
        proc.join(timeout=30)
    assert len(times) == 12
    assert all(times[i + 4] - times[i] >= 0.5 - 1e-6 for i in range(len(times) - 4))  # no 5 places within one window


def _harness():
    spec = importlib.util.spec_from_file_location("bench_harness", os.path.join(ROOT, "tests", "emulator", "harness.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("rate_limit", [5, 0])
def test_a_paced_client_gets_no_429_from_a_rate_limited_service(tmp_path, rate_limit):
    harness = _harness()
    with harness.start(in_process=True, lifetime=120, client_id="pace-client", client_secret="pace-secret", rate_limit=5, rate_window=1) as emu:
        warnings = []
        client = SailPointClient(emu.url, client_id="pace-client", client_secret="pace-secret", rate_limit=rate_limit, rate_window=1.0,
                                 pace_dir=str(tmp_path), warn=warnings.append, retry_max_wait=60)
        start = time.monotonic()
        for _ in range(12):
            client.request("GET", "/v2024/sim-integrations")
        limited = [w for w in warnings if "HTTP 429" in w]
        if rate_limit:
            assert limited == [] and time.monotonic() - start >= 2.0  # 12 requests at 5 per second: two windows waited
        else:
            assert limited  # the service's limit answers, and the retry is the safety net


def test_the_option_is_in_the_table_with_its_default():
    assert options.CONNECTION_OPTIONS["rate_limit"] == dict(type="int", env="SAIL_RATE_LIMIT", default=100)
    assert options.client_kwargs(dict(base_url="https://t.api.identitynow.com", client_id="a", client_secret="b", rate_limit=100))["rate_limit"] == 100
    with pytest.raises(Exception, match="rate_limit"):
        options.client_kwargs(dict(base_url="https://t.api.identitynow.com", client_id="a", client_secret="b", rate_limit=-1))
