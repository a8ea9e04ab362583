# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tasks of one ansible-playbook run share one token on the in-process path (plugin_utils/_token_share.py),
counted as POST /oauth/token in the emulator's request log of real runs: linear and free strategies, forks,
several client ids, an expired or refused token, two runs at once, and no token in the output at -vvv.

Before the shared store every task paid its own token: 4 for a loop split over 4 tasks, 8 on two hosts.
Runs on whatever ansible-core the unit tests run on; CI runs them on every supported core.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import textwrap
import threading

import pytest

from ansible_collections.sailpoint.identitynow.plugins.module_utils._client import SailPointClient
from ansible_collections.sailpoint.identitynow.plugins.plugin_utils import _token_share
from ansible_collections.sailpoint.identitynow.tests.unit.plugins.tasks.test_module_process import CLIENT_SECRET, play

RO_ID, RO_SECRET = "unit-readonly", "unit-readonly-secret"

# A loop split over 4 tasks, each a slice of the same names; per host, so two hosts never race for one name.
HEAD = textwrap.dedent('''
    - hosts: all
      gather_facts: false
      strategy: %(strategy)s
      module_defaults:
        group/sailpoint.identitynow.sim:
          base_url: "{{ url }}"
          client_id: unit-client
          client_secret: "%(secret)s"
      vars:
        names: "{{ range(8) | map('string') | map('regex_replace', '^', inventory_hostname ~ '%(prefix)s') | list }}"
      tasks:
''')
PART = '''
    - name: part %(n)d
      sailpoint.identitynow.sim_integration:
        name: "{{ item }}"
        description: shared token
      loop: "{{ names[%(start)d:%(end)d] }}"
'''


def split_play(strategy="linear", prefix="-share-", between=None):
    """The play; between = {part number: task YAML to run right after it}."""
    text = HEAD % dict(strategy=strategy, secret=CLIENT_SECRET, prefix=prefix)
    for n in range(1, 5):
        text += textwrap.indent(textwrap.dedent(PART % dict(n=n, start=2 * n - 2, end=2 * n)), "    ")
        if n in (between or {}):
            text += textwrap.indent(textwrap.dedent(between[n]), "    ")
    return text


@pytest.fixture
def tokens(emu):
    """token_requests(): POST /oauth/token answered 200 since the test began; issued(): {token: client_id} since then."""
    known = set(entry["token"] for entry in emu.admin.tokens())

    class Tokens:
        @staticmethod
        def requests():
            return sum(1 for r in emu.admin.requests() if r["method"] == "POST" and r["path"] == "/oauth/token" and r["status"] == 200)

        @staticmethod
        def issued():
            return dict((entry["token"], entry["client_id"]) for entry in emu.admin.tokens() if entry["token"] not in known)

    return Tokens


def assert_no_token_shown(outcome, tokens):
    issued = tokens.issued()
    assert issued, "no token was issued: the check below would prove nothing"
    for token in list(issued) + [CLIENT_SECRET]:
        assert token not in outcome["out"] and token not in outcome["syslog"]


def created(emu):
    return sorted(i["name"] for i in emu.integrations())


def test_a_loop_split_over_four_tasks_takes_one_token(tmp_path, emu, tokens):
    # A fifth task with `environment:` runs as a module process, which keeps fetching its own token.
    extra = '''
        - name: module process
          sailpoint.identitynow.sim_integration:
            name: localhost-share-0
            description: shared token
          environment: {SAIL_TIMEOUT: "30"}
    '''
    outcome = play(tmp_path, split_play(between={4: extra}), emu.url, tasks=5)
    assert created(emu) == ["localhost-share-%d" % i for i in range(8)]
    assert [r["changed"] for r in outcome["results"]] == [True] * 4 + [False]
    assert tokens.requests() == 2, emu.calls()  # was 5: one per task
    assert_no_token_shown(outcome, tokens)


@pytest.mark.parametrize("strategy", ["linear", "free"])
def test_two_hosts_two_forks(tmp_path, emu, tokens, strategy):
    outcome = play(tmp_path, split_play(strategy), emu.url, tasks=8, inventory="h1,h2,", args=("--forks", "2"))
    assert len(created(emu)) == 16 and all(r["changed"] for r in outcome["results"])
    # was 8 (4 tasks x 2 hosts); two workers may race for the first token
    assert 1 <= tokens.requests() <= 2, emu.calls()
    assert_no_token_shown(outcome, tokens)


def test_each_client_id_gets_its_own_token(tmp_path, emu, tokens):
    read_only = '''
        - name: read with another client id, part %d
          sailpoint.identitynow.sim_integration_info:
            client_id: %s
            client_secret: %s
          register: listed
    '''
    playbook = split_play(between={1: read_only % (1, RO_ID, RO_SECRET), 2: read_only % (2, RO_ID, RO_SECRET)})
    outcome = play(tmp_path, playbook, emu.url, tasks=6)
    assert len(outcome["results"][3]["records"]) == 4  # the second read sees parts 1 and 2
    assert sorted(tokens.issued().values()) == ["unit-client", RO_ID]  # was 6: one per task
    assert tokens.requests() == 2
    assert_no_token_shown(outcome, tokens)


