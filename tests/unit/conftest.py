"""Shared fixtures for unit tests: a client with mocked HTTP (``responses``) and no real sleeping."""

import pytest
import responses

from ansible_collections.aep.platform.plugins.module_utils.client import AepClient

PLATFORM = 'https://platform.test'
IMS = 'https://ims.test'
TOKEN_URL = IMS + '/ims/token/v3'
CLIENT_ID = 'test-client-id'
CLIENT_SECRET = 's3cr3t-client-secret'
ORG_ID = '0123456789ABCDEF01234567@AdobeOrg'


class SleepRecorder:
    """Stands in for time.sleep: records the delays instead of waiting."""

    def __init__(self):
        self.calls = []

    def __call__(self, seconds):
        self.calls.append(seconds)


@pytest.fixture(autouse=True)
def private_token_cache(tmp_path, monkeypatch):
    """Each test its own shared-token directory (module_utils/token_cache.py), so no token crosses tests."""
    monkeypatch.setenv('AEP_TOKEN_CACHE_DIR', str(tmp_path / 'token-cache'))


@pytest.fixture
def sleeps():
    return SleepRecorder()


@pytest.fixture
def mocked():
    """A ``responses.RequestsMock``; every registered URL need not be called."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def make_client(sleeps):
    def factory(**kwargs):
        options = dict(client_id=CLIENT_ID, org_id=ORG_ID, sandbox='dev', platform_url=PLATFORM, ims_url=IMS,
                       access_token='given-access-token', sleep=sleeps, backoff_base=0.01)
        options.update(kwargs)
        return AepClient(**options)
    return factory


@pytest.fixture
def client(make_client):
    """A client with a fixed access token (no IMS call)."""
    return make_client()


def platform(service, path=''):
    """Absolute URL of ``path`` in a platform service (``platform('flowservice', '/flows')``)."""
    return '%s/data/foundation/%s%s' % (PLATFORM, service, path)


@pytest.fixture(name='platform')
def platform_fixture():
    return platform


def writes(mock):
    """The non-GET calls a ``responses`` mock saw (check-mode tests assert this is empty)."""
    return [c.request for c in mock.calls if c.request.method not in ('GET', 'HEAD')]


@pytest.fixture(name='writes')
def writes_fixture():
    return writes
