# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Local checks of Data Prep mapping sources and destinations, made before any request.

* ``check_expression(text)``: an ``EXPRESSION`` source parses (literals, field paths, ``${escaped name}``,
  ``!``/``&&``/``||`` and ``and``/``or``/``not``, comparisons, parentheses, calls) and every function is one
  Data Prep documents, with a valid number of arguments where it is known.
* ``check_attribute(path)``: an ``ATTRIBUTE`` source is a field path (``visitor.email``, ``items[0].sku``,
  ``${First Name}``).
* ``check_destination(path)``: a destination is an XDM field path (``_acme.chatlio.email``, ``items[0].sku``).

Each returns None when the text is valid and a sentence saying what is wrong otherwise.

Source of the grammar and the function list: "Data Prep mapping functions" (Experience League,
data-prep/functions), and the emulator's mapping engine (``emulator/aep_emulator/mapping.py``), which implements
a subset of it with the same arities.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# name -> (min args, max args or None for "any number"); None when the documentation gives no fixed arity here.
_ARITY = {
    'uuid': (0, 0), 'guid': (0, 0), 'now': (0, 0), 'timestamp': (0, 0), 'concat': (1, None), 'lower': (1, 1),
    'lcase': (1, 1), 'upper': (1, 1), 'ucase': (1, 1), 'trim': (1, 1), 'ltrim': (1, 1), 'rtrim': (1, 1),
    'substr': (2, 3), 'length': (1, 1), 'len': (1, 1), 'size_of': (1, 1), 'split': (2, 2), 'explode': (1, 2),
    'join': (2, None), 'replacestr': (3, 3), 'equals': (2, 2), 'equalsIgnoreCase': (2, 2), 'matches_regex': (2, 2),
    'to_integer': (1, 1), 'to_bigint': (1, 1), 'to_float': (1, 1), 'to_decimal': (1, 1), 'is_empty': (1, 1),
    'is_set': (1, 1), 'first': (1, 1), 'last': (1, 1), 'sha1': (1, 2), 'sha256': (1, 2), 'md5': (1, 2),
    'iif': (3, 3),
}
# Documented functions whose arity is not checked locally (Data Prep checks it when the mapping set is saved).
_MORE = (
    'instr', 'lpad', 'rpad', 'left', 'right', 'extract_regex', 'sha512', 'crc32', 'get_url_protocol', 'get_url_host',
    'get_url_port', 'get_url_path', 'get_url_query_str', 'get_url_encoded', 'get_url_decoded', 'date_to_string',
    'format', 'dformat', 'date', 'date_part', 'set_date_part', 'make_date_time', 'zone_date_to_utc',
    'zone_date_to_zone', 'upsert_array_append', 'upsert_array_replace', 'array_to_string', 'filterArray', 'to_array',
    'arrays_to_objects', 'get_keys', 'get_values', 'map_get_values', 'map_has_keys', 'add_to_map', 'object_to_map',
    'array_to_map', 'nullify', 'get', 'decode', 'min', 'max', 'json_to_object', 'fpid_to_ecid', 'ua_os_name',
    'ua_os_version_major', 'ua_os_version', 'ua_agent_version', 'ua_agent_version_major', 'ua_agent_name',
    'ua_device_class', 'aa_get_event_id', 'aa_get_event_value', 'aa_get_product_categories', 'aa_get_product_names',
    'aa_get_product_quantities', 'aa_get_product_prices', 'aa_get_product_event_values', 'aa_get_product_evars',
    'coalesce', 'contains_key', 'is_null', 'str_to_object', 'to_object', 'to_string', 'to_boolean',
)
FUNCTIONS = frozenset(list(_ARITY) + list(_MORE))

_TOKEN = re.compile(r'''\s*(?:
      (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<escaped>\$\{[^}]*\})
    | (?P<ident>[A-Za-z_$@][A-Za-z0-9_$@-]*)
    | (?P<op>==|!=|<=|>=|&&|\|\||\[\*\]|[<>!(),.\[\]])
    )''', re.VERBOSE)
_KEYWORDS = {'and': '&&', 'or': '||', 'not': '!', 'eq': '==', 'ne': '!='}
_COMPARE = ('==', '!=', '<=', '>=', '<', '>')
_DESTINATION = re.compile(r'^[A-Za-z_][A-Za-z0-9_-]*(\[(\d*|\*)\])*(\.[A-Za-z_][A-Za-z0-9_-]*(\[(\d*|\*)\])*)*$')


class _Invalid(Exception):
    pass


