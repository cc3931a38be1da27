"""token_cache: one token shared by a play's worker processes, never in clear on disk."""

import multiprocessing
import os
import stat

import pytest
from responses import matchers

from ansible_collections.aep.platform.plugins.module_utils import token_cache
from ansible_collections.aep.platform.plugins.module_utils.client import FLOW_SERVICE, AepClient
from tests.unit.conftest import CLIENT_ID, CLIENT_SECRET, IMS, ORG_ID, PLATFORM, TOKEN_URL, platform

FLOWS = platform(FLOW_SERVICE, '/flows')


def store_for(secret=CLIENT_SECRET, client_id=CLIENT_ID):
    return token_cache.shared_token_store(IMS, client_id, secret, ORG_ID, ['openid'])


def info(token, expires_in=3600, fetched_at=None):
    return {'access_token': token, 'token_type': 'bearer', 'expires_in': expires_in, 'fetched_at': fetched_at}


def all_file_bytes(directory):
    data = b''
    for root, dummy, files in os.walk(directory):
        for name in files:
            with open(os.path.join(root, name), 'rb') as handle:
                data += handle.read()
    return data


def test_record_is_encrypted_and_directory_private(tmp_path):
    store = store_for()
    store.get(lambda: info('emu-at-very-secret-token'))
    directory = os.path.dirname(store.path)
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    data = all_file_bytes(directory)
    assert data and b'emu-at-very-secret-token' not in data and CLIENT_SECRET.encode() not in data
    assert CLIENT_ID.encode() not in os.path.basename(store.path).encode()
    assert store_for().read()['access_token'] == 'emu-at-very-secret-token'


def test_another_secret_cannot_read_the_record():
    store_for().get(lambda: info('emu-at-token-one'))
    other = store_for(secret='another-secret-value')
    assert other.path != store_for().path and other.read() is None
    other.path = store_for().path  # even pointed at the file, the key does not open it
    assert other.read() is None


def test_valid_token_is_reused_without_fetching():
    calls = []
    store = store_for()
    first = store.get(lambda: calls.append(1) or info('emu-at-token-one'))
    second = store_for().get(lambda: calls.append(1) or info('emu-at-token-two'))
    assert first['access_token'] == second['access_token'] == 'emu-at-token-one' and calls == [1]


def test_token_replaced_a_fifth_of_its_lifetime_before_expiry():
    store = store_for()
    store.get(lambda: info('emu-at-token-one', expires_in=100, fetched_at=1000.0))
    store.clock = lambda: 1079.0
    assert store.get(lambda: info('emu-at-token-two'))['access_token'] == 'emu-at-token-one'
    store.clock = lambda: 1080.5
    record = store.get(lambda: info('emu-at-token-two'))
    assert record['access_token'] == 'emu-at-token-two'
    assert store.status('emu-at-token-one')[0] == 'retired'


def test_dead_token_is_replaced_once():
    store = store_for()
    store.get(lambda: info('emu-at-token-one'))
    calls = []

    def fetch():
        calls.append(1)
        return info('emu-at-token-%d' % (len(calls) + 1))
    assert store.get(fetch, dead='emu-at-token-one')['access_token'] == 'emu-at-token-2'
    # a second task that also got a 401 with the old token uses the replacement
    assert store.get(fetch, dead='emu-at-token-one')['access_token'] == 'emu-at-token-2' and calls == [1]


def _worker(directory, out):
    os.environ['AEP_TOKEN_CACHE_DIR'] = directory

    def fetch():
        with open(out, 'a') as handle:
            handle.write('fetch\n')
        return info('emu-at-token-%d' % os.getpid())

    record = store_for().get(fetch)
    with open(out + '.tokens', 'a') as handle:
        handle.write(record['access_token'] + '\n')


