# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which Data Prep source can fill which XDM destination: the type-compatibility table of mappings (issue 8,
"Mappings checked for meaning").

A mapping that can never fill its destination makes every record fail at ingestion (the inlet still answers 200;
the flow run counts the record as failed). These checks refuse such mappings before any write.

* ``source_value(source_type, source, destination)``: what a source yields, as ``(kind, constant)``; ``kind`` is
  one of ``VALUE_KINDS``, ``constant`` the text of a constant (STATIC, or an EXPRESSION that is one literal) or
  None.
* ``COMPATIBLE``: destination XDM type -> the value kinds that can fill it.
* ``mapping_problem(paths, mapping, tenant)``: why a mapping can never fill its destination (a sentence naming the
  destination's type), or None. ``paths`` is dotted path -> XDM type (``xdm_common.schema_field_paths``).
* ``missing_required(required, mappings)``: the required paths of the output schema that no mapping fills.

The same table is implemented by the emulator's Data Prep (``emulator/aep_emulator/domain/mapping.py``,
``meaning_errors``), and written down in ``emulator/docs/schemaregistry-dataprep.md`` ("Mappings checked for
meaning"), with the choices AEP does not document.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from datetime import date, datetime

from ansible_collections.aep.platform.plugins.module_utils.resources import dataprep_syntax, xdm_common

# What a source yields. ``any``: only known when the event arrives (an attribute path; its type is the payload's).
VALUE_KINDS = ('string', 'number', 'boolean', 'date-time', 'array', 'object', 'any')

# destination XDM type -> value kinds that can fill it. A text fills a scalar when it converts (a constant is
# converted here: 'abc' never becomes an integer); a number fills a date-time as epoch milliseconds; a date-time
# fills a date (its day). Objects and maps take objects only, arrays take arrays only.
COMPATIBLE = {
    'string': ('string', 'number', 'boolean', 'date-time', 'any'),
    'integer': ('string', 'number', 'any'),
    'number': ('string', 'number', 'any'),
    'boolean': ('string', 'boolean', 'any'),
    'date-time': ('string', 'number', 'date-time', 'any'),
    'date': ('string', 'date-time', 'any'),
    'object': ('object', 'any'),
    'map': ('object', 'any'),
    'array': ('array', 'any'),
}

# Result kind of an expression whose outermost call is one of these functions (Data Prep's function reference);
# a function not listed (iif, coalesce, first, last, get ...) returns what its arguments hold: ``any``.
RESULT_KINDS = dict(
    [(name, 'string') for name in (
        'uuid', 'guid', 'concat', 'lower', 'lcase', 'upper', 'ucase', 'trim', 'ltrim', 'rtrim', 'substr', 'join',
        'replacestr', 'sha1', 'sha256', 'sha512', 'md5', 'crc32', 'lpad', 'rpad', 'left', 'right', 'to_string',
        'array_to_string', 'date_to_string', 'format', 'dformat', 'get_url_protocol', 'get_url_host', 'get_url_path',
        'get_url_query_str', 'get_url_encoded', 'get_url_decoded', 'fpid_to_ecid', 'ua_os_name', 'ua_os_version_major',
        'ua_os_version', 'ua_agent_version', 'ua_agent_version_major', 'ua_agent_name', 'ua_device_class')]
    + [(name, 'date-time') for name in ('now', 'date', 'make_date_time', 'zone_date_to_utc', 'zone_date_to_zone',
                                        'set_date_part')]
    + [(name, 'number') for name in ('timestamp', 'length', 'len', 'size_of', 'to_integer', 'to_bigint', 'to_float',
                                     'to_decimal', 'instr', 'date_part', 'get_url_port')]
    + [(name, 'boolean') for name in ('equals', 'equalsIgnoreCase', 'matches_regex', 'is_empty', 'is_set', 'to_boolean',
                                      'map_has_keys', 'contains_key', 'is_null')]
    + [(name, 'array') for name in ('split', 'explode', 'extract_regex', 'to_array', 'get_keys', 'get_values',
                                    'map_get_values', 'arrays_to_objects', 'upsert_array_append', 'upsert_array_replace',
                                    'filterArray')]
    + [(name, 'object') for name in ('to_object', 'str_to_object', 'json_to_object', 'object_to_map', 'add_to_map',
                                     'array_to_map')])

_BOOLEAN_OPS = ('||', '&&', '==', '!=', '<=', '>=', '<', '>')
_INTEGER = re.compile(r'^\s*[+-]?\d+\s*$')
_NUMBER = re.compile(r'^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$')
INT64 = (-2 ** 63, 2 ** 63 - 1)  # XDM integer (and Data Prep's to_integer/to_bigint): a signed 64-bit value


def _parses(parse, text):
    try:
        parse(text)
    except (ValueError, TypeError):
        return False
    return True


def _integer(text):
    return bool(_INTEGER.match(text)) and INT64[0] <= int(text) <= INT64[1]


# how a constant text converts to a scalar destination (Data Prep converts a text to the field's type). Dates are
# parsed as ISO 8601 (Python's fromisoformat, as the emulator does): '2024-13-45T99:00:00Z' has the right shape but
# is no date; an integer beyond 64 bits is refused (AEP's integer is a long).
CONVERTS = {
    'string': lambda text: True,
    'integer': _integer,
    'number': lambda text: bool(_NUMBER.match(text)),
    'boolean': lambda text: text.strip().lower() in ('true', 'false'),
    'date-time': lambda text: _parses(datetime.fromisoformat, text),
    'date': lambda text: _parses(date.fromisoformat, text[:10]),
}
EXAMPLES = {'integer': '42', 'number': '4.2', 'boolean': 'true', 'date-time': '2024-05-01T10:00:00Z',
            'date': '2024-05-01'}


def _spreads(text):
    return (text or '').count('[*]')


def _expression_value(text):
    """(kind, constant) of an EXPRESSION's outermost form: a literal, a call, a test or a field path."""
    try:
        tokens = dataprep_syntax._tokens(text or '')  # pylint: disable=protected-access
    except dataprep_syntax._Invalid:  # pylint: disable=protected-access
        return 'any', None
    while len(tokens) >= 2 and tokens[0] == ('op', '(') and tokens[-1] == ('op', ')') and _closes_at_end(tokens):
        tokens = tokens[1:-1]
    if not tokens:
        return 'any', None
    depth = 0
    for kind, value in tokens:
        if (kind, value) == ('op', '('):
            depth += 1
        elif (kind, value) == ('op', ')'):
            depth -= 1
        elif depth == 0 and kind == 'op' and value in _BOOLEAN_OPS:
            return 'boolean', None
    if tokens[0] == ('op', '!'):
        return 'boolean', None
    if len(tokens) == 1:
        kind, value = tokens[0]
        if kind == 'string':
            return 'string', re.sub(r'\\(.)', r'\1', value[1:-1])
        if kind == 'number':
            return 'number', value
        if value in ('true', 'false'):
            return 'boolean', value
        return 'any', None  # null or a field
    if tokens[0][0] == 'ident' and tokens[1] == ('op', '(') and _closes_at_end(tokens[1:]):
        return RESULT_KINDS.get(tokens[0][1], 'any'), _call_constant(tokens)
    return 'any', None  # a field path: its type is the payload's


# string functions whose result, on constant arguments, is known here (the same text on every record)
_TEXT_FUNCTIONS = {
    'concat': lambda *args: ''.join(args), 'upper': lambda text: text.upper(), 'ucase': lambda text: text.upper(),
    'lower': lambda text: text.lower(), 'lcase': lambda text: text.lower(), 'trim': lambda text: text.strip(),
    'ltrim': lambda text: text.lstrip(), 'rtrim': lambda text: text.rstrip(),
}
# functions whose text never converts to a number, boolean or date (a UUID, a hexadecimal digest)
OPAQUE_TEXT = ('uuid', 'guid', 'sha1', 'sha256', 'sha512', 'md5')
# conversions that fail on every record when their constant argument does not convert
_CONVERSIONS = {'to_integer': 'integer', 'to_bigint': 'integer', 'to_float': 'number', 'to_decimal': 'number'}


def _call_constant(tokens):
    """The text a call of a string function on literal arguments always yields, else None."""
    name, args = tokens[0][1], tokens[2:-1]
    if name not in _TEXT_FUNCTIONS:
        return None
    values = []
    for index, (kind, value) in enumerate(args):
        if index % 2:
            if (kind, value) != ('op', ','):
                return None
        elif kind in ('string', 'number'):
            values.append(re.sub(r'\\(.)', r'\1', value[1:-1]) if kind == 'string' else value)
        else:
            return None
    try:
        return _TEXT_FUNCTIONS[name](*values)
    except TypeError:
        return None


def call_problem(source, kind):
    """Why the EXPRESSION ``source`` (a call) can never fill a destination of XDM type ``kind``, or None: an opaque
    text (``uuid()``, a digest) into a number, boolean or date; a conversion of a constant that does not convert
    (``to_integer('abc')``)."""
    try:
        tokens = dataprep_syntax._tokens(source or '')  # pylint: disable=protected-access
    except dataprep_syntax._Invalid:  # pylint: disable=protected-access
        return None
    if len(tokens) < 3 or tokens[0][0] != 'ident' or tokens[1] != ('op', '(') or not _closes_at_end(tokens[1:]):
        return None
    name = tokens[0][1]
    if name in OPAQUE_TEXT and kind in CONVERTS and kind != 'string':
        return '%s() yields a text (a UUID or digest) that never converts to %s' % (name, kind)
    wanted = _CONVERSIONS.get(name)
    if wanted and len(tokens) == 4 and tokens[2][0] == 'string':
        text = re.sub(r'\\(.)', r'\1', tokens[2][1][1:-1])
        if not CONVERTS[wanted](text):
            return '%s fails on every record: %r does not convert to %s' % (source, text, wanted)
    return None


def _closes_at_end(tokens):
    """True when the '(' at tokens[0] is closed by the last token."""
    depth = 0
    for index, token in enumerate(tokens):
        if token == ('op', '('):
            depth += 1
        elif token == ('op', ')'):
            depth -= 1
            if depth == 0:
                return index == len(tokens) - 1
    return False


def _kind_of(value):
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, (int, float)):
        return 'number'
    return 'object' if isinstance(value, dict) else 'array' if isinstance(value, list) else 'string'


