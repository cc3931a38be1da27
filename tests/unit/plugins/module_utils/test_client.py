"""AepClient: token, headers, retries, pagination, error parsing, redaction."""

import json
from urllib.parse import parse_qs

import pytest
import requests
from responses import matchers

from ansible_collections.aep.platform.plugins.module_utils import client as client_mod
from ansible_collections.aep.platform.plugins.module_utils.client import (
    AuthenticationError,
    CATALOG,
    ConnectionFailure,
    DATA_PREP,
    FLOW_SERVICE,
    NotFoundError,
    PreconditionFailedError,
    RateLimitedError,
    SANDBOX_MANAGEMENT,
    SCHEMA_REGISTRY,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
    parse_error_body,
    parse_retry_after,
)
from tests.unit.conftest import CLIENT_ID, CLIENT_SECRET, ORG_ID, TOKEN_URL, platform

TOKEN_BODY = {'access_token': 'emu-at-fetched-token', 'token_type': 'bearer', 'expires_in': 86399}
FLOWS = platform(FLOW_SERVICE, '/flows')


def credential_client(make_client, **kwargs):
    return make_client(access_token=None, client_secret=CLIENT_SECRET, **kwargs)


# --- token -----------------------------------------------------------------------------------------

def test_token_fetch_sends_client_credentials_form(mocked, make_client):
    mocked.post(TOKEN_URL, json=TOKEN_BODY)
    aep = credential_client(make_client, scopes=['openid', 'AdobeID'])
    assert aep.fetch_token() == TOKEN_BODY
    request = mocked.calls[0].request
    assert request.headers['Content-Type'] == 'application/x-www-form-urlencoded'
    assert parse_qs(request.body) == {
        'grant_type': ['client_credentials'], 'client_id': [CLIENT_ID],
        'client_secret': [CLIENT_SECRET], 'scope': ['openid,AdobeID'],
    }


def test_token_fetched_once_per_client(mocked, make_client):
    mocked.post(TOKEN_URL, json=TOKEN_BODY)
    mocked.get(FLOWS, json={'items': []})
    aep = credential_client(make_client)
    aep.list(FLOW_SERVICE, '/flows')
    aep.get(FLOW_SERVICE, '/flows')
    assert aep.token_fetches == 1
    assert len([c for c in mocked.calls if c.request.url == TOKEN_URL]) == 1
    assert mocked.calls[-1].request.headers['Authorization'] == 'Bearer emu-at-fetched-token'


def test_given_token_means_no_fetch(mocked, client):
    mocked.get(FLOWS, json={'items': []})
    client.get(FLOW_SERVICE, '/flows')
    assert client.token_fetches == 0
    assert mocked.calls[0].request.headers['Authorization'] == 'Bearer given-access-token'


def test_401_refreshes_token_once_and_retries(mocked, make_client):
    mocked.post(TOKEN_URL, json=TOKEN_BODY)
    mocked.get(FLOWS, status=401, json={'error_code': '401013', 'message': 'Oauth token is not valid'},
               match=[matchers.header_matcher({'Authorization': 'Bearer stale-token'})])
    mocked.get(FLOWS, json={'items': [{'id': 'a'}]},
               match=[matchers.header_matcher({'Authorization': 'Bearer emu-at-fetched-token'})])
    aep = make_client(access_token='stale-token', client_secret=CLIENT_SECRET)
    assert aep.get(FLOW_SERVICE, '/flows') == {'items': [{'id': 'a'}]}
    assert aep.token_fetches == 1


def test_401_twice_raises_authentication_error(mocked, make_client):
    mocked.post(TOKEN_URL, json=TOKEN_BODY)
    mocked.get(FLOWS, status=401, json={'error_code': '401013', 'message': 'Oauth token is not valid'})
    aep = credential_client(make_client)
    with pytest.raises(AuthenticationError) as info:
        aep.get(FLOW_SERVICE, '/flows')
    assert info.value.code == '401013'
    assert aep.token_fetches == 2


def test_401_without_credentials_is_not_retried(mocked, client):
    mocked.get(FLOWS, status=401, json={'error_code': '401013', 'message': 'Oauth token is not valid'})
    with pytest.raises(AuthenticationError):
        client.get(FLOW_SERVICE, '/flows')
    assert len(mocked.calls) == 1