def test_a_refused_token_is_replaced_once_for_the_tasks_after(tmp_path, emu, tokens):
    # Between parts 2 and 3 every token is revoked: part 3 is refused once (401), takes a new token and
    # stores it; part 4 uses that one.
    revoke = '''
        - name: revoke every token
          ansible.builtin.uri:
            url: "{{ url }}/__emulator/tokens/expire"
            method: POST
    '''
    outcome = play(tmp_path, split_play(between={2: revoke}), emu.url, tasks=5)
    assert len(created(emu)) == 8
    refused = [r for r in emu.admin.requests() if r["status"] == 401]
    assert len(refused) == 1 and refused[0]["method"] == "GET", refused  # part 3's list
    assert tokens.requests() == 2, emu.calls()
    assert_no_token_shown(outcome, tokens)


def test_an_expired_token_is_not_taken(tmp_path, start_emulator):
    # Tokens of 4 s count as run out 2 s after issue (the client's margin): part 3, 3 s after parts 1 and 2,
    # asks for a new one without being refused first; part 4 takes it.
    emu = start_emulator(token_lifetime=4)
    pause = '''
        - name: let the token run out
          ansible.builtin.pause:
            seconds: 3
    '''
    play(tmp_path, split_play(between={2: pause}), emu.url, tasks=5)
    log = emu.admin.requests()
    assert not [r for r in log if r["status"] == 401]
    assert sum(1 for r in log if r["path"] == "/oauth/token") == 2, [(r["method"], r["path"]) for r in log]


def test_two_runs_at_once_do_not_share(tmp_path, emu, tokens):
    outcomes = {}

    def run(which):
        (tmp_path / which).mkdir()
        outcomes[which] = play(tmp_path / which, split_play(prefix="-share-%s-" % which), emu.url, tasks=4)

    threads = [threading.Thread(target=run, args=(which,)) for which in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["a", "b"]
    assert len(created(emu)) == 16
    assert tokens.requests() == 2  # one each (was 8); 1 would mean one run used the other's token
    for outcome in outcomes.values():
        assert_no_token_shown(outcome, tokens)


def test_the_store_keeps_the_newest_when_full():
    store = _token_share._make()
    big = "t" * (_token_share.SIZE // 3)
    keys = [store.key("https://x", "id-%d" % i, "secret") for i in range(4)]
    for key in keys:
        store.put(key, big + key, 100.0)
    assert store.get(keys[0]) is None and store.get(keys[1]) is None
    assert store.get(keys[3]) == (big + keys[3], 100.0)
    assert "secret" not in "".join(keys) and len(set(keys)) == 4
    store.clear()
    assert store.get(keys[3]) is None


def test_two_workers_refused_the_same_token_fetch_one_new(emu, tokens):
    # Two clients on one store, as two workers of one run: the second takes the first's token; when both are
    # refused, the first to retry fetches a new one and the second takes that instead of fetching its own.
    store = _token_share._make()

    def worker():
        return SailPointClient(emu.url, client_id="unit-client", client_secret=CLIENT_SECRET, token_store=store)

    first, second = worker(), worker()
    secrets = []
    second.bind(register_secret=secrets.append)
    first.request("GET", "/v2024/sim-integrations")
    second.request("GET", "/v2024/sim-integrations")
    assert tokens.requests() == 1
    emu.admin.expire_tokens()
    first.request("GET", "/v2024/sim-integrations")
    second.request("GET", "/v2024/sim-integrations")
    assert tokens.requests() == 2 and [r["status"] for r in emu.admin.requests() if r["path"] != "/oauth/token"] == [200, 200, 401, 200, 401, 200]
    assert secrets == list(tokens.issued())  # each token it took from the store was registered as a secret, once


def test_the_access_token_lookup_takes_the_shared_token(tmp_path, emu, tokens):
    # The lookup's documented use: a token for tasks that run as module processes (here: `environment:`). It is
    # templated in each task's worker; with the run's store it takes the token the first task stored (was 3 tokens).
    lookup_task = '''
        - name: module process with the lookup's token, %d
          sailpoint.identitynow.sim_integration_info:
            access_token: "{{ lookup('sailpoint.identitynow.access_token', base_url=url, client_id='unit-client',
                              client_secret='%s') }}"
          environment: {SAIL_TIMEOUT: "30"}
    '''
    playbook = HEAD % dict(strategy="linear", secret=CLIENT_SECRET, prefix="-lookup-")
    playbook += textwrap.indent(textwrap.dedent(PART % dict(n=1, start=0, end=2)), "    ")
    for n in (1, 2, 3):
        playbook += textwrap.indent(textwrap.dedent(lookup_task % (n, CLIENT_SECRET)), "    ")
    outcome = play(tmp_path, playbook, emu.url, tasks=4)
    assert [len(r["records"]) for r in outcome["results"][1:]] == [2, 2, 2], outcome["results"]
    assert tokens.requests() == 1, emu.calls()
    assert_no_token_shown(outcome, tokens)