def sample_kind(sample, source, destination=''):
    """The kind an ATTRIBUTE ``source`` has in ``sample`` (one event as the source sends it), or None when the
    sample has no value there. ``[*]`` paired with one in the destination looks at the first item; an unpaired
    ``[*]`` yields an array."""
    if not isinstance(sample, dict) or not source or '${' in source:
        return None
    paired = _spreads(destination)
    node = sample
    for part in re.findall(r'[^.\[\]]+|\[[^\]]*\]', source):
        if part.startswith('['):
            index = part[1:-1]
            if not isinstance(node, list) or not node:
                return None
            if index == '*' and not paired:
                return 'array'
            paired -= index == '*'
            node = node[int(index)] if index.isdigit() and int(index) < len(node) else node[0] if index == '*' else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return _kind_of(node)


def source_value(source_type, source, destination='', sample=None):
    """(kind, constant) a source yields into ``destination``.

    STATIC: a string constant. EXPRESSION: by its outermost form (a literal is a constant of its kind, a
    comparison or ``!``/``&&``/``||`` a boolean, a call the function's result kind, a field path ``any``).
    ATTRIBUTE: ``any`` (the payload decides), except that a path with more ``[*]`` than the destination yields an
    array (``messages[*].text`` is the list of every message's text)."""
    if source_type == 'STATIC':
        return 'string', source or ''
    if source_type == 'EXPRESSION':
        kind, constant = _expression_value(source)
        if kind == 'any' and _spreads(source) > _spreads(destination):
            return 'array', None
        return kind, constant
    if _spreads(source) > _spreads(destination):
        return 'array', None
    return sample_kind(sample, source, destination) or 'any', None


