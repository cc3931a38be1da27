"""No listing is ever cut short silently (breaker report item 5): more objects share one title than a Schema Registry
page holds, pages served smaller than asked, and services that refuse the way out all end in every item or an error
naming the limit.

Schema Registry is played by ``FakeRegistry`` (mocked HTTP): ``orderby`` sorts, ``start`` keeps the items whose primary
key is strictly greater, at most 300 results per response and a ``_page.next`` when more follow, ``property=k==v``
(comma = AND) narrows (API-FACTS section 5; the Schema Registry spec's ``start`` and ``limit`` parameters).
"""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from responses import matchers

from ansible_collections.aep.platform.plugins.module_utils.client import (
    CATALOG,
    DATA_PREP,
    FLOW_SERVICE,
    SCHEMA_REGISTRY,
    SCHEMA_REGISTRY_MAX_PAGE,
    SCHEMA_REGISTRY_UNIQUE_ORDER,
    UnexpectedResponseError,
)
from tests.unit.conftest import platform

GROUPS = platform(SCHEMA_REGISTRY, '/tenant/fieldgroups')


class FakeRegistry:
    """A Schema Registry list endpoint over ``items`` (dicts with ``$id``, ``meta:altId``, ``title``)."""

    def __init__(self, items, orderable=('title', SCHEMA_REGISTRY_UNIQUE_ORDER)):
        self.items = items
        self.orderable = orderable
        self.queries = []

    def __call__(self, request):
        query = dict((k, v[0]) for k, v in parse_qs(urlsplit(request.url).query, keep_blank_values=True).items())
        self.queries.append(query)
        items = list(self.items)
        for clause in [c for c in query.get('property', '').split(',') if c]:
            key, value = clause.split('==', 1)
            items = [i for i in items if str(i.get(key)) == value]
        orderby = query.get('orderby')
        if orderby is None:
            return 200, {}, json.dumps({'results': items[:SCHEMA_REGISTRY_MAX_PAGE], '_page': {'next': None}})
        primary = orderby.split(',')[0].lstrip('+-')
        if primary not in self.orderable:
            return 400, {}, json.dumps({'type': 'https://ns.adobe.com/aep/errors/XDM-1000-400', 'status': 400,
                                        'title': 'Bad request', 'detail': 'cannot sort by %s' % primary})
        items.sort(key=lambda i: (str(i.get(primary, '')), i['$id']))
        if 'start' in query:
            items = [i for i in items if str(i.get(primary, '')) > query['start']]
        limit = min(int(query.get('limit', SCHEMA_REGISTRY_MAX_PAGE)), SCHEMA_REGISTRY_MAX_PAGE)
        page, more = items[:limit], len(items) > limit
        nxt = str(page[-1].get(primary, '')) if more else None
        return 200, {}, json.dumps({'results': page, '_page': {'orderby': orderby, 'next': nxt, 'count': len(page)}})


def groups(title, count, prefix):
    return [{'$id': 'https://ns.adobe.com/emulated/mixins/%s%04d' % (prefix, i), 'meta:altId': '_emulated.mixins.%s%04d' % (prefix, i),
             'title': title} for i in range(count)]


def serve(mocked, registry):
    mocked.add_callback('GET', GROUPS, callback=registry, content_type='application/json')
    return registry


ACCEPT = 'application/vnd.adobe.xed-id+json'


def test_310_field_groups_sharing_a_filterable_title_are_all_found_by_title(mocked, client):
    """The breaker's case: ``field_group_info title='Same title'`` gave 300. The title filter's page is full, so the
    same-titled groups are paged by their unique ``meta:altId``."""
    registry = serve(mocked, FakeRegistry(groups('Same title', 310, 's') + groups('Other', 3, 'o')))
    found = client.list(SCHEMA_REGISTRY, '/tenant/fieldgroups', params={'property': 'title==Same title'}, accept=ACCEPT)
    assert len(found) == 310
    assert len(set(i['$id'] for i in found)) == 310
    assert all(i['title'] == 'Same title' for i in found)
    assert {'orderby': SCHEMA_REGISTRY_UNIQUE_ORDER, 'property': 'title==Same title'} in registry.queries


