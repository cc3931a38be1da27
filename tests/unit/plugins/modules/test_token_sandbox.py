"""Logic of the token and sandbox_info modules."""

import pytest
from responses import matchers

from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import sandbox, token
from tests.unit.conftest import CLIENT_SECRET, TOKEN_URL, platform, writes

SANDBOXES = platform('sandbox-management', '/sandboxes')


def test_token_returns_token_fields(mocked, make_client):
    mocked.post(TOKEN_URL, json={'access_token': 'emu-at-1', 'token_type': 'bearer', 'expires_in': 86399})
    client = make_client(access_token=None, client_secret=CLIENT_SECRET)
    result = token.run({'client_secret': CLIENT_SECRET}, client, check_mode=True)
    assert result == {'changed': False, 'access_token': 'emu-at-1', 'token_type': 'bearer', 'expires_in': 86399}
    assert client.token_fetches == 1


def test_token_needs_client_secret(client):
    with pytest.raises(InputError) as info:
        token.run({'client_secret': None}, client, check_mode=False)
    assert info.value.field == 'client_secret'


def test_sandbox_info_lists_all_pages(mocked, client):
    mocked.get(SANDBOXES, json={'sandboxes': [{'name': 'prod'}], '_links': {'next': {'href': '/sandboxes?start=1'}}},
               match=[matchers.query_param_matcher({})])
    mocked.get(SANDBOXES, json={'sandboxes': [{'name': 'dev'}], '_links': {}},
               match=[matchers.query_param_matcher({'start': '1'})])
    result = sandbox.run({'name': None}, client, check_mode=False)
    assert result == {'changed': False, 'sandboxes': [{'name': 'prod'}, {'name': 'dev'}]}
    assert writes(mocked) == []


def test_sandbox_info_by_name(mocked, client):
    mocked.get(SANDBOXES, json={'sandboxes': [{'name': 'prod'}, {'name': 'dev'}]})
    assert sandbox.run({'name': 'dev'}, client, False)['sandboxes'] == [{'name': 'dev'}]
    assert sandbox.run({'name': 'nope'}, client, False)['sandboxes'] == []