def test_ims_rejects_credentials(mocked, make_client):
    mocked.post(TOKEN_URL, status=400, json={'error': 'invalid_client', 'error_description': 'invalid client_secret parameter'})
    with pytest.raises(AuthenticationError) as info:
        credential_client(make_client).fetch_token()
    err = info.value
    assert (err.status, err.code, err.message) == (400, 'invalid_client', 'invalid client_secret parameter')
    assert 'AEP IMS POST /ims/token/v3 failed: 400 invalid_client' in str(err)


def test_bad_secret_means_one_ims_call(mocked, make_client):
    mocked.post(TOKEN_URL, status=401, json={'error': 'invalid_client', 'error_description': 'invalid client_secret parameter'})
    with pytest.raises(AuthenticationError):
        credential_client(make_client).get(FLOW_SERVICE, '/flows')
    assert len(mocked.calls) == 1


def test_sandbox_clones_share_one_token(mocked, make_client):
    mocked.post(TOKEN_URL, json=TOKEN_BODY)
    mocked.get(FLOWS, json={'items': []})
    aep = credential_client(make_client)
    for name in ('prod', 'dev', 'stage'):
        aep.with_sandbox(name).get(FLOW_SERVICE, '/flows')
    assert len([c for c in mocked.calls if c.request.url == TOKEN_URL]) == 1


def test_fetch_without_secret_is_an_authentication_error(client):
    with pytest.raises(AuthenticationError):
        client.fetch_token()


# --- headers ---------------------------------------------------------------------------------------

def test_headers_on_reads_and_writes(mocked, client):
    mocked.get(platform(SCHEMA_REGISTRY, '/stats'), json={'tenantId': 'emulated'})
    mocked.post(FLOWS, status=201, json={'id': 'x', 'etag': '"1"'})
    client.get(SCHEMA_REGISTRY, '/stats', accept='application/vnd.adobe.xed-id+json')
    client.post(FLOW_SERVICE, '/flows', json={'name': 'n'})
    read, write = mocked.calls[0].request.headers, mocked.calls[1].request.headers
    for headers in (read, write):
        assert headers['Authorization'] == 'Bearer given-access-token'
        assert headers['x-api-key'] == CLIENT_ID
        assert headers['x-gw-ims-org-id'] == ORG_ID
        assert headers['x-sandbox-name'] == 'dev'
    assert read['Accept'] == 'application/vnd.adobe.xed-id+json'
    assert 'Content-Type' not in read
    assert write['Content-Type'] == 'application/json'
    assert json.loads(mocked.calls[1].request.body) == {'name': 'n'}


def test_with_sandbox_changes_only_the_sandbox_header(mocked, client):
    mocked.get(FLOWS, json={'items': []})
    client.with_sandbox('stage').get(FLOW_SERVICE, '/flows')
    assert mocked.calls[0].request.headers['x-sandbox-name'] == 'stage'
    assert client.sandbox == 'dev'


def test_tls_options(make_client):
    assert make_client().verify is True
    assert make_client(validate_certs=False).verify is False
    assert make_client(ca_path='/etc/ca.pem').verify == '/etc/ca.pem'


def test_from_params_uses_connection_options():
    params = dict(client_id='c', org_id='o', sandbox='stage', client_secret='s', access_token=None, scopes=['a'],
                  platform_url='https://p.test/', ims_url='https://i.test', validate_certs=True, ca_path=None, timeout=7,
                  retries=2, retry_deadline=9.5, retry_backoff=0.25)
    aep = client_mod.AepClient.from_params(params, token_store=None)
    assert (aep.platform_url, aep.sandbox, aep.timeout, aep.scopes) == ('https://p.test', 'stage', 7, ['a'])
    policy = aep.retry_policy
    assert (policy.retries, policy.deadline, policy.backoff) == (2, 9.5, 0.25)


@pytest.mark.parametrize('option, value', [('retries', -1), ('retry_deadline', 0), ('retry_backoff', -0.5)])
def test_bad_retry_options_fail_before_any_request(option, value):
    from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
    params = dict(client_id='c', org_id='o', client_secret='s', access_token=None)
    params[option] = value
    with pytest.raises(InputError) as info:
        client_mod.AepClient.from_params(params, token_store=None)
    assert info.value.field == option and option in info.value.msg and 'AEP_' in info.value.msg


# --- retries (the policy itself: test_retry_policy.py) ----------------------------------------------