def test_310_field_groups_sharing_a_title_are_all_in_the_full_listing(mocked, client):
    """The full listing pages by title: the page boundary falls inside the 310 same-titled groups."""
    serve(mocked, FakeRegistry(groups('A first', 5, 'a') + groups('Same title', 310, 's') + groups('Z last', 7, 'z')))
    found = client.list(SCHEMA_REGISTRY, '/tenant/fieldgroups', accept=ACCEPT)
    assert len(found) == 322
    assert len(set(i['$id'] for i in found)) == 322
    assert [i['title'] for i in found].count('Same title') == 310


@pytest.mark.parametrize('title', ['Same, title', 'Same==title', ' Same', 'Sämé'])
def test_305_field_groups_sharing_a_title_no_filter_can_hold_are_all_listed(mocked, client, title):
    """The walk path (a title that cannot go into ``property``): the walk's page ends on the title while another page
    follows, so the rest are listed by ``meta:altId`` without a filter and matched on the client."""
    registry = serve(mocked, FakeRegistry(groups('A', 4, 'a') + groups(title, 305, 's') + groups('Zed', 2, 'z')))
    found = client.list(SCHEMA_REGISTRY, '/tenant/fieldgroups', accept=ACCEPT)
    assert len(found) == 311
    assert len(set(i['$id'] for i in found)) == 311
    assert [i['title'] for i in found].count(title) == 305
    assert not any('property' in q for q in registry.queries)


def test_exactly_a_page_of_ties_and_more_after_is_complete(mocked, client):
    """300 same-titled groups end the first page exactly: the boundary cannot tell whether more share the title, so
    they are counted again by the unique key; nothing is lost or doubled."""
    serve(mocked, FakeRegistry(groups('Same title', 300, 's') + groups('Tail', 2, 't')))
    found = client.list(SCHEMA_REGISTRY, '/tenant/fieldgroups', accept=ACCEPT)
    assert len(found) == 302
    assert len(set(i['$id'] for i in found)) == 302


def test_fewer_ties_than_a_page_cost_no_extra_request(mocked, client):
    """The common case keeps its request count: one tie query per page boundary, no unique-key listing."""
    registry = serve(mocked, FakeRegistry(groups('A', 299, 'a') + groups('B', 5, 'b')))
    found = client.list(SCHEMA_REGISTRY, '/tenant/fieldgroups', accept=ACCEPT)
    assert len(found) == 304
    assert len(registry.queries) == 3
    assert not any(q.get('orderby') == SCHEMA_REGISTRY_UNIQUE_ORDER for q in registry.queries)


@pytest.mark.parametrize('title', ['Same title', 'Same, title'])
def test_a_registry_that_cannot_sort_by_a_unique_key_fails_naming_the_limit(mocked, client, title):
    """If AEP refuses ``orderby=meta:altId`` the ties cannot all be reached: an error naming the 300-per-page limit,
    the title and the fix, never 300 of 310."""
    serve(mocked, FakeRegistry(groups(title, 310, 's'), orderable=('title',)))
    with pytest.raises(UnexpectedResponseError) as info:
        client.list(SCHEMA_REGISTRY, '/tenant/fieldgroups', accept=ACCEPT)
    message = str(info.value)
    assert "title %r" % title in message
    assert 'at most 300 results per response' in message
    assert 'refusing to return a partial list' in message
    assert 'rename or delete' in message


def test_a_unique_key_listing_that_does_not_move_on_fails(mocked, client):
    """A service that answers the same ``start`` again would loop or cut the list: it is an error."""
    first = {'results': groups('Same title', 300, 's'), '_page': {'next': 'Same title'}}
    mocked.get(GROUPS, json=first, match=[matchers.query_param_matcher({'orderby': 'title'})])
    mocked.get(GROUPS, json=first, match=[matchers.query_param_matcher({'orderby': 'title', 'property': 'title==Same title'})])
    stuck = {'results': groups('Same title', 300, 's'), '_page': {'next': '_emulated.mixins.s0299'}}
    mocked.get(GROUPS, json=stuck, match=[matchers.query_param_matcher({'orderby': SCHEMA_REGISTRY_UNIQUE_ORDER,
                                                                        'property': 'title==Same title'})])
    mocked.get(GROUPS, json=stuck, match=[matchers.query_param_matcher({
        'orderby': SCHEMA_REGISTRY_UNIQUE_ORDER, 'property': 'title==Same title', 'start': '_emulated.mixins.s0299'})])
    with pytest.raises(UnexpectedResponseError) as info:
        client.list(SCHEMA_REGISTRY, '/tenant/fieldgroups', accept=ACCEPT)
    assert 'repeated the page' in str(info.value)


