"""Local checks of Data Prep sources and destinations (resources/dataprep_syntax.py)."""
import pytest

from ansible_collections.aep.platform.plugins.module_utils.resources.dataprep_syntax import (
    check_attribute,
    check_destination,
    check_expression,
)


@pytest.mark.parametrize('text', [
    'uuid()', 'now()', 'concat(visitor.email, "-", message)', "lower(trim(${First Name}))",
    'iif(is_empty(channelId), "none", upper(channelId))', 'to_integer(items[0].qty) > 2 && !is_set(x)',
    'substr(message, 0, 5)', 'matches_regex(message, "^Hi")', 'equals(a, b) or not equals(c, d)',
    'format(now(), "yyyy-MM-dd")', 'sha256(visitor.email, "UTF-8")', "'single quoted'", '42',
])
def test_valid_expressions(text):
    assert check_expression(text) is None


@pytest.mark.parametrize('text,problem', [
    ('', 'empty'), ('   ', 'empty'), ('concat(a,', 'ends too early'), ('nosuchfn(x)', 'not a Data Prep function'),
    ('uuid(1)', 'takes 0 argument(s), got 1'), ('substr(a)', 'takes 2 to 3 argument(s), got 1'),
    ('lower(a) upper(b)', "unexpected 'upper'"), ('a ; b', "unexpected character ';'"), ('(a', "expected ')'"),
    ('a.', "field name after '.'"), ('a[x]', 'array index'), ('"unclosed', "unexpected character '\"'"),
])
def test_invalid_expressions_say_what_is_wrong(text, problem):
    assert problem in check_expression(text)


@pytest.mark.parametrize('path', ['message', 'visitor.UUID', 'items[0].sku', '${First Name}', '${a\\.b}.c', '_x'])
def test_valid_attributes(path):
    assert check_attribute(path) is None


@pytest.mark.parametrize('path', ['uuid()', 'visitor..email', 'a b', 'a.', '1abc', 'a[', '', 'a,b'])
def test_invalid_attributes(path):
    assert check_attribute(path)


@pytest.mark.parametrize('path', ['_id', 'timestamp', '_acme.chatlio.email', 'items[0].sku', 'productListItems[].SKU'])
def test_valid_destinations(path):
    assert check_destination(path) is None


@pytest.mark.parametrize('path', ['', 'a..b', 'a b', '.a', 'a.', '_acme.e-mail!', 'a[x]'])
def test_invalid_destinations(path):
    assert 'not an XDM field path' in check_destination(path)