def test_429_honours_retry_after_seconds(mocked, client, sleeps):
    mocked.get(FLOWS, status=429, headers={'Retry-After': '7'}, json={})
    mocked.get(FLOWS, json={'items': []})
    assert client.get(FLOW_SERVICE, '/flows') == {'items': []}
    assert sleeps.calls == [7.0]


def test_retry_after_beyond_60s_is_honoured_within_the_deadline(mocked, make_client, sleeps):
    aep = make_client(retry_deadline=600)
    mocked.get(FLOWS, status=429, headers={'Retry-After': '200'}, json={})
    mocked.get(FLOWS, json={'items': []})
    assert aep.get(FLOW_SERVICE, '/flows') == {'items': []}
    assert sleeps.calls == [200.0]  # no fixed 60 s cap


def test_retry_after_beyond_the_deadline_gives_up_at_once(mocked, make_client, sleeps):
    aep = make_client(retry_deadline=10)
    mocked.get(FLOWS, status=429, headers={'Retry-After': '30'}, json={})
    with pytest.raises(RateLimitedError) as info:
        aep.get(FLOW_SERVICE, '/flows')
    assert sleeps.calls == [] and len(mocked.calls) == 1
    assert info.value.retries_exhausted and not info.value.transient and info.value.retry_after == 30.0


def test_retry_after_http_date():
    assert parse_retry_after('Wed, 21 Oct 2015 07:28:00 GMT') == 0.0
    assert parse_retry_after('5') == 5.0
    assert parse_retry_after(None) is None
    assert parse_retry_after('soon') is None


def test_503_backs_off_exponentially_with_cap(mocked, make_client, sleeps):
    aep = make_client(backoff_base=1.0, backoff_max=4.0, max_retries=4)
    for dummy in range(4):
        mocked.get(FLOWS, status=503, json={})
    mocked.get(FLOWS, json={'items': []})
    aep.get(FLOW_SERVICE, '/flows')
    caps = [1.0, 2.0, 4.0, 4.0]
    assert len(sleeps.calls) == 4
    for delay, cap in zip(sleeps.calls, caps):
        assert cap / 2 <= delay <= cap


@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_server_errors_retried_on_delete(mocked, client, status):
    mocked.delete(FLOWS + '/x', status=status, json={})
    mocked.delete(FLOWS + '/x', status=204)
    assert client.delete(FLOW_SERVICE, '/flows/x') is None
    assert len(mocked.calls) == 2


def test_delete_applied_before_a_lost_answer_is_a_success(mocked, client):
    mocked.delete(FLOWS + '/x', body=requests.exceptions.ConnectionError('Connection aborted, RemoteDisconnected'))
    mocked.delete(FLOWS + '/x', status=404, json={'title': 'Not found'})
    assert client.delete(FLOW_SERVICE, '/flows/x') is None
    assert len(mocked.calls) == 2


def test_plain_404_on_delete_is_not_found(mocked, client):
    mocked.delete(FLOWS + '/x', status=404, json={'title': 'Not found'})
    with pytest.raises(NotFoundError):
        client.delete(FLOW_SERVICE, '/flows/x')


def test_connection_errors_retried(mocked, client, sleeps):
    mocked.get(FLOWS, body=requests.exceptions.ConnectionError('reset'))
    mocked.get(FLOWS, json={'items': []})
    assert client.get(FLOW_SERVICE, '/flows') == {'items': []}
    assert len(sleeps.calls) == 1


@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_post_5xx_is_not_sent_again_and_marked_for_lookup(mocked, client, sleeps, status):
    mocked.post(FLOWS, status=status, json={})
    with pytest.raises(ServerError) as info:
        client.post(FLOW_SERVICE, '/flows', json={})
    assert len(mocked.calls) == 1 and sleeps.calls == []
    # transient: the engine may look the object up, then create it again (create_once)
    assert info.value.transient and not info.value.retries_exhausted


def test_post_429_is_retried_then_marked_exhausted(mocked, make_client, sleeps):
    aep = make_client(max_retries=2)
    mocked.post(FLOWS, status=429, headers={'Retry-After': '3'}, json={})
    with pytest.raises(RateLimitedError) as info:
        aep.post(FLOW_SERVICE, '/flows', json={})
    # AEP refuses a rate-limited request before acting on it: sending it again cannot duplicate anything
    assert info.value.retry_after == 3.0 and len(mocked.calls) == 3 and sleeps.calls == [3.0, 3.0]
    assert info.value.retries_exhausted and not info.value.transient and info.value.attempts == 3