def _describe(kind, constant, source_type, source):
    if constant is not None:
        return 'the constant %r' % constant
    if kind == 'array' and source_type != 'EXPRESSION' and '[*]' in (source or ''):
        return 'the array of items of %r' % source
    return 'the %s value of %s source %r' % (kind, source_type, source)


def _fix(kind, value, source, destination):
    if value == 'array':
        return ('map it to an array field, map one item (%s), or pair the items with [*] in the destination '
                '(such as <array field>[*].<field>)' % source.replace('[*]', '[0]', 1))
    return {'object': 'map an attribute path naming an object of the payload, or map its fields one by one',
            'map': 'map an attribute path naming an object of the payload (its keys become the keys), or map one '
                   'key (%s.<key>)' % destination,
            'array': 'map an attribute path naming a list of the payload, or one item (%s[0]) or every item '
                     '(<list>[*].<field> -> %s[*].<field>)' % (destination, destination),
            }.get(kind, 'map a source of type %s, or convert it (to_integer(), to_float(), ...)' % kind)


def mapping_problem(paths, mapping, tenant=None, sample=None):
    """Why ``mapping`` (``{source_type, source, destination}``) can never fill its destination, or None.

    ``paths``: dotted path -> XDM type of the output schema. The sentence names the destination, its XDM type,
    the source's kind and the fix. A destination that is not in ``paths`` (or lies below a map) is not judged
    here. With ``sample`` (one event as the source sends it), an ATTRIBUTE source has the kind of its value in
    the sample (``sample_kind``)."""
    destination = mapping['destination']
    kind = xdm_common.destination_type(paths, destination)
    if kind is None or kind == 'any':
        return None
    top = destination.split('.', 1)[0]
    if '.' not in destination and kind == 'object' and (top == '_%s' % tenant if tenant else top.startswith('_')):
        return ('%r is the tenant namespace object, which can never hold a mapped value (every record would fail '
                'mapping); map the source to one of its fields, such as %s.<field>' % (destination, destination))
    source_type = mapping.get('source_type') or 'ATTRIBUTE'
    value, constant = source_value(source_type, mapping.get('source'), destination, sample)
    if value not in COMPATIBLE.get(kind, VALUE_KINDS):
        return ('%r is of type %s and cannot hold %s (every record would fail mapping); %s'
                % (destination, kind, _describe(value, constant, source_type, mapping.get('source')),
                   _fix(kind, value, mapping.get('source') or '', destination)))
    if value not in ('array', 'any') and source_type != 'ATTRIBUTE' and _spreads(destination) > _spreads(mapping.get('source')):
        return ('%r is an item path of an array ([*]) and cannot hold %s: [*] needs an array source (every record '
                'would fail mapping); map an array path with [*] (<list>[*].<field>), or the whole array field'
                % (destination, _describe(value, constant, source_type, mapping.get('source'))))
    numeric_date = value == 'number' and kind == 'date-time'  # epoch milliseconds
    if constant is not None and kind in CONVERTS and not numeric_date and not CONVERTS[kind](str(constant)):
        what = 'the constant %r' % constant
        if source_type == 'EXPRESSION' and '(' in (mapping.get('source') or ''):
            what = '%s (always %r)' % (mapping.get('source'), constant)
        return ('%r is of type %s and %s does not convert to it (every record would fail mapping); '
                'use a value such as %r' % (destination, kind, what, EXAMPLES.get(kind, 'text')))
    reason = call_problem(mapping.get('source'), kind) if source_type == 'EXPRESSION' else None
    if reason:
        return '%r is of type %s and %s (every record would fail mapping); map a source of type %s, such as %r' % (
            destination, kind, reason, kind, EXAMPLES.get(kind, 'text'))
    return None


