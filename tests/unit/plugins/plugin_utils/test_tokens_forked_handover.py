"""A forked module gets a token with enough lifetime left for its run (issue 10, item 4), on a fake clock.

The controller (``credentials.prepare_forked``) hands a forked module, which never receives the client secret and
so cannot replace a token, only a token with at least ``token_cache.handover_margin(expires_in)`` seconds left,
replaced through the play's shared token store when it has less: once for the play, not once per task. A 401 the
module still gets is explained (``credentials.explain_rejected_token``).
"""

import multiprocessing
import os
import time

import pytest

from ansible_collections.aep.platform.plugins.module_utils import token_cache
from ansible_collections.aep.platform.plugins.plugin_utils import credentials
from tests.unit.conftest import CLIENT_ID, CLIENT_SECRET, IMS, ORG_ID, PLATFORM, TOKEN_URL

CONNECTION = dict(client_id=CLIENT_ID, org_id=ORG_ID, platform_url=PLATFORM, ims_url=IMS, client_secret=CLIENT_SECRET)
LIFETIME = 15  # seconds, as the emulator's short-lived tokens of tests/integration/test_tokens.py
START = 1_000_000.0  # the fake clock's epoch: far from the real time, so the real clock would expire every token


class FakeClock:
    """Stands in for ``time.time`` in the client and the token store."""

    def __init__(self, now=START):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(time, 'time', fake)  # client.py and token_cache.py read time.time() when they run
    return fake


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """prepare_forked changes os.environ (the worker's): restore it after each test."""
    for name in ('AEP_CLIENT_SECRET', 'AEP_ACCESS_TOKEN', 'AEP_CLIENT_ID', 'AEP_ORG_ID', 'AEP_SCOPES', 'AEP_IMS_URL'):
        monkeypatch.setenv(name, 'placeholder')
        monkeypatch.delenv(name)


class Ims:
    """The IMS token endpoint, mocked: a new token per request, ``expires_in`` seconds long."""

    def __init__(self, mocked, expires_in=LIFETIME):
        self.expires_in = expires_in
        self.issued = []
        mocked.add_callback('POST', TOKEN_URL, callback=self.issue)

    def issue(self, request):
        self.issued.append('emu-at-ims-%d' % (len(self.issued) + 1))
        return 200, {}, '{"access_token": "%s", "token_type": "bearer", "expires_in": %d}' % (self.issued[-1], self.expires_in)


def shared_store():
    """The play's store for ``CONNECTION``, as the client opens it (same key derivation: ims_url, id, org, scopes)."""
    from ansible_collections.aep.platform.plugins.module_utils.client import DEFAULT_SCOPES
    return token_cache.shared_token_store(IMS, CLIENT_ID, CLIENT_SECRET, ORG_ID, DEFAULT_SCOPES)


def share(token, fetched_at, expires_in=LIFETIME):
    shared_store().offer({'access_token': token, 'token_type': 'bearer', 'expires_in': expires_in, 'fetched_at': fetched_at})


def forked_task(args=None, transport='local'):
    """One forked task of the play, in its own worker: the token it hands to the module."""
    module_args, ready = credentials.prepare_forked('source_connection_info', dict(CONNECTION, name='x', **(args or {})), transport)
    assert ready is None and 'client_secret' not in module_args
    return module_args['access_token'] if transport != 'local' else credentials.os.environ['AEP_ACCESS_TOKEN']


@pytest.mark.parametrize('expires_in, margin', [
    (86399, 86399 / 4.0),  # a real IMS token (24 h): handed over while 6 h are left
    (3600, 900.0),         # 1 h: a quarter
    (1200, 600.0),         # 20 min: the 10 min floor
    (120, 60.0),           # 2 min: the floor, capped at half the lifetime
    (LIFETIME, 7.5),       # the tests' 15 s tokens: half the lifetime
])
def test_handover_margin_is_a_floor_or_a_quarter_at_most_half_the_lifetime(expires_in, margin):
    assert token_cache.handover_margin(expires_in) == pytest.approx(margin)
    assert token_cache.handover_margin(expires_in) <= expires_in / 2.0  # a new token always qualifies