def test_post_429_then_success(mocked, client):
    mocked.post(FLOWS, status=429, headers={'Retry-After': '0'}, json={})
    mocked.post(FLOWS, status=201, json={'id': 'new'})
    assert client.post(FLOW_SERVICE, '/flows', json={}) == {'id': 'new'}
    assert len(mocked.calls) == 2


def test_post_connection_dropped_after_sending_is_not_retried(mocked, client):
    mocked.post(FLOWS, body=requests.exceptions.ConnectionError('Connection aborted, RemoteDisconnected'))
    with pytest.raises(ConnectionFailure) as info:
        client.post(FLOW_SERVICE, '/flows', json={})
    assert len(mocked.calls) == 1
    assert info.value.maybe_delivered and info.value.transient


def test_post_read_timeout_is_not_retried(mocked, client):
    mocked.post(FLOWS, body=requests.exceptions.ReadTimeout('read timed out'))
    with pytest.raises(ConnectionFailure) as info:
        client.post(FLOW_SERVICE, '/flows', json={})
    assert len(mocked.calls) == 1 and info.value.maybe_delivered


def test_post_refused_connection_is_retried(mocked, client):
    mocked.post(FLOWS, body=requests.exceptions.ConnectionError('[Errno 111] Connection refused'))
    mocked.post(FLOWS, status=201, json={'id': 'new'})
    assert client.post(FLOW_SERVICE, '/flows', json={}) == {'id': 'new'}
    assert len(mocked.calls) == 2


def test_retries_exhausted_raise_rate_limited(mocked, make_client, sleeps):
    aep = make_client(max_retries=2)
    mocked.get(FLOWS, status=429, json={'error_code': '429050', 'message': 'Too many requests'})
    with pytest.raises(RateLimitedError) as info:
        aep.get(FLOW_SERVICE, '/flows')
    assert len(mocked.calls) == 3 and len(sleeps.calls) == 2
    assert info.value.status == 429


def test_single_500_on_a_read_is_retried(mocked, client):
    mocked.get(FLOWS, status=500, json={})
    mocked.get(FLOWS, json={'items': []})
    assert client.get(FLOW_SERVICE, '/flows') == {'items': []}
    assert len(mocked.calls) == 2


def test_retry_false_means_one_attempt(mocked, client):
    mocked.get(FLOWS, status=503, json={})
    with pytest.raises(ServerError):
        client.request('GET', FLOW_SERVICE, '/flows', retry=False)
    assert len(mocked.calls) == 1


def test_unreachable_url_is_a_connection_failure(make_client):
    aep = make_client(platform_url='http://127.0.0.1:9', max_retries=0, timeout=2)
    with pytest.raises(ConnectionFailure) as info:
        aep.get(FLOW_SERVICE, '/flows')
    assert 'cannot connect' in str(info.value)
    assert info.value.to_fail_kwargs()['msg'].startswith('AEP Flow Service GET /flows failed: cannot connect')


def test_tls_failure_message_points_to_ca_path(mocked, client):
    mocked.get(FLOWS, body=requests.exceptions.SSLError('certificate verify failed'))
    client.max_retries = 0
    with pytest.raises(ConnectionFailure) as info:
        client.get(FLOW_SERVICE, '/flows')
    assert 'ca_path' in str(info.value)


# --- pagination ------------------------------------------------------------------------------------

def test_flow_service_pagination_follows_next_href(mocked, client):
    mocked.get(FLOWS, json={'items': [{'id': 'a'}], '_links': {'next': {'href': '/flows?continuationToken=t2'}}},
               match=[matchers.query_param_matcher({'property': 'name==x'})])
    mocked.get(FLOWS, json={'items': [{'id': 'b'}], 'continuationToken': 't3'},
               match=[matchers.query_param_matcher({'property': 'name==x', 'continuationToken': 't2'})])
    mocked.get(FLOWS, json={'items': [{'id': 'c'}], '_links': {}},
               match=[matchers.query_param_matcher({'property': 'name==x', 'continuationToken': 't3'})])
    items = client.list(FLOW_SERVICE, '/flows', params={'property': 'name==x'})
    assert [i['id'] for i in items] == ['a', 'b', 'c']