def _tokens(text):
    tokens, pos, text = [], 0, text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise _Invalid('unexpected character %r at position %d' % (text[pos:].lstrip()[:1], pos))
        kind, value = match.lastgroup, match.group(match.lastgroup)
        if kind == 'ident' and value in _KEYWORDS:
            kind, value = 'op', _KEYWORDS[value]
        tokens.append((kind, value))
        pos = match.end()
    return tokens


class _Parser:
    """or := and ('||' and)*; and := cmp ('&&' cmp)*; cmp := unary (op unary)?; unary := '!' unary | primary."""

    def __init__(self, text):
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self, value):
        return self.pos < len(self.tokens) and self.tokens[self.pos] == ('op', value)

    def expect(self, value):
        if not self.peek(value):
            raise _Invalid('expected %r%s' % (value, self.where()))
        self.pos += 1

    def where(self):
        if self.pos < len(self.tokens):
            return ' before %r' % self.tokens[self.pos][1]
        return ' at the end'

    def parse(self):
        if not self.tokens:
            raise _Invalid('the expression is empty')
        self.disjunction()
        if self.pos != len(self.tokens):
            raise _Invalid('unexpected %r' % self.tokens[self.pos][1])

    def disjunction(self):
        self.conjunction()
        while self.peek('||'):
            self.pos += 1
            self.conjunction()

    def conjunction(self):
        self.comparison()
        while self.peek('&&'):
            self.pos += 1
            self.comparison()

    def comparison(self):
        self.unary()
        if any(self.peek(op) for op in _COMPARE):
            self.pos += 1
            self.unary()

    def unary(self):
        if self.peek('!'):
            self.pos += 1
            return self.unary()
        return self.primary()

    def primary(self):
        if self.pos >= len(self.tokens):
            raise _Invalid('the expression ends too early')
        kind, value = self.tokens[self.pos]
        if self.peek('('):
            self.pos += 1
            self.disjunction()
            self.expect(')')
            return
        self.pos += 1
        if kind in ('string', 'number'):
            return
        if kind == 'ident' and self.peek('('):
            return self.call(value)
        if kind in ('ident', 'escaped'):
            return self.path()
        raise _Invalid('unexpected %r' % value)

    def path(self):
        while True:
            if self.peek('.'):
                self.pos += 1
                if self.pos >= len(self.tokens) or self.tokens[self.pos][0] not in ('ident', 'escaped', 'number'):
                    raise _Invalid("expected a field name after '.'")
                self.pos += 1
            elif self.peek('[*]'):  # every item of an array
                self.pos += 1
            elif self.peek('['):
                self.pos += 1
                if self.pos >= len(self.tokens) or self.tokens[self.pos][0] != 'number':
                    raise _Invalid("expected an array index (0, 1 ...) or * (every item) after '['")
                self.pos += 1
                self.expect(']')
            else:
                return

    def call(self, name):
        if name not in FUNCTIONS:
            raise _Invalid('%s() is not a Data Prep function' % name)
        self.expect('(')
        count = 0
        if not self.peek(')'):
            self.disjunction()
            count = 1
            while self.peek(','):
                self.pos += 1
                self.disjunction()
                count += 1
        self.expect(')')
        low, high = _ARITY.get(name, (0, None))
        if count < low or (high is not None and count > high):
            wanted = str(low) if low == high else '%d to %s' % (low, high if high is not None else 'any number')
            raise _Invalid('%s() takes %s argument(s), got %d' % (name, wanted, count))


def check_expression(text):
    """None when ``text`` is a valid Data Prep expression, else what is wrong."""
    try:
        _Parser(text).parse()
    except _Invalid as err:
        return str(err)
    return None


def check_attribute(path):
    """None when ``path`` is a valid source field path, else what is wrong."""
    try:
        parser = _Parser(path)
        if not parser.tokens or parser.tokens[0][0] not in ('ident', 'escaped') or parser.tokens[1:2] == [('op', '(')]:
            raise _Invalid('it is not a field path (use names joined by ".", array indexes as [0], and ${...} '
                           'around a name with spaces or dots)')
        parser.pos = 1
        parser.path()
        if parser.pos != len(parser.tokens):
            raise _Invalid('unexpected %r in the field path' % parser.tokens[parser.pos][1])
    except _Invalid as err:
        return str(err)
    return None


def check_destination(path):
    """None when ``path`` is a valid XDM destination path, else what is wrong."""
    if not _DESTINATION.match(path or ''):
        return ('it is not an XDM field path (names of letters, digits, "_" or "-" joined by ".", such as '
                '_tenant.chatlio.email, with array indexes as [0], or [*] for every item)')
    return None