# Dotted paths every record of a resolved schema must carry (shared with the check-mode prediction of a schema).
required_paths = xdm_common.required_paths


def missing_required(required, mappings):
    """The paths of ``required`` that no mapping fills (a mapping fills a path when its destination is the path or
    an object above it)."""
    destinations = [re.sub(r'\[(\d*|\*)\]', '', m['destination'] or '') for m in mappings]
    return [path for path in required
            if not any(d == path or path.startswith(d + '.') for d in destinations)]


REQUIRED_EXAMPLES = {'_id': "{source_type: EXPRESSION, source: 'uuid()', destination: _id}",
                     'timestamp': "{source_type: EXPRESSION, source: 'now()', destination: timestamp}"}


def required_problem(missing, title, schema_id):
    """The sentence for required paths no mapping fills (every record would fail "Required field ... is
    missing"), with a mapping to add for each."""
    examples = [REQUIRED_EXAMPLES.get(p, '{source: <payload field>, destination: %s}' % p) for p in missing]
    return ('mappings: schema %r (%s) requires %s in every record and no mapping fills %s; every record would fail '
            'with "Required field %r is missing" (AEP generates no value for it). Add %s'
            % (title, schema_id, ', '.join(repr(p) for p in missing), 'them' if len(missing) > 1 else 'it',
               missing[0], ' and '.join(examples)))