def test_a_walk_that_repeats_its_page_fails_instead_of_returning_what_it_has(mocked, client):
    title = 'B, x'
    mocked.get(GROUPS, json={'results': [{'$id': 'a', 'title': 'A'}, {'$id': 'b', 'title': title}], '_page': {'next': title}},
               match=[matchers.query_param_matcher({'orderby': 'title'})])
    mocked.get(GROUPS, json={'results': [{'$id': 'a0', 'title': 'A'}], '_page': {'next': 'B, '}},
               match=[matchers.query_param_matcher({'orderby': 'title', 'start': 'B, '})])
    with pytest.raises(UnexpectedResponseError) as info:
        client.list(SCHEMA_REGISTRY, '/tenant/fieldgroups', accept=ACCEPT)
    assert 'repeats the page' in str(info.value) and 'partial list' in str(info.value)


# --- offset and token paging -------------------------------------------------------------------------

def test_data_prep_page_served_smaller_than_asked_is_followed(mocked, client):
    """A Data Prep page of 50 for ``limit=100`` with ``_page.limit=50`` (or a ``_links.next``) is not the last page; the
    next page starts after the 50 received, so none is skipped."""
    url = platform(DATA_PREP, '/mappingSets')
    order = {'orderBy': '+createdDate', 'limit': '100'}
    mocked.get(url, json={'data': [{'id': str(i)} for i in range(50)], '_page': {'count': 50, 'limit': 50}},
               match=[matchers.query_param_matcher(dict(order, start='0'))])
    mocked.get(url, json={'data': [{'id': str(i)} for i in range(50, 80)], '_page': {'count': 30, 'limit': 30},
                          '_links': {'next': {'href': '/mappingSets?start=80&limit=30'}}},
               match=[matchers.query_param_matcher(dict(order, start='50'))])
    mocked.get(url, json={'data': [{'id': '80'}], '_page': {'count': 1, 'limit': 50}},
               match=[matchers.query_param_matcher(dict(order, start='80'))])
    assert [m['id'] for m in client.list(DATA_PREP, '/mappingSets')] == [str(i) for i in range(81)]


def test_data_prep_empty_page_with_a_next_link_ends_the_list(mocked, client):
    url = platform(DATA_PREP, '/mappingSets')
    mocked.get(url, json={'data': [], '_page': {'count': 0, 'limit': 100}, '_links': {'next': {'href': '/mappingSets?start=0'}}})
    assert client.list(DATA_PREP, '/mappingSets') == []


def test_catalog_105_same_named_datasets_are_all_listed(mocked, client):
    url = platform(CATALOG, '/dataSets')

    def catalog(request):
        query = dict((k, v[0]) for k, v in parse_qs(urlsplit(request.url).query).items())
        start, limit = int(query['start']), int(query['limit'])
        assert limit <= 100
        ids = ['%024x' % i for i in range(105)][start:start + limit]
        return 200, {}, json.dumps(dict((i, {'name': 'Same name'}) for i in ids))

    mocked.add_callback('GET', url, callback=catalog, content_type='application/json')
    found = client.list(CATALOG, '/dataSets', params={'name': 'Same name'})
    assert len(found) == 105 and len(set(d['id'] for d in found)) == 105


def test_flow_service_105_same_named_connections_follow_the_continuation_token(mocked, client):
    url = platform(FLOW_SERVICE, '/sourceConnections')

    def flows(request):
        query = dict((k, v[0]) for k, v in parse_qs(urlsplit(request.url).query).items())
        offset = int(query.get('continuationToken', '0'))
        items = [{'id': 'c%03d' % i, 'name': 'Same name'} for i in range(105)][offset:offset + 100]
        links = {'next': {'href': '/sourceConnections?property=name%3D%3DSame+name&continuationToken=100'}} if offset == 0 else {}
        return 200, {}, json.dumps({'items': items, '_links': links})

    mocked.add_callback('GET', url, callback=flows, content_type='application/json')
    found = client.list(FLOW_SERVICE, '/sourceConnections', params={'property': 'name==Same name'})
    assert len(found) == 105 and len(set(c['id'] for c in found)) == 105
    assert re.search('c104', json.dumps(found))