def test_catalog_pagination_by_start_and_limit(mocked, client):
    url = platform(CATALOG, '/dataSets')
    page1 = dict(('id%03d' % i, {'name': 'd'}) for i in range(100))
    mocked.get(url, json=page1, match=[matchers.query_param_matcher({'name': 'd', 'limit': '100', 'start': '0'})])
    mocked.get(url, json={'last': {'name': 'd'}},
               match=[matchers.query_param_matcher({'name': 'd', 'limit': '100', 'start': '100'})])
    items = client.list(CATALOG, '/dataSets', params={'name': 'd'})
    assert len(items) == 101
    assert items[-1] == {'id': 'last', 'name': 'd'}


def test_catalog_404_on_filtered_list_means_empty(mocked, client):
    mocked.get(platform(CATALOG, '/dataSets'), status=404, json={'title': 'Not found'})
    assert client.list(CATALOG, '/dataSets', params={'name': 'none'}) == []


def test_schema_registry_pagination_by_page_next(mocked, client):
    url = platform(SCHEMA_REGISTRY, '/tenant/schemas')
    accept = 'application/vnd.adobe.xed-id+json'
    mocked.get(url, json={'results': [{'title': 'A'}], '_page': {'next': 'B', 'count': 1}},
               match=[matchers.query_param_matcher({'orderby': 'title'})])
    mocked.get(url, json={'results': [{'title': 'B'}], '_page': {'next': None, 'count': 1}},
               match=[matchers.query_param_matcher({'orderby': 'title', 'start': 'B'})])
    mocked.get(url, json={'results': [], '_page': {'next': None, 'count': 0}},
               match=[matchers.query_param_matcher({'orderby': 'title', 'property': 'title==B'})])
    items = client.list(SCHEMA_REGISTRY, '/tenant/schemas', accept=accept)
    assert [i['title'] for i in items] == ['A', 'B']
    assert all(c.request.headers['Accept'] == accept for c in mocked.calls)


def test_schema_registry_sends_orderby_so_that_it_pages(mocked, client):
    """Without ``orderby`` Schema Registry answers at most 300 results and no next page (issue 7)."""
    url = platform(SCHEMA_REGISTRY, '/tenant/fieldgroups')
    titles = ['g%03d' % i for i in range(305)]
    mocked.get(url, json={'results': [{'$id': t, 'title': t} for t in titles[:300]], '_page': {'next': 'g299'}},
               match=[matchers.query_param_matcher({'orderby': 'title', 'property': 'title>f'})])
    mocked.get(url, json={'results': [{'$id': 'g299', 'title': 'g299'}], '_page': {'next': None}},
               match=[matchers.query_param_matcher({'orderby': 'title', 'property': 'title>f,title==g299'})])
    mocked.get(url, json={'results': [{'$id': t, 'title': t} for t in titles[300:]], '_page': {'next': None}},
               match=[matchers.query_param_matcher({'orderby': 'title', 'property': 'title>f', 'start': 'g299'})])
    items = client.list(SCHEMA_REGISTRY, '/tenant/fieldgroups', params={'property': 'title>f'})
    assert [i['title'] for i in items] == titles


def test_schema_registry_titles_shared_across_a_page_boundary_are_all_listed(mocked, client):
    """``start`` is the last title and the next page starts strictly after it: same-titled objects beyond the
    boundary are fetched by title, each object listed once."""
    url = platform(SCHEMA_REGISTRY, '/tenant/schemas')
    mocked.get(url, json={'results': [{'$id': 'a', 'title': 'A'}, {'$id': 'b1', 'title': 'B'}], '_page': {'next': 'B'}},
               match=[matchers.query_param_matcher({'orderby': 'title'})])
    mocked.get(url, json={'results': [{'$id': 'b1', 'title': 'B'}, {'$id': 'b2', 'title': 'B'}], '_page': {'next': None}},
               match=[matchers.query_param_matcher({'orderby': 'title', 'property': 'title==B'})])
    mocked.get(url, json={'results': [{'$id': 'c', 'title': 'C'}], '_page': {'next': None}},
               match=[matchers.query_param_matcher({'orderby': 'title', 'start': 'B'})])
    assert [i['$id'] for i in client.list(SCHEMA_REGISTRY, '/tenant/schemas')] == ['a', 'b1', 'b2', 'c']