@pytest.mark.parametrize('expires_in', [LIFETIME, 86399])
def test_token_above_the_margin_is_handed_over_without_a_request(mocked, clock, expires_in):
    ims = Ims(mocked, expires_in)
    margin = token_cache.handover_margin(expires_in)
    share('emu-at-shared', fetched_at=START, expires_in=expires_in)
    clock.now = START + expires_in - margin - 0.5  # 0.5 s above the margin
    assert forked_task() == 'emu-at-shared'
    assert forked_task(transport='ssh') == 'emu-at-shared'
    assert ims.issued == []


@pytest.mark.parametrize('expires_in', [LIFETIME, 86399])
def test_token_below_the_margin_is_replaced_before_the_handover(mocked, clock, expires_in):
    ims = Ims(mocked, expires_in)
    margin = token_cache.handover_margin(expires_in)
    share('emu-at-shared', fetched_at=START, expires_in=expires_in)
    clock.now = START + expires_in - margin + 0.5  # 0.5 s below the margin
    # an in-process task would still use it (replaced a fifth of the lifetime, at most 5 min, before expiry) ...
    assert shared_store().valid(shared_store().read())
    # ... a forked one, which cannot replace it, gets a new one, shared with the play
    assert forked_task() == 'emu-at-ims-1'
    assert shared_store().read()['access_token'] == 'emu-at-ims-1'
    assert shared_store().status('emu-at-shared')[0] == 'retired'
    assert ims.issued == ['emu-at-ims-1']


def test_a_token_given_to_the_task_is_not_handed_over_on_trust(mocked, clock):
    """The play's ``aep.platform.token`` result, given as access_token, was the shared token: once it is below the
    margin the module gets the replacement, not the given token, which it could not replace."""
    ims = Ims(mocked)
    share('emu-at-play-token', fetched_at=START)
    clock.now = START + 10  # 5 s left: below the 7.5 s margin
    assert forked_task({'access_token': 'emu-at-play-token'}) == 'emu-at-ims-1'
    assert forked_task({'access_token': 'emu-at-unknown-to-the-store'}) == 'emu-at-ims-1'
    assert ims.issued == ['emu-at-ims-1']


def test_twenty_forked_tasks_after_an_expiry_cost_one_request(mocked, clock):
    ims = Ims(mocked)
    share('emu-at-play-token', fetched_at=START)
    clock.now = START + LIFETIME + 1  # the play paused past the token's expiry
    handed = []
    for dummy in range(20):  # the next task over 20 sandboxes, one worker each, 0.2 s apart
        handed.append(forked_task({'access_token': 'emu-at-play-token'}))
        clock.now += 0.2
    assert ims.issued == ['emu-at-ims-1'] and set(handed) == {'emu-at-ims-1'}