def test_twenty_processes_fetch_one_token(tmp_path):
    directory, out = str(tmp_path / 'cache'), str(tmp_path / 'fetches')
    context = multiprocessing.get_context('fork')
    workers = [context.Process(target=_worker, args=(directory, out)) for dummy in range(20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert all(w.exitcode == 0 for w in workers)
    with open(out) as handle:
        assert handle.read().count('fetch') == 1
    with open(out + '.tokens') as handle:
        tokens = handle.read().split()
    assert len(tokens) == 20 and len(set(tokens)) == 1


def test_disabled_or_unsafe_directory_means_no_store(tmp_path, monkeypatch):
    monkeypatch.setenv('AEP_TOKEN_CACHE', '0')
    assert store_for() is None
    monkeypatch.delenv('AEP_TOKEN_CACHE')
    shared = tmp_path / 'shared'
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv('AEP_TOKEN_CACHE_DIR', str(shared))
    assert store_for() is None
    assert token_cache.shared_token_store(IMS, CLIENT_ID, None) is None


# --- through the client ---------------------------------------------------------------------------

def params(**extra):
    base = dict(client_id=CLIENT_ID, org_id=ORG_ID, sandbox='dev', client_secret=CLIENT_SECRET, access_token=None,
                scopes=['openid'], platform_url=PLATFORM, ims_url=IMS, validate_certs=True, ca_path=None, timeout=5)
    base.update(extra)
    return base


def test_clients_of_successive_tasks_share_one_token(mocked):
    mocked.post(TOKEN_URL, json={'access_token': 'emu-at-shared-token', 'expires_in': 3600})
    mocked.get(FLOWS, json={'items': []})
    for dummy in range(5):
        AepClient.from_params(params()).get(FLOW_SERVICE, '/flows')
    assert len([c for c in mocked.calls if c.request.url == TOKEN_URL]) == 1


def test_replaced_token_given_to_a_task_is_not_sent_again(mocked):
    """The play's token expired; one task replaced it after a 401. The next tasks, still given the old token
    (module_defaults), use the replacement at once: no 401 for each task."""
    mocked.post(TOKEN_URL, json={'access_token': 'emu-at-new-token', 'expires_in': 3600})
    mocked.get(FLOWS, status=401, json={'error_code': '401013', 'message': 'Oauth token is not valid'},
               match=[matchers.header_matcher({'Authorization': 'Bearer emu-at-old-token'})])
    mocked.get(FLOWS, json={'items': []}, match=[matchers.header_matcher({'Authorization': 'Bearer emu-at-new-token'})])
    for dummy in range(5):
        assert AepClient.from_params(params(access_token='emu-at-old-token')).get(FLOW_SERVICE, '/flows') == {'items': []}
    statuses = [c.response.status_code for c in mocked.calls if c.request.url.startswith(FLOWS)]
    assert statuses == [401] + [200] * 5
    assert len([c for c in mocked.calls if c.request.url == TOKEN_URL]) == 1


def test_shared_token_close_to_expiry_is_replaced_before_use(mocked):
    store = store_for()
    store.get(lambda: info('emu-at-old-token', expires_in=100, fetched_at=1.0))  # long expired
    mocked.post(TOKEN_URL, json={'access_token': 'emu-at-new-token', 'expires_in': 3600})
    mocked.get(FLOWS, json={'items': []}, match=[matchers.header_matcher({'Authorization': 'Bearer emu-at-new-token'})])
    aep = AepClient.from_params(params(access_token='emu-at-old-token'))
    assert aep.get(FLOW_SERVICE, '/flows') == {'items': []}
    assert [c.response.status_code for c in mocked.calls] == [200, 200]  # IMS, then the call: no 401


def test_token_module_offers_its_token_to_the_play(mocked):
    mocked.post(TOKEN_URL, json={'access_token': 'emu-at-token-module', 'expires_in': 3600})
    token = AepClient.from_params(params()).fetch_token()
    assert token['access_token'] == 'emu-at-token-module'
    assert store_for().status('emu-at-token-module')[0] == 'current'


@pytest.mark.parametrize('secret', [None])
def test_token_only_clients_never_touch_the_store(mocked, secret):
    aep = AepClient.from_params(params(client_secret=secret, access_token='emu-at-given'))
    assert aep.token_store is None