@pytest.mark.parametrize('title', ['B, ~x', 'B==x', 'B<x', ' B', 'Bé'])
def test_schema_registry_ties_of_a_title_no_filter_can_hold_are_walked(mocked, client, title):
    """A boundary title that a filter would read as syntax (``,`` ``==`` ``<`` ``~``, spaces, non-ASCII) is never
    put in ``property``: the pages are walked again from the title less its last character (issue 7)."""
    url = platform(SCHEMA_REGISTRY, '/tenant/schemas')
    mocked.get(url, json={'results': [{'$id': 'a', 'title': 'A'}, {'$id': 'b1', 'title': title}], '_page': {'next': title}},
               match=[matchers.query_param_matcher({'orderby': 'title'})])
    walk = {'orderby': 'title', 'start': title[:-1]}  # a proper prefix sorts before the title in any collation
    mocked.get(url, json={'results': [{'$id': 'b1', 'title': title}, {'$id': 'b2', 'title': title},
                                      {'$id': 'c', 'title': 'C'}], '_page': {'next': 'C'}},
               match=[matchers.query_param_matcher(walk)])
    mocked.get(url, json={'results': [{'$id': 'c', 'title': 'C'}], '_page': {'next': None}},
               match=[matchers.query_param_matcher({'orderby': 'title', 'start': title})])
    assert [i['$id'] for i in client.list(SCHEMA_REGISTRY, '/tenant/schemas')] == ['a', 'b1', 'b2', 'c']
    assert not any('property' in c.request.url for c in mocked.calls)


def test_data_prep_pagination_by_start_and_limit(mocked, client):
    url = platform(DATA_PREP, '/mappingSets')
    order = {'orderBy': '+createdDate'}
    mocked.get(url, json={'data': [{'id': str(i)} for i in range(100)], '_page': {'count': 100}},
               match=[matchers.query_param_matcher(dict(order, limit='100', start='0'))])
    mocked.get(url, json={'data': [{'id': 'last'}], '_page': {'count': 1}},
               match=[matchers.query_param_matcher(dict(order, limit='100', start='100'))])
    assert len(client.list(DATA_PREP, '/mappingSets')) == 101


def test_sandbox_pagination_by_links_next(mocked, client):
    url = platform(SANDBOX_MANAGEMENT, '/sandboxes')
    mocked.get(url, json={'sandboxes': [{'name': 'prod'}], '_page': {'count': 1},
                          '_links': {'next': {'href': 'https://platform.test/data/foundation/sandbox-management/sandboxes?offset=1&limit=1'}}},
               match=[matchers.query_param_matcher({})])
    mocked.get(url, json={'sandboxes': [{'name': 'dev'}], '_page': {'count': 1}, '_links': {}},
               match=[matchers.query_param_matcher({'offset': '1', 'limit': '1'})])
    assert [s['name'] for s in client.list(SANDBOX_MANAGEMENT, '/sandboxes')] == ['prod', 'dev']


def test_pagination_never_truncates_silently(mocked, client):
    mocked.get(FLOWS, json={'items': [{'id': 'a'}], 'continuationToken': 'same'})
    with pytest.raises(UnexpectedResponseError) as info:
        client.list(FLOW_SERVICE, '/flows')
    assert 'partial list' in str(info.value)


# --- error parsing ---------------------------------------------------------------------------------

FLOW_ERROR = {
    'type': 'https://ns.adobe.com/aep/errors/FLOW-1425-400', 'title': 'Bad request', 'status': 400,
    'report': {'detailed-message': 'Dataset schema does not match mapping output schema', 'request-id': 'req-123'},
}


@pytest.mark.parametrize('body, expected', [
    ({'error_code': '403003', 'message': 'Api Key is invalid'}, ('403003', None, 'Api Key is invalid', None)),
    (FLOW_ERROR, ('FLOW-1425-400', 'Bad request', 'Dataset schema does not match mapping output schema', 'req-123')),
    ({'error': 'invalid_scope', 'error_description': 'bad scope'}, ('invalid_scope', None, 'bad scope', None)),
    ({'type': '/placeholder/type/uri', 'status': 400, 'title': 'BadRequestError', 'detail': 'A valid content-type must be specified'},
     ('BadRequestError', 'BadRequestError', 'A valid content-type must be specified', None)),
    ({'type': 'http://ns.adobe.com/aep/errors/XDM-1010-404', 'title': 'Resource not found', 'status': 404,
      'detail': 'The schema was not found', 'report': {'request-id': 'r9'}},
     ('XDM-1010-404', 'Resource not found', 'The schema was not found', 'r9')),
    ([{'code': '401', 'message': 'catalog says no'}], ('401', None, 'catalog says no', None)),
    ('<html>Bad gateway</html>', (None, None, '<html>Bad gateway</html>', None)),
    (None, (None, None, None, None)),
])
def test_parse_error_body_shapes(body, expected):
    assert parse_error_body(body) == expected