def test_sixty_forked_tasks_over_two_lifetimes_cost_a_request_per_half_lifetime(mocked, clock):
    """Three tasks over 20 sandboxes, 30 s of play with 15 s tokens: each token serves at least half its lifetime."""
    ims = Ims(mocked)
    for dummy in range(60):
        forked_task()
        clock.now += 0.5
    elapsed = 60 * 0.5
    assert len(ims.issued) <= int(elapsed // (LIFETIME - token_cache.handover_margin(LIFETIME))) + 1
    assert len(ims.issued) == 4  # at 0, 8, 16 and 24 s: 7 s left is below the 7.5 s margin


def _worker(directory, out):
    """One forked task in its own process (as Ansible's worker), after the shared token expired."""
    os.environ['AEP_TOKEN_CACHE_DIR'] = directory
    token = forked_task({'access_token': 'emu-at-expired'})
    with open(out, 'a') as handle:
        handle.write(token + '\n')


def test_twenty_concurrent_forked_tasks_after_an_expiry_cost_one_request(mocked, tmp_path):
    directory, out = os.environ['AEP_TOKEN_CACHE_DIR'], str(tmp_path / 'handed')
    fetches = tmp_path / 'fetches'

    def issue(request):
        with open(fetches, 'a') as handle:  # the workers are processes: count in a file
            handle.write('fetch\n')
        return 200, {}, '{"access_token": "emu-at-ims-%d", "expires_in": 3600}' % os.getpid()
    mocked.add_callback('POST', TOKEN_URL, callback=issue)
    share('emu-at-expired', fetched_at=time.time() - 3601, expires_in=3600)
    context = multiprocessing.get_context('fork')
    workers = [context.Process(target=_worker, args=(directory, out)) for dummy in range(20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0] * 20
    assert fetches.read_text().count('fetch') == 1
    handed = (tmp_path / 'handed').read_text().split()
    assert len(handed) == 20 and len(set(handed)) == 1 and handed[0].startswith('emu-at-ims-')


def test_without_a_store_each_forked_task_gets_a_new_token(mocked, clock, monkeypatch):
    monkeypatch.setenv('AEP_TOKEN_CACHE', '0')
    ims = Ims(mocked)
    assert [forked_task() for dummy in range(3)] == ['emu-at-ims-1', 'emu-at-ims-2', 'emu-at-ims-3']


# --- a 401 the forked module still gets ------------------------------------------------------------

HANDED = {'access_token': 'emu-at-handed-token', 'token_type': 'bearer', 'expires_in': LIFETIME, 'fetched_at': START}
MODULE_401 = {
    'failed': True, 'status': 401, 'error_type': 'AuthenticationError', 'method': 'GET',
    'url': PLATFORM + '/data/foundation/flowservice/sourceConnections',
    'msg': 'AEP Flow Service GET /data/foundation/flowservice/sourceConnections failed: 401 401013 Oauth token is not valid; '
           'the platform rejected the access token (expired, or issued for another organization): give a fresh '
           'access_token (aep.platform.token, environment variable AEP_ACCESS_TOKEN) or client_secret so that one is fetched'}


def test_a_401_after_the_token_expired_says_so_and_how_to_fix_it():
    # ansible-core 2.19+ adds the module's message as the error it displays (exception): it must not stay
    result = credentials.explain_rejected_token(dict(MODULE_401, exception='the module message'), HANDED,
                                                started=START + 1, ended=START + 19)
    assert 'exception' not in result
    msg = result['msg']
    assert msg.startswith('AEP Flow Service GET /data/foundation/flowservice/sourceConnections failed: 401 401013 '
                          'Oauth token is not valid: the access token that the controller handed to this forked module '
                          'expired during the module\'s run: it had 14 s of its 15 s lifetime left when the module started')
    assert 'with at least 7.5 s left' in msg and 'start-up included, took 18 s' in msg
    assert 'never receives the client secret' in msg and 'Run the task again' in msg and 'in-process' in msg
    assert 'client_secret so that one is fetched' not in msg  # the module's advice does not apply to a forked module
    assert 'emu-at-' not in repr(result) and CLIENT_SECRET not in repr(result)
    assert result['status'] == 401 and result['failed'] is True and result['url'] == MODULE_401['url']


def test_a_401_before_the_expiry_names_the_other_causes():
    msg = credentials.explain_rejected_token(MODULE_401, HANDED, started=START + 1, ended=START + 3)['msg']
    assert 'although it had 12 s of its lifetime left: it was revoked, or issued for another organization' in msg
    assert 'expired during' not in msg


@pytest.mark.parametrize('result', [{'changed': False}, dict(MODULE_401, status=403), dict(MODULE_401, failed=False)])
def test_other_results_are_left_alone(result):
    assert credentials.explain_rejected_token(result, HANDED, START, START + 20) is result


def test_run_forked_explains_the_modules_401(mocked, clock):
    Ims(mocked)
    seen = []

    def execute(module_args):
        seen.append(module_args)
        clock.now += LIFETIME + 5  # a run longer than the token's lifetime
        return dict(MODULE_401)
    result = credentials.run_forked('source_connection_info', dict(CONNECTION, name='x'), 'local', execute)
    assert 'expired during the module\'s run: it had 15 s of its 15 s lifetime left' in result['msg']
    assert seen == [{'client_id': CLIENT_ID, 'org_id': ORG_ID, 'platform_url': PLATFORM, 'ims_url': IMS, 'name': 'x'}]


def test_run_forked_answers_the_token_module_without_running_a_module(mocked, clock):
    Ims(mocked)
    result = credentials.run_forked('token', dict(CONNECTION), 'local', lambda module_args: pytest.fail('no module runs'))
    assert result['access_token'] == 'emu-at-ims-1' and result['expires_in'] == LIFETIME
