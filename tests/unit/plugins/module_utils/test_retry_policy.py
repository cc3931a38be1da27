"""RetryPolicy: the one stated policy, method by method and error by error (mocked HTTP, no real sleeping)."""

import pytest
import requests

from ansible_collections.aep.platform.plugins.module_utils.client import (
    FLOW_SERVICE,
    AepError,
    ConnectionFailure,
    NotFoundError,
    RetryPolicy,
    ServerError,
)
from tests.unit.conftest import platform

FLOWS = platform(FLOW_SERVICE, '/flows')
ITEM = FLOWS + '/f1'
DROPPED = requests.exceptions.ConnectionError('Connection aborted, RemoteDisconnected')
REFUSED = requests.exceptions.ConnectionError('[Errno 111] Connection refused')
READ_TIMEOUT = requests.exceptions.ReadTimeout('read timed out')

WRITES = {'GET': (FLOWS, None), 'PUT': (ITEM, {}), 'PATCH': (ITEM, []), 'DELETE': (ITEM, None), 'POST': (FLOWS, {})}


def call(aep, method):
    url, body = WRITES[method]
    return aep.request(method, FLOW_SERVICE, url, json=body)


def answer(mocked, method, fault):
    url = WRITES[method][0]
    if isinstance(fault, int):
        mocked.add(method, url, status=fault, json={}, headers={'Retry-After': '0'} if fault == 429 else {})
    else:
        mocked.add(method, url, body=fault)


# (fault, methods that repeat the call themselves). POST repeats only what AEP cannot have acted on.
MATRIX = [
    (429, ('GET', 'PUT', 'PATCH', 'DELETE', 'POST')),
    (500, ('GET', 'PUT', 'PATCH', 'DELETE')),
    (502, ('GET', 'PUT', 'PATCH', 'DELETE')),
    (503, ('GET', 'PUT', 'PATCH', 'DELETE')),
    (504, ('GET', 'PUT', 'PATCH', 'DELETE')),
    (REFUSED, ('GET', 'PUT', 'PATCH', 'DELETE', 'POST')),
    (DROPPED, ('GET', 'PUT', 'PATCH', 'DELETE')),
    (READ_TIMEOUT, ('GET', 'PUT', 'PATCH', 'DELETE')),
]


@pytest.mark.parametrize('method', ['GET', 'PUT', 'PATCH', 'DELETE', 'POST'])
@pytest.mark.parametrize('fault, repeating', MATRIX, ids=lambda v: getattr(v, '__name__', None) or repr(v)[:20])
def test_one_fault_then_success(mocked, make_client, method, fault, repeating):
    aep = make_client()
    answer(mocked, method, fault)
    mocked.add(method, WRITES[method][0], status=200, json={'ok': True})
    if method in repeating:
        assert call(aep, method).body == {'ok': True}
        assert len(mocked.calls) == 2
        return
    with pytest.raises(AepError) as info:
        call(aep, method)
    assert len(mocked.calls) == 1  # a create that may have been applied is never sent again by the client
    err = info.value
    assert err.transient and not err.retries_exhausted  # the engine looks the object up before any new create
    if isinstance(err, ConnectionFailure):
        assert err.maybe_delivered  # no answer: AEP may still be creating it, so it is looked up, not re-sent
    else:
        assert isinstance(err, ServerError)


@pytest.mark.parametrize('method', ['GET', 'PATCH', 'DELETE'])
def test_persistent_fault_stops_after_retries(mocked, make_client, sleeps, method):
    aep = make_client(max_retries=3)
    answer(mocked, method, 503)
    with pytest.raises(ServerError) as info:
        call(aep, method)
    assert len(mocked.calls) == 4 and len(sleeps.calls) == 3
    assert info.value.attempts == 4 and info.value.retries_exhausted and not info.value.transient


def test_deadline_bounds_the_whole_call(mocked, make_client):
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    aep = make_client(max_retries=100, retry_deadline=10, backoff_base=2.0, backoff_max=4.0, sleep=sleep,
                      clock=lambda: now[0])
    mocked.get(FLOWS, status=503, json={})
    with pytest.raises(ServerError) as info:
        aep.get(FLOW_SERVICE, '/flows')
    assert sum(waits) <= 10 and info.value.retries_exhausted
    assert 3 <= len(waits) < 100


def test_not_found_and_validation_errors_are_not_retried(mocked, client):
    mocked.get(FLOWS, status=404, json={})
    with pytest.raises(NotFoundError) as info:
        client.get(FLOW_SERVICE, '/flows')
    assert len(mocked.calls) == 1 and not info.value.transient


def test_ims_token_request_is_retried_like_a_read(mocked, make_client):
    from tests.unit.conftest import CLIENT_SECRET, TOKEN_URL
    mocked.post(TOKEN_URL, status=503, json={})
    mocked.post(TOKEN_URL, json={'access_token': 'emu-at-token', 'expires_in': 60})
    aep = make_client(access_token=None, client_secret=CLIENT_SECRET)
    assert aep.fetch_token()['access_token'] == 'emu-at-token'


def test_policy_as_a_declaration():
    """``policy.retrying(retry_if)`` is the decorator form (amazon.aws AWSRetry.jittered_backoff style)."""
    waits = []
    policy = RetryPolicy(retries=2, deadline=60, backoff=0.5, sleep=waits.append)
    attempts = []

    @policy.retrying(lambda err: err.status == 503)
    def flaky():
        attempts.append(1)
        if len(attempts) < 3:
            raise AepError('busy', status=503)
        return 'done'

    assert flaky() == 'done' and len(attempts) == 3 and len(waits) == 2
    assert 0.25 <= waits[0] <= 0.5 and 0.5 <= waits[1] <= 1.0
    assert policy.attempts == 3


def test_backoff_is_jittered_and_capped():
    policy = RetryPolicy(backoff=1.0, backoff_max=30.0)
    for attempt in range(12):
        cap = min(30.0, 2.0 ** attempt)
        assert cap / 2 <= policy.backoff_delay(attempt) <= cap