def test_flow_error_message_is_readable(mocked, client):
    mocked.post(FLOWS, status=400, json=FLOW_ERROR, headers={'x-request-id': 'hdr-req-9'})
    with pytest.raises(ValidationError) as info:
        client.post(FLOW_SERVICE, '/flows', json={})
    kwargs = info.value.to_fail_kwargs()
    assert kwargs['msg'] == ('AEP Flow Service POST /flows failed: 400 FLOW-1425-400 Dataset schema does not match '
                             'mapping output schema (request id hdr-req-9)')
    assert kwargs['status'] == 400 and kwargs['code'] == 'FLOW-1425-400' and kwargs['request_id'] == 'hdr-req-9'
    assert kwargs['error_type'] == 'ValidationError'


@pytest.mark.parametrize('status, cls', [
    (401, AuthenticationError), (403, AuthenticationError), (404, NotFoundError), (412, PreconditionFailedError),
    (400, ValidationError), (422, ValidationError), (500, ServerError), (418, client_mod.UnexpectedResponseError),
])
def test_status_to_error_class(mocked, client, status, cls):
    mocked.get(FLOWS + '/x', status=status, json={'title': 'T'})
    with pytest.raises(cls):
        client.get(FLOW_SERVICE, '/flows/x')


def test_get_or_none(mocked, client):
    mocked.get(FLOWS + '/x', status=404, json=FLOW_ERROR)
    assert client.get_or_none(FLOW_SERVICE, '/flows/x') is None


# --- secrets ---------------------------------------------------------------------------------------

def test_secrets_never_in_errors_or_repr(mocked, make_client):
    echo = {'error': 'invalid_client', 'error_description': 'bad secret %s' % CLIENT_SECRET}
    mocked.post(TOKEN_URL, status=401, json=echo)
    aep = make_client(access_token='tok-abc-123456', client_secret=CLIENT_SECRET)
    with pytest.raises(AuthenticationError) as info:
        aep.fetch_token()
    rendered = json.dumps(info.value.to_fail_kwargs()) + str(info.value) + repr(aep)
    assert CLIENT_SECRET not in rendered and 'tok-abc-123456' not in rendered
    assert '********' in rendered


def test_fetched_token_redacted_from_errors(mocked, make_client):
    mocked.post(TOKEN_URL, json=TOKEN_BODY)
    mocked.get(FLOWS, status=400, json={'message': 'token %s rejected' % TOKEN_BODY['access_token']})
    aep = credential_client(make_client)
    with pytest.raises(ValidationError) as info:
        aep.get(FLOW_SERVICE, '/flows')
    assert TOKEN_BODY['access_token'] not in json.dumps(info.value.to_fail_kwargs())


def test_redact_nested(make_client):
    aep = make_client(access_token='token-123456', client_secret='secret-123456')
    assert aep.redact({'a': ['x token-123456 y', {'b': 'secret-123456'}], 'n': 1}) == {
        'a': ['x ******** y', {'b': '********'}], 'n': 1}


def test_short_values_are_not_treated_as_secrets(make_client):
    assert make_client(access_token='t').redact('connection refused') == 'connection refused'


def test_connection_errors_follow_the_same_policy(mocked, make_client, sleeps):
    aep = make_client(max_retries=2)
    mocked.get(FLOWS, body=requests.exceptions.ConnectionError('[Errno 111] Connection refused'))
    with pytest.raises(ConnectionFailure) as info:
        aep.get(FLOW_SERVICE, '/flows')
    assert len(mocked.calls) == 3 and len(sleeps.calls) == 2
    assert info.value.retries_exhausted and not info.value.transient
    assert str(info.value) == ('AEP Flow Service GET /flows failed: cannot connect to https://platform.test '
                               '(Connection refused)')
