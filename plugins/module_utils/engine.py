# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The small resource engine every state module uses.

* ``normalize``/``compare_owned``/``json_patch``: compare only what the user set, list-order and type
  insensitive, and turn the differences into Flow Service JSON Patch operations.
* ``Resource`` (and one subclass per AEP service): find by identity within the sandbox, create, update,
  delete, and the views used for the module result and the diff.
* ``ensure_present``/``ensure_absent``: the state machine, with check mode (no writes, predicted
  result, placeholder id on create) and ``diff: {before, after}``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import hashlib
import json
import re
from collections import namedtuple

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote  # type: ignore

from ansible_collections.aep.platform.plugins.module_utils.args import state_spec
from ansible_collections.aep.platform.plugins.module_utils.client import (
    AepError,
    CATALOG,
    ConnectionFailure,
    DATA_PREP,
    FLOW_SERVICE,
    filter_safe,
    NotFoundError,
    PreconditionFailedError,
    SCHEMA_REGISTRY,
)
from ansible_collections.aep.platform.plugins.module_utils.errors import InputError  # noqa: F401 (re-exported)
from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition

# Fields the platform manages; never compared, never shown in a diff.
SERVER_FIELDS = frozenset([
    'id', 'etag', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'createdClient',
    'updatedClient', 'sandboxId', 'sandboxName', 'imsOrgId', 'imsOrg', 'state', 'inheritedAttributes',
    'providerRefId', 'lastOperation', 'lastRunDetails', 'runs', 'created', 'updated', 'createdUser',
    'updatedUser', 'createdDate', 'modifiedDate', 'modifiedBy', 'files', 'viewId', 'meta:registryMetadata',
    'meta:altId', 'meta:sandboxId', 'meta:sandboxType', 'meta:containerId', 'meta:tenantNamespace', '$id',
    'meta:class', 'meta:extends', 'meta:abstract', 'meta:extensible', 'meta:xdmType', 'meta:resourceType',
])

# Check mode creates nothing, so a new object gets this id (the foreman "id: -1" idea).
PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000'

ID_PATTERNS = {
    'uuid': (re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'),
             'a UUID such as 7689a40d-43eb-4f74-a3f1-092a55884f6c'),
    'catalog': (re.compile(r'^[0-9a-fA-F]{24}$'), 'a 24-character hex dataset id such as 5c8c3c555033b814b69f947f'),
    'dataprep': (re.compile(r'^[0-9a-fA-F]{32}$'), 'a 32-character hex mapping set id'),
    'xdm': (re.compile(r'^https://ns\.adobe\.com/\S+$'), 'an XDM $id such as https://ns.adobe.com/<tenant>/schemas/<hash>'),
}


# A placeholder id is all zeros, or (in check mode, ``placeholder_with``) 12 zeros, the marker ``a``, then zeros and
# the fingerprints of facts about the predicted object (its schema, its connection spec, ...): a later check-mode
# task that only gets the id can still run the checks the real run makes (the flow's mapping schema against its
# target's schema, its connection specs against the flow spec, ...). No real AEP id starts with 12 zeros.
# A fact is mostly a fingerprint of one value (``fingerprint``: two values are the same or not). The fields of a field
# group and of a schema's field groups are a ``fields_fact``: 1 + a sum of one hash per field, modulo 0xffffff, so that
# a later check-mode task that is given the fields (``predicted_fields``) can tell that they are all the fields of the
# predicted object (and the schema adds up its field groups' facts, even of field groups that are predicted too).
PLACEHOLDER_ZEROS = 12
PLACEHOLDER_MARK = 'a'
FACT_DIGITS = 6  # one fact: the first 6 hex digits of the SHA-256 of its value; 000000 means unknown
XDM_EXTENDS_SLOTS = (2, 3, 4)  # the facts of a Schema Registry placeholder: the classes a field group extends
GROUP_FIELDS_SLOT = 1  # the fact of a field group placeholder: its fields (``fields_fact``), where a schema has its class
SCHEMA_FIELDS_SLOT = 2  # the fact of a schema placeholder: the fields of all its field groups (``fields_fact``)
FIELDS_MODULUS = 0xffffff  # a ``fields_fact`` is 1 + the sum of its fields' hashes modulo this (never 000000)
_TAGGED = re.compile(r'^0{%d}%s[0-9a-f]{%d,}$' % (PLACEHOLDER_ZEROS, PLACEHOLDER_MARK, FACT_DIGITS))


def _placeholder_digits(value):
    """The alphanumeric characters of the last path segment of ``value`` (the part a placeholder's zeros are in)."""
    return re.sub(r'[^0-9a-zA-Z]', '', value.rstrip('/').rsplit('/', 1)[-1])


def is_placeholder(value):
    """True for a check-mode placeholder id: all zeros in any id format, or zeros followed by fact fingerprints
    (``placeholder_with``)."""
    if not isinstance(value, str) or not value:
        return False
    last = _placeholder_digits(value)
    if not last:
        return False
    return set(last) == set('0') or _TAGGED.match(last) is not None


def fingerprint(value):
    """The fingerprint of a fact a placeholder id carries: 6 hex digits of the SHA-256 of ``value`` (text; a
    placeholder id is fingerprinted like any id), None for None/empty. Equal values, equal fingerprints."""
    if value is None or value == '':
        return None
    digest = hashlib.sha256(str(value).encode('utf-8')).hexdigest()[:FACT_DIGITS]
    return 'ffffff' if digest == '0' * FACT_DIGITS else digest


def field_hash(field):
    """The number a field (``{name, type[, required]}``, as aep.platform.field_group returns it in ``field_paths``)
    adds to a ``fields_fact``: the first 6 hex digits of the SHA-256 of ``name:type`` (``!`` appended when required)."""
    text = '%s:%s%s' % (field.get('name'), field.get('type') or 'string', '!' if field.get('required') else '')
    return int(hashlib.sha256(text.encode('utf-8')).hexdigest()[:FACT_DIGITS], 16)


def fields_sum(fields):
    """The sum (modulo ``FIELDS_MODULUS``) of ``field_hash`` over the distinct ``fields``; a ``fields_fact`` is this
    plus 1, so the fact of fields that come from several places (the field groups of a schema) adds up."""
    seen = set()
    total = 0
    for field in fields or []:
        if not isinstance(field, dict) or not field.get('name'):
            continue
        key = (field['name'], field.get('type') or 'string', bool(field.get('required')))
        if key not in seen:
            seen.add(key)
            total += field_hash(field)
    return total % FIELDS_MODULUS


def fields_fact(total):
    """The placeholder fact (6 hex digits) of a field set whose ``fields_sum`` is ``total``; None for None."""
    return None if total is None else '%06x' % (total % FIELDS_MODULUS + 1)


def fact_sum(fact):
    """The ``fields_sum`` a ``fields_fact`` stands for; None for an unknown fact."""
    return None if not fact else (int(fact, 16) - 1) % FIELDS_MODULUS


def placeholder_with(template, fingerprints):
    """``template`` (an all-zero placeholder id: ``PLACEHOLDER_ID``, ``'0' * 24``, ``https://ns.adobe.com/x/000...``)
    with ``fingerprints`` (``fingerprint`` values, None for unknown) in its last digits: fact 0 in the last 6 hex
    digits, fact 1 before it, ... Facts that do not fit after ``PLACEHOLDER_ZEROS`` zeros are left out (unknown).
    Without any known fact the id stays all zeros."""
    width = len(_placeholder_digits(template))
    facts = list(fingerprints or [])[:max((width - PLACEHOLDER_ZEROS - 1) // FACT_DIGITS, 0)]
    if not any(facts):
        return template
    tail = ''.join(reversed([f or '0' * FACT_DIGITS for f in facts]))
    digits = iter('0' * PLACEHOLDER_ZEROS + PLACEHOLDER_MARK + tail.rjust(width - PLACEHOLDER_ZEROS - 1, '0'))
    start = len(template.rstrip('/').rsplit('/', 1)[0]) + 1 if '/' in template else 0
    return template[:start] + ''.join(next(digits) if c.isalnum() else c for c in template[start:])


def placeholder_fact(value, slot):
    """The fingerprint of fact ``slot`` a placeholder id carries (see ``placeholder_with``), None when ``value`` is
    not a placeholder or the fact is unknown (an all-zero placeholder knows no fact)."""
    if not is_placeholder(value):
        return None
    last = _placeholder_digits(value)
    end = len(last) - FACT_DIGITS * slot
    if end - FACT_DIGITS < PLACEHOLDER_ZEROS + 1:
        return None
    digits = last[end - FACT_DIGITS:end]
    return None if digits == '0' * FACT_DIGITS else digits


def same_fact(value, fact):
    """True/False when ``value`` (a real value, or a placeholder id carrying its own fingerprint) is known to be or
    not to be the fact fingerprinted as ``fact``; None when either is unknown."""
    if value is None or fact is None:
        return None
    return fingerprint(value) == fact


def validate_id(value, kind, field, label=None):
    """Raise ``InputError`` unless ``value`` is an id of ``kind`` (see ``ID_PATTERNS``) or a placeholder.
    ``label`` names the value in the message when it is not the option itself (``class_ids[0]``)."""
    if value is None or is_placeholder(value):
        return value
    pattern, example = ID_PATTERNS[kind]
    if not isinstance(value, str) or not pattern.match(value):
        raise InputError('%s: %r is not a valid id; expected %s' % (label or field, value, example), field=field)
    return value


_CONTROL = re.compile(r'[\x00-\x1f\x7f]')

ON_DUPLICATES = ('fail', 'keep_oldest')


def state_options(extra=None, identity=None, description=False):
    """The options of every state module: ``state``, ``on_duplicates``, with ``identity`` the option that finds the
    object (``name``, ``title``) and ``id``, with ``description`` a ``description``, then the module's own
    (``extra``)."""
    spec = dict([(identity, dict(type='str')), ('id', dict(type='str'))]) if identity else {}
    if description:
        spec['description'] = dict(type='str')
    spec.update(extra or {})
    spec = state_spec(spec)
    spec['on_duplicates'] = dict(type='str', choices=list(ON_DUPLICATES), default='fail')
    # Ids an earlier check-mode task of the play predicted to delete (the in-use checks skip them); check mode only.
    spec['predicted_absent_ids'] = dict(type='list', elements='str', default=[])
    # V(absent): the objects later tasks remove with this one; the whole removal is checked before this delete.
    spec['remove_with'] = dict(type='list', elements='dict', options=dict(
        kind=dict(type='str', required=True, choices=['flow', 'target_connection', 'source_connection', 'base_connection',
                                                      'dataset', 'schema', 'field_group', 'mapping_set']),
        name=dict(type='str'),
        id=dict(type='str'),
        connection_spec_id=dict(type='str'),
    ))
    return spec


def check_name(value, field, what):
    """Raise ``InputError`` for a name or title AEP refuses: empty, only whitespace, or holding a control
    character (a line break, a tab). Leading and trailing spaces are kept as given: AEP stores them."""
    if value is None:
        return value
    if not isinstance(value, str) or not value.strip():
        raise InputError('%s: the %s of a %s must not be empty or only whitespace, got %r'
                         % (field, field, what, value), field=field)
    if _CONTROL.search(value):
        raise InputError('%s: %r holds a control character (line break, tab ...), which AEP does not accept in the '
                         '%s of a %s; use printable characters only' % (field, value, field, what), field=field)
    return value


# ---------------------------------------------------------------------------------------------------
# Normalisation, comparison, JSON Patch
# ---------------------------------------------------------------------------------------------------

def drop_none(value):
    """A copy of ``value`` without None values in dicts (recursively)."""
    if isinstance(value, dict):
        return dict((k, drop_none(v)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return [drop_none(v) for v in value]
    return value


def normalize(value):
    """The canonical form used for comparison only.

    Dicts lose None and empty values; lists are sorted (scalars by value, dicts by their canonical
    JSON); numbers and booleans become text, so ``0 == "0"`` and ``1.0 == 1``; empty values become None.
    """
    if isinstance(value, dict):
        items = ((k, normalize(v)) for k, v in value.items())
        result = dict((k, v) for k, v in items if v is not None)
        return result or None
    if isinstance(value, (list, tuple)):
        items = [normalize(v) for v in value]
        return sorted(items, key=_sort_key) or None
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value if value != '' else None
    return value


def _sort_key(value):
    return json.dumps(value, sort_keys=True)


def same(current, desired):
    """True when two values are equal after normalisation."""
    return normalize(current) == normalize(desired)


def _escape(key):
    return str(key).replace('~', '~0').replace('/', '~1')


def _unescape(token):
    return token.replace('~1', '/').replace('~0', '~')


def compare_owned(current, desired, prefix=''):
    """JSON Pointer paths where ``desired`` differs from ``current``; empty list = in sync.

    Only keys present in ``desired`` with a non-None value are compared ("the user owns them"). Dicts are
    compared key by key (keys the user did not set are left alone); lists and scalars as a whole after
    ``normalize``. Server fields in ``current`` are therefore ignored unless the user sets them.
    """
    current = current if isinstance(current, dict) else {}
    paths = []
    for key in sorted(desired or {}):
        want = desired[key]
        if want is None:
            continue
        have = current.get(key)
        path = '%s/%s' % (prefix, _escape(key))
        if isinstance(want, dict) and want and isinstance(have, dict):
            paths.extend(compare_owned(have, want, path))
        elif not same(have, want):
            paths.append(path)
    return paths


def get_pointer(obj, path, default=None):
    """The value at JSON Pointer ``path`` in ``obj`` (``default`` when absent)."""
    for token in [_unescape(t) for t in path.split('/')[1:]]:
        if isinstance(obj, dict) and token in obj:
            obj = obj[token]
        elif isinstance(obj, list) and token.isdigit() and int(token) < len(obj):
            obj = obj[int(token)]
        else:
            return default
    return obj


_MISSING = object()


def json_patch(current, desired, paths=None):
    """JSON Patch operations turning the owned part of ``current`` into ``desired``.

    ``replace`` when the path exists in ``current``, ``add`` when it does not; values are the user's.
    """
    if paths is None:
        paths = compare_owned(current, desired)
    ops = []
    for path in paths:
        op = 'add' if get_pointer(current, path, _MISSING) is _MISSING else 'replace'
        ops.append({'op': op, 'path': path, 'value': copy.deepcopy(get_pointer(desired, path))})
    return ops


def deep_merge(current, desired):
    """``current`` with ``desired`` applied (dicts merged recursively, None in ``desired`` ignored)."""
    result = copy.deepcopy(current) if isinstance(current, dict) else {}
    for key, value in (desired or {}).items():
        if value is None:
            continue
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


# ---------------------------------------------------------------------------------------------------
# Field tables: each object declared once
# ---------------------------------------------------------------------------------------------------

_FIELD_ATTRIBUTES = ('option', 'pointer', 'immutable', 'required', 'id_kind', 'requires', 'to_api', 'from_api', 'equal')


class Field(namedtuple('Field', _FIELD_ATTRIBUTES, defaults=(False, False, None, None, None, None, None))):
    """One option of a state module and where it lives in the AEP object (one declaration, both directions).

    ``option``     the module option (``connection_spec_id``)
    ``pointer``    JSON Pointer in the API body (``/connectionSpec/id``); None when the option is spread over the
                   object (a schema's class and field groups share ``allOf``): ``from_api`` then reads the whole
                   object, and ``to_api`` returns the top-level keys it writes (without ``to_api`` the resource's
                   ``body`` hook writes them)
    ``immutable``  AEP cannot change it on an existing object (``recreate`` or a clear error)
    ``required``   needed to create the object (not to find or update it)
    ``id_kind``    the id format the value must have (``engine.ID_PATTERNS``: uuid, catalog, dataprep, xdm); for a
                   list option, of every element (named ``option[i]`` in the message)
    ``requires``   only sent when this other option is set (``connection_spec_version`` needs ``connection_spec_id``)
    ``to_api``     option value -> API value (``schema_id`` -> ``{id, contentType}``); default: the value as it is
    ``from_api``   API value -> option value, for the view, the diff and the comparison (``{id, ...}`` -> ``id``)
    ``equal``      ``equal(have, want)`` on option values, when ``engine.same`` is not the rule (a multiset, the
                   tag keys the user set)

    ``to_api``, ``from_api`` and ``equal`` are callables of one (two) value(s), or the name of a method of the
    resource (``'tree_fields'``) when they need its state (the tenant of a field group).
    """

    __slots__ = ()

    @property
    def path(self):
        """The JSON Pointer a difference of this option is reported at (``/<option>`` without a pointer)."""
        return self.pointer if self.pointer is not None else '/' + _escape(self.option)


def _hook(function, owner):
    """``function`` itself, or the method of ``owner`` it names."""
    return getattr(owner, function) if isinstance(function, str) else function


def _is_empty(value):
    return value is None or (not isinstance(value, bool) and value in ('', [], {}))


class FieldTable:
    """The fields of one object kind. One declaration gives the request body (``body``), the view in option
    names used by the diff and messages (``view``, ``option_for``), the comparison in option terms (``changes``),
    the input checks made before any request (``check``), the options a create needs (``missing_for_create``)
    and the immutable paths.

    ``keep_empty``: the view keeps empty values (``fields: []``); by default it leaves them out. ``owner`` (the
    resource) resolves transforms given by method name.
    """

    def __init__(self, *fields, **kwargs):
        self.fields = fields
        self.keep_empty = kwargs.get('keep_empty', False)

    def body(self, params, owner=None):
        """The API body for the options that are set (None: "not set by the user", never compared)."""
        body = {}
        for field in self.fields:
            value = params.get(field.option)
            if value is None or (field.requires and params.get(field.requires) is None):
                continue
            if field.pointer is None:  # spread over the object: ``to_api`` gives its part, else the resource writes it
                body.update(copy.deepcopy(_hook(field.to_api, owner)(value)) if field.to_api else {})
                continue
            value = _hook(field.to_api, owner)(value) if field.to_api else value
            set_pointer(body, field.pointer, copy.deepcopy(value))
        return body

    def value(self, field, obj, owner=None):
        """The option value of ``field`` in ``obj`` (an API body or object)."""
        raw = (obj or {}) if field.pointer is None else get_pointer(obj or {}, field.pointer)
        return _hook(field.from_api, owner)(raw) if field.from_api else raw

    def view(self, obj, owner=None):
        """``obj`` in option names (None values left out, and empty ones unless ``keep_empty``)."""
        view = {}
        for field in self.fields:
            value = self.value(field, obj, owner)
            if value is not None and (self.keep_empty or not _is_empty(value)):
                view[field.option] = value
        return view

    def owned(self, params):
        """The options the user set (the others are neither compared nor changed)."""
        return set(f.option for f in self.fields if params.get(f.option) is not None)

    def changes(self, current, desired, owned=None, owner=None):
        """The paths (``Field.path``) of the options whose value in ``desired`` differs from ``current``,
        compared in option terms (``from_api``, then ``equal`` or ``engine.same``). Only the ``owned`` options
        are compared; by default every option ``desired`` holds."""
        paths = []
        for field in self.fields:
            want = self.value(field, desired, owner)
            held = want if field.pointer is None else get_pointer(desired or {}, field.pointer)
            if (field.option not in owned) if owned is not None else held is None:
                continue
            have = self.value(field, current, owner)
            if not (_hook(field.equal, owner) if field.equal else same)(have, want):
                paths.append(field.path)
        return paths

    def option_for(self, path):
        """The option of a JSON Pointer path (the path itself when no field holds it)."""
        for field in self.fields:
            pointer = field.path
            if path == pointer or path.startswith(pointer + '/') or pointer.startswith(path + '/'):
                return field.option
        return path

    def immutable(self):
        return tuple(f.path for f in self.fields if f.immutable)

    def check(self, params):
        """``InputError`` for a value with the wrong id format (before any request)."""
        for field in self.fields:
            values = params.get(field.option)
            if field.id_kind is None or values is None:
                continue
            if not isinstance(values, list):
                validate_id(values, field.id_kind, field.option)
                continue
            for index, value in enumerate(values):
                validate_id(value, field.id_kind, field.option, '%s[%d]' % (field.option, index))

    def missing_for_create(self, params, what):
        """``InputError`` when an option a create needs is not set; the message names every required option."""
        required = [f.option for f in self.fields if f.required]
        missing = [option for option in required if _is_empty(params.get(option))]
        if missing:
            raise InputError('%s %s required to create %s %r' % (
                ' and '.join(required), 'is' if len(required) == 1 else 'are', what, params.get('name')),
                field=missing[0])


def set_pointer(obj, path, value):
    """Set ``value`` at JSON Pointer ``path`` in ``obj``, making the dicts on the way."""
    tokens = [_unescape(t) for t in path.split('/')[1:]]
    for token in tokens[:-1]:
        obj = obj.setdefault(token, {})
    obj[tokens[-1]] = value


def _number(value):
    """A creation time as a number: epoch milliseconds stay, numeric text is parsed, anything else is 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, (int, float)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0


# ---------------------------------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------------------------------

class Resource:
    """One kind of AEP object. The defaults implement Flow Service; subclasses adapt other services.

    Class attributes to set in a subclass:
      kind           result key and the word used in messages ("flow", "dataset")
      service, path  client service key and collection path ("/flows")
      identity       field found by ``find`` ("name", "title")
      hidden_fields  top-level fields removed from the returned object and the diff (write-only secrets)
      compare_ignore top-level fields of the desired body never compared (for example ``auth``)
      fields         the ``FieldTable``: the body (``body``), the diff (``user_view``), the input checks
      compare_view   True: compare in option terms (``FieldTable.changes``), for services that replace the whole
                     object (PUT) or take top-level keys (Catalog PATCH); False: JSON Pointer paths of the body
                     (``compare_owned``), for JSON Patch
    """

    kind = 'object'
    service = FLOW_SERVICE
    path = '/'
    identity = 'name'
    hidden_fields = ()
    compare_ignore = ()
    server_fields = SERVER_FIELDS
    fields = None
    compare_view = False
    # The options the user set (``prepare``); None: every option the desired body holds.
    owned = None
    deletable = True
    id_kind = 'uuid'

    def __init__(self, client):
        self.client = client

    @property
    def label(self):
        """``kind`` as words for messages (``mapping set``)."""
        return self.kind.replace('_', ' ')

    # --- reading ----------------------------------------------------------------------------------

    def item_path(self, object_id):
        return '%s/%s' % (self.path, quote(str(object_id), safe=''))

    def get(self, object_id):
        """The object with this id, or None."""
        body = self.client.get_or_none(self.service, self.item_path(object_id))
        return self.unwrap(body)

    def unwrap(self, body):
        """The object inside a GET-by-id body (Flow Service wraps it in ``items``)."""
        if isinstance(body, dict) and isinstance(body.get('items'), list):
            return body['items'][0] if body['items'] else None
        return body

    # Set by ``prepare`` from the module's options; ``warnings`` end up in the module result.
    check_mode = False
    on_duplicates = 'fail'
    # Check mode only: ids of objects an earlier check-mode task predicted to delete (``predicted_absent_ids``).
    predicted_absent_ids = ()
    # Seconds to wait before looking again when a name exists twice (a concurrent run removes its own copy).
    duplicate_pause = 2.0

    def filter_params(self, value):
        """Query parameters of the server-side filter for ``identity == value`` (only for ``filter_safe`` values)."""
        return {'property': '%s==%s' % (self.identity, value)}

    def list_all(self, params=None):
        """Every object of the kind in the sandbox (all pages), optionally narrowed by ``params``."""
        return self.client.list(self.service, self.path, params=params)

    def search(self, value):
        """Candidates whose identity may equal ``value``: the server-side filter when ``value`` is
        ``filter_safe``, every object otherwise. ``matches`` keeps the exact matches."""
        return self.list_all(self.filter_params(value) if filter_safe(value) else None)

    def created_at(self, obj):
        """When the object was created (a number; 0 when unknown), for "the oldest wins"."""
        value = (obj or {}).get('createdAt')
        return _number(value)

    def age_key(self, obj):
        """The order "oldest first": (created time, id). Two objects created in the same millisecond are ordered
        by id, so every run that looks (each with its own object) picks the same winner."""
        return (self.created_at(obj), str(self.object_id(obj)))

    def matches(self, identity):
        """Every object whose identity equals ``identity`` exactly, oldest first."""
        found = [o for o in self.search(identity) if o.get(self.identity) == identity]
        return sorted(found, key=self.age_key)

    def find(self, identity=None, object_id=None):
        """The object by id (when given) or by identity within the sandbox; None when absent.

        The answer is kept: a second call with the same arguments makes no request. More than one object
        with the same identity is an ``InputError`` listing their ids, unless ``on_duplicates`` is
        ``keep_oldest`` (see ``resolve_duplicates``).
        """
        key = (identity, object_id)
        cache = self.__dict__.setdefault('_found', {})
        if key not in cache:
            cache[key] = self._find(identity, object_id)
        return cache[key]

    def forget(self):
        """Drop what ``find`` kept (after a write)."""
        self.__dict__.pop('_found', None)

    def _find(self, identity, object_id):
        if object_id and not is_placeholder(object_id):
            return self.get(object_id)
        if object_id or identity is None:
            return None
        matches = self.matches(identity)
        if len(matches) > 1 and self.on_duplicates != 'keep_oldest':
            # Maybe a concurrent run's object that it is about to remove (see ``settle``): look once more.
            self.client.sleep(self.duplicate_pause)
            matches = self.matches(identity)
        if not matches:
            return None
        if len(matches) > 1:
            self.resolve_duplicates(identity, matches)
        return self.complete(matches[0])

    def resolve_duplicates(self, identity, matches):
        """Several objects share ``identity`` (AEP has no unique names). ``on_duplicates: fail`` raises an
        ``InputError`` listing the ids; ``keep_oldest`` uses the oldest and deletes the newer ones (check mode:
        says it would), or warns where AEP cannot delete them."""
        ids = ', '.join(str(self.object_id(o)) for o in matches)
        if self.on_duplicates != 'keep_oldest':
            raise InputError(
                '%d %ss with %s %r exist in sandbox %r (ids, oldest first: %s); pass id to choose one, delete the '
                'duplicates, or set on_duplicates=keep_oldest (in the aep.platform.streaming_source role: '
                'streaming_source_on_duplicates=keep_oldest), which keeps the oldest, deletes the others and updates the '
                'kept one to the declared fields, whoever made them'
                % (len(matches), self.label, self.identity, identity, self.client.sandbox, ids), field=self.identity)
        keep = self.object_id(matches[0])
        for extra in matches[1:]:
            if self.remove_duplicate(extra, keep, 'duplicate'):  # a change the result and the diff show
                self.__dict__.setdefault('removed_duplicates', []).append(self.diff_view(extra))

    def remove_duplicate(self, obj, keep, why):
        """Delete ``obj`` (a newer object with the same identity as ``keep``), or warn why it stays. True when it
        was removed (check mode: would be), deleted or renamed."""
        extra_id = self.object_id(obj)
        if not self.deletable:
            if self.check_mode:
                self.warn('would rename %s %s %s (%r) to %r: AEP has no DELETE for it; %s (the oldest) is kept'
                          % (why, self.label, extra_id, obj.get(self.identity), self.retired_name(obj), keep))
                return True
            try:
                self.retire(obj)
            except AepError as err:
                self.warn('%s %s %s (%r) could not be renamed (%s); %s (the oldest) is used'
                          % (why, self.label, extra_id, obj.get(self.identity), err, keep))
                return False
            self.warn('renamed %s %s %s to %r: AEP has no DELETE for it, and the new name keeps it from being found '
                      'again; %s (the oldest) is used' % (why, self.label, extra_id, self.retired_name(obj), keep))
            return True
        users = self.users_of(obj) if why == 'duplicate' else []
        if users:  # AEP refuses the delete (409), in check mode too: the same warning, not a change
            self.warn('%s %s %s could not be deleted (still used by %s); %s (the oldest) is used'
                      % (why, self.label, extra_id, ', '.join(users), keep))
            return False
        if self.check_mode:
            self.warn('would delete %s %s %s (%s); %s (the oldest) is kept'
                      % (why, self.label, extra_id, obj.get(self.identity), keep))
            return True
        try:
            self.delete(obj)
        except NotFoundError:
            return False
        except AepError as err:
            self.warn('%s %s %s could not be deleted (%s); %s (the oldest) is used'
                      % (why, self.label, extra_id, err, keep))
            return False
        self.warn('deleted %s %s %s (%r); %s (the oldest) is kept'
                  % (why, self.label, extra_id, obj.get(self.identity), keep))
        return True

    def users_of(self, obj):
        """What still uses ``obj`` (descriptions; reads only), so that AEP would refuse its delete: the in-use rule of
        ``preflight.check_unused``, less the objects an earlier check-mode task predicted to delete."""
        from ansible_collections.aep.platform.plugins.module_utils.resources import preflight  # it imports this module
        return preflight.in_use_by(self.client, self.kind, obj, self.predicted_absent_ids)

    def retired_name(self, obj):
        """The name an undeletable duplicate gets, so that it no longer shares the identity."""
        return '%s [unused duplicate %s]' % (obj.get(self.identity), self.object_id(obj))

    def retire(self, obj):
        """Take an object that cannot be deleted out of the way: rename it (``retired_name``)."""
        desired = {self.identity: self.retired_name(obj)}
        self.update(obj, desired, ['/%s' % _escape(self.identity)])

    def warn(self, message):
        warnings = self.__dict__.setdefault('warnings', [])
        if message not in warnings:
            warnings.append(message)

    def settle(self, created, identity):
        """After a create: look again, and when another run made an object with the same identity meanwhile,
        the oldest wins. The run that lost deletes what it made (or, where AEP cannot delete, leaves it and
        warns) and continues with the winner, so N concurrent runs converge on one object."""
        if identity is None or self.object_id(created) is None:
            return created
        matches = self.matches(identity)
        mine = self.object_id(created)
        if self.created_at(created) and mine not in [self.object_id(o) for o in matches]:
            # The listing may not show the new object yet; it competes all the same, or both runs could lose.
            matches = sorted(matches + [created], key=self.age_key)
        if not matches or self.object_id(matches[0]) == mine:
            return created
        winner = matches[0]
        self.remove_duplicate(created, self.object_id(winner), 'concurrently created')
        return self.complete(winner)

    def complete(self, listed):
        """The full object for a list entry (override when lists return summaries)."""
        return listed

    # --- writing ----------------------------------------------------------------------------------

    def create(self, body):
        """POST the object and return it as the platform stores it."""
        created = self.client.post(self.service, self.path, json=body)
        new_id = self.created_id(created)
        stored = self.get(new_id) if new_id else None
        return stored or deep_merge(body, created if isinstance(created, dict) else {})

    def created_id(self, response):
        return response.get('id') if isinstance(response, dict) else None

    def create_once(self, body):
        """Create without ever making a duplicate, under the client's one retry policy (``client.retry_policy``:
        how many attempts, within what deadline, how long between them).

        A POST the client did not repeat itself (a 5xx, or a 429 it gave up on) is tried again only after the
        object is looked up by identity and found absent; the attempts and the waits are the policy's.
        When the POST may have reached AEP without an answer (read timeout, connection dropped after
        sending), AEP may still be creating the object: it is looked up ``settle_lookups`` times, and when it
        has not appeared the POST is *not* sent again; the failure says so, and a rerun converges.
        """
        identity = body.get(self.identity)
        self.forget()
        tried = []

        def attempt():
            if tried:
                found = self._find(identity, None)
                if found is not None:
                    return found
            tried.append(True)
            return self.settle(self.create(body), identity)

        def retry_if(err):
            return err.transient and not getattr(err, 'maybe_delivered', False)

        try:
            return self.client.retry_policy.call(attempt, retry_if)
        except AepError as err:
            if err.transient and getattr(err, 'maybe_delivered', False):
                return self._settle_unanswered_create(err, identity)
            raise

    settle_lookups = 2

    def _settle_unanswered_create(self, err, identity):
        """The object a POST without an answer made, or a ``ConnectionFailure`` saying it was not re-sent."""
        for attempt in range(self.settle_lookups):
            self.client.sleep(self.client.backoff(attempt))
            found = self._find(identity, None)
            if found is not None:
                return found
        raise ConnectionFailure(
            '%s; AEP may still create the %s: none with %s %r has appeared and the request was not sent again, '
            'so that no duplicate can be made. Run the task again: it finds the %s or creates it'
            % (err.message, self.label, self.identity, identity, self.label),
            method=err.method, url=err.url, service=err.service, maybe_delivered=True)

    def patch_ops(self, current, desired, paths):
        """The JSON Patch operations for ``paths`` (override for quirks such as the flow's mapping)."""
        return json_patch(current, desired, paths)

    def update(self, current, desired, paths):
        """Flow Service: JSON Patch (``patch_ops``) with ``If-Match``; on 412 re-read, recompute and retry once."""
        object_id = self.object_id(current)
        for attempt in (1, 2):
            try:
                self.client.patch(self.service, self.item_path(object_id), json=self.patch_ops(current, desired, paths),
                                  headers={'If-Match': self.etag(current) or '*'})
                break
            except PreconditionFailedError:
                if attempt == 2:
                    raise
                current = self.get(object_id)
                if current is None:
                    raise NotFoundError('%s %s disappeared during the update' % (self.label, object_id),
                                        status=404, service=self.service)
                paths = self.differences(current, desired)
                if not paths:
                    return current
        return self.get(object_id)

    def delete(self, current):
        self.client.delete(self.service, self.item_path(self.object_id(current)))

    # --- views ------------------------------------------------------------------------------------

    def object_id(self, obj):
        return (obj or {}).get('id')

    def etag(self, obj):
        return (obj or {}).get('etag')

    def owns(self, option):
        """True when the user set ``option`` (or no options are known): only then is it compared and changed."""
        return self.owned is None or option in self.owned

    def body(self, params):
        """The API body for the module's options (``fields.body``; override to add a quirk)."""
        return self.fields.body(params, self)

    def differences(self, current, desired):
        if self.compare_view:
            paths = self.fields.changes(current, desired, self.owned, self)
            blocked = [p for p in paths if p in self.fields.immutable()]
            if blocked:
                self.refuse_immutable(current, desired, blocked)
            return paths
        owned = dict((k, v) for k, v in desired.items() if k not in self.compare_ignore)
        return compare_owned(current, owned)

    def refuse_immutable(self, current, desired, paths):
        """``InputError`` for options AEP cannot change on an existing object (a module without ``recreate``). The
        object found by name may be someone else's, so the fix is another name for yours, never a delete."""
        field = [f for f in self.fields.fields if f.path == paths[0]][0]
        raise InputError(
            '%s: %s %r (%s) has %s %s; AEP cannot change the %s of an existing %s. It may not be yours: leave it as it '
            'is and give yours another %s (module option %s; the streaming_source role: streaming_source_names.%s)' % (
                field.option, self.label, current.get(self.identity), self.object_id(current), field.option,
                self.fields.value(field, current, self), field.option, self.label, self.identity, self.identity,
                self.kind),
            field=field.option)

    def user_view(self, obj):
        """The object in the module's option names (``fields.view``)."""
        return self.fields.view(obj, self) if obj else {}

    def result_view(self, obj):
        """The object as returned to the user (hidden fields removed)."""
        return dict((k, v) for k, v in (obj or {}).items() if k not in self.hidden_fields)

    def diff_view(self, obj):
        """The object as shown in ``--diff``: in option names (``user_view``) when the kind has a field table,
        else without server-managed or hidden fields."""
        if self.fields is not None:
            return self.user_view(obj)
        skip = set(self.server_fields) | set(self.hidden_fields)
        return dict((k, v) for k, v in (obj or {}).items() if k not in skip)

    def placeholder_facts(self, body):
        """Fingerprints (``fingerprint``) of the facts a check-mode placeholder id of an object created from ``body``
        carries, in slot order (see ``placeholder_with``); none by default."""
        return []

    def predict_create(self, body):
        predicted = drop_none(copy.deepcopy(body))
        predicted['id'] = placeholder_with(PLACEHOLDER_ID, self.placeholder_facts(predicted))
        return predicted

    def predict_update(self, current, desired):
        return deep_merge(current, desired)


class FlowServiceResource(Resource):
    """Flow Service objects (``/sourceConnections``, ``/targetConnections``, ``/connections``, ``/flows``)."""

    service = FLOW_SERVICE


class CatalogResource(Resource):
    """Catalog objects (``/dataSets``): keyed-by-id bodies, ``?name=`` filter, PATCH with a JSON body."""

    service = CATALOG
    path = '/dataSets'
    id_kind = 'catalog'

    def unwrap(self, body):
        if not isinstance(body, dict) or not body:
            return None
        key, value = next(iter(body.items()))
        return dict(value, id=key) if isinstance(value, dict) else None

    def filter_params(self, value):
        return {self.identity: value}

    def created_at(self, obj):
        return _number((obj or {}).get('created'))

    def created_id(self, response):
        # ["@/dataSets/5c8c3c555033b814b69f947f"]
        if isinstance(response, list) and response:
            return str(response[0]).rstrip('/').rsplit('/', 1)[-1]
        return super(CatalogResource, self).created_id(response)

    def placeholder_facts(self, body):
        """A dataset's placeholder carries its schema (slot 0)."""
        return [fingerprint(get_pointer(body, '/schemaRef/id'))]

    def predict_create(self, body):
        predicted = super(CatalogResource, self).predict_create(body)
        predicted['id'] = placeholder_with('0' * 24, self.placeholder_facts(predicted))
        return predicted

    def update(self, current, desired, paths):
        keys = sorted(set(p.split('/')[1] for p in paths))
        self.client.patch(self.service, self.item_path(self.object_id(current)),
                          json=dict((_unescape(k), desired[_unescape(k)]) for k in keys))
        return self.get(self.object_id(current))


class PutResource(Resource):
    """Objects updated by PUT of the full body (``put_body``)."""

    def put_body(self, current, desired):
        return desired

    def update(self, current, desired, paths):
        updated = self.client.put(self.service, self.item_path(self.object_id(current)),
                                  json=self.put_body(current, desired))
        return self.get(self.object_id(current)) or updated


class SchemaRegistryResource(PutResource):
    """Schema Registry tenant objects (``/tenant/schemas``, ``/tenant/fieldgroups``): found by title,
    identified by ``$id``, read with a versioned ``Accept``, updated by PUT."""

    service = SCHEMA_REGISTRY
    identity = 'title'
    id_kind = 'xdm'
    accept = 'application/vnd.adobe.xed+json; version=1'
    # Lists in this format return whole objects (as a lookup with ``accept`` does), so a find is one request.
    list_accept = 'application/vnd.adobe.xed+json'

    def get(self, object_id):
        return self.client.get_or_none(self.service, self.item_path(object_id), accept=self.accept)

    def list_all(self, params=None):
        return self.client.list(self.service, self.path, accept=self.list_accept, params=params)

    def created_at(self, obj):
        return _number(((obj or {}).get('meta:registryMetadata') or {}).get('repo:createdDate'))

    def complete(self, listed):
        if isinstance(listed, dict) and 'meta:registryMetadata' in listed:
            return listed  # already the whole object
        return self.get(self.object_id(listed)) or listed

    def create(self, body):
        created = self.client.post(self.service, self.path, json=body, accept='application/json')
        new_id = self.object_id(created)
        return (self.get(new_id) if new_id else None) or created

    def object_id(self, obj):
        return (obj or {}).get('$id')

    def etag(self, obj):
        return ((obj or {}).get('meta:registryMetadata') or {}).get('eTag')

    def placeholder_facts(self, body):
        """A Schema Registry placeholder carries: slot 0 its kind and title (two new schemas get two ids), slot 1 the
        schema's class (``meta:class``, else the first ``allOf`` ``$ref``), slots 2-4 the classes a field group
        extends (``meta:intendedToExtend``; unknown when more than 3). Field groups and schemas add their fields
        (``GROUP_FIELDS_SLOT``, ``SCHEMA_FIELDS_SLOT``; ``fields_fact``)."""
        refs = [ref.get('$ref') for ref in body.get('allOf') or [] if isinstance(ref, dict)]
        class_id = body.get('meta:class') or next((r for r in refs if r and not r.startswith('#')), None)
        extends = body.get('meta:intendedToExtend') or []
        facts = [fingerprint('%s:%s' % (self.path, body.get(self.identity))), fingerprint(class_id)]
        if isinstance(extends, list) and len(extends) <= len(XDM_EXTENDS_SLOTS):
            facts += [fingerprint(c) for c in extends]
        return facts

    def predict_create(self, body):
        predicted = drop_none(copy.deepcopy(body))
        template = 'https://ns.adobe.com/%s/%s' % (self.path.rsplit('/', 1)[-1], '0' * 48)
        predicted['$id'] = placeholder_with(template, self.placeholder_facts(predicted))
        return predicted


def placeholder_extends(group_id, class_id):
    """Whether the field group a check-mode placeholder ``group_id`` stands for extends ``class_id`` (by the
    ``meta:intendedToExtend`` facts it carries, see ``SchemaRegistryResource.placeholder_facts``): True/False,
    None when unknown (an all-zero placeholder, or a placeholder class)."""
    facts = [f for f in (placeholder_fact(group_id, slot) for slot in XDM_EXTENDS_SLOTS) if f]
    if not facts or not class_id or is_placeholder(class_id):
        return None
    return fingerprint(class_id) in facts


class DataPrepResource(PutResource):
    """Data Prep mapping sets (``/mappingSets``): PUT makes a new version; there is no DELETE."""

    service = DATA_PREP
    path = '/mappingSets'
    deletable = False
    id_kind = 'dataprep'

    def filter_params(self, value):
        return {'name': value}

    def created_at(self, obj):
        return _number((obj or {}).get('createdDate'))

    def etag(self, obj):
        return None

    def predict_create(self, body):
        predicted = super(DataPrepResource, self).predict_create(body)
        predicted.update(id=placeholder_with('0' * 32, self.placeholder_facts(predicted)), version=0)
        return predicted

    def predict_update(self, current, desired):
        predicted = super(DataPrepResource, self).predict_update(current, desired)
        predicted['version'] = int((current or {}).get('version') or 0) + 1
        return predicted


# ---------------------------------------------------------------------------------------------------
# State machine
# ---------------------------------------------------------------------------------------------------

def prepare(resource, params, check_mode):
    """``resource`` set up for one module run: check mode, ``on_duplicates``, and the checks of its identity
    options (the name or title AEP would refuse, the id format) made before any request."""
    resource.check_mode = check_mode
    resource.on_duplicates = params.get('on_duplicates') or 'fail'
    resource.predicted_absent_ids = tuple(params.get('predicted_absent_ids') or ()) if check_mode else ()
    check_name(params.get(resource.identity), resource.identity, resource.label)
    validate_id(params.get('id'), resource.id_kind, 'id')
    if resource.fields is not None:
        resource.owned = resource.fields.owned(params)
        resource.fields.check(params)
    return resource


def find_selected(resource, params):
    """The object the options select (``id``, else the identity option), found once. ``InputError`` when ``id``
    selects nothing (a check-mode placeholder id selects the object an earlier task would create), and, when
    nothing is found, for the options a create needs (``resource.fields``)."""
    object_id = params.get('id')
    current = resource.find(identity=params.get(resource.identity), object_id=object_id)
    if object_id and current is None and not (resource.check_mode and is_placeholder(object_id)):
        raise InputError('id: no %s with id %r exists in sandbox %r' % (resource.label, object_id, resource.client.sandbox),
                         field='id')
    fields = getattr(resource, 'fields', None)
    if current is None and fields is not None:
        fields.missing_for_create(params, resource.label)
    return current


def in_sync(resource, current, desired):
    """True when ``current`` exists and already holds every owned field of ``desired`` (an API body).

    The references of such an object (specs, classes, other objects) were checked when it was written, so a
    converged run reads nothing else: checks that need requests run only when this is False.
    """
    return current is not None and not resource.differences(current, drop_none(desired))


def info_options(identity='name'):
    """The options of every ``*_info`` module of an object kind (doc fragments ``aep.platform.info`` and ``.info.name`` or ``.info.title``)."""
    return {identity: dict(type='str'), 'id': dict(type='str')}


def info_rules(identity='name'):
    """The same rule for every ``*_info`` module: the identity and ``id`` are mutually exclusive."""
    return dict(mutually_exclusive=[(identity, 'id')])


def info_definition(kind, plural):
    """The ``ModuleDefinition`` of the ``*_info`` module of ``kind`` (a ``Resource`` class), the same for every
    kind: the options ``<identity>`` and ``id`` (``info_options``, mutually exclusive: ``info_rules``) and
    ``info`` over ``kind(client)``, the objects listed under ``plural``."""
    def run_info(params, client, check_mode):
        return info(kind(client), params, plural)
    return ModuleDefinition(info_options(kind.identity), run_info, info_rules(kind.identity))


def info(resource, params, plural, view=None):
    """The result of every ``*_info`` module: ``{changed: False, <plural>: [...], count}``, the objects with
    ``id``, or with exactly the identity (all pages, exact match), or every object of the kind (all pages).
    ``view`` (default ``resource.result_view``) shapes each object."""
    view = view or resource.result_view
    object_id, wanted = params.get('id'), params.get(resource.identity)
    check_name(wanted, resource.identity, resource.label)
    validate_id(object_id, resource.id_kind, 'id')
    if object_id:
        found = resource.get(object_id) if not is_placeholder(object_id) else None
        objects = [found] if found else []
    elif wanted is not None:
        objects = [resource.complete(o) for o in resource.matches(wanted)]
    else:
        objects = resource.list_all()
    objects = [view(o) for o in objects]
    return {'changed': False, plural: objects, 'count': len(objects)}


def build_result(resource, changed, before, after):
    """The module result: ``changed``, the object under ``resource.kind``, ``id``, ``etag``, ``diff``, and
    the resource's ``warnings`` (duplicates removed or left in place)."""
    result = {
        'changed': changed,
        resource.kind: resource.result_view(after) if after else {},
        'id': resource.object_id(after) if after else None,
        'etag': resource.etag(after) if after else None,
        'diff': {
            'before': resource.diff_view(before) if before else {},
            'after': resource.diff_view(after) if after else {},
        },
    }
    if getattr(resource, 'warnings', None):
        result['warnings'] = list(resource.warnings)
    removed = getattr(resource, 'removed_duplicates', None)
    if removed:  # on_duplicates=keep_oldest removed newer copies: a change, shown in the diff
        result['changed'] = True
        result['diff']['before']['duplicates'] = removed
        result['diff']['after']['duplicates'] = []
    return result


def ensure_present(resource, desired, check_mode, object_id=None):
    """Create or update so that the owned fields of the object equal ``desired`` (an API body).

    ``object_id`` selects the object directly; otherwise it is found by ``desired[resource.identity]``.
    Check mode performs reads only and predicts the result.
    """
    desired = drop_none(desired)
    current = resource.find(identity=desired.get(resource.identity), object_id=object_id)
    if current is None and object_id and not is_placeholder(object_id):
        raise InputError('id: no %s with id %r exists in sandbox %r' % (resource.label, object_id, resource.client.sandbox),
                         field='id')
    if current is None:
        after = resource.predict_create(desired) if check_mode else resource.create_once(desired)
        return build_result(resource, True, None, after)
    paths = resource.differences(current, desired)
    if not paths:
        return build_result(resource, False, current, current)
    after = resource.predict_update(current, desired) if check_mode else resource.update(current, desired, paths)
    return build_result(resource, True, current, after)


def ensure_absent(resource, check_mode, identity=None, object_id=None):
    """Delete the object when it exists; unchanged when it does not."""
    current = resource.find(identity=identity, object_id=object_id)
    if current is None:
        return build_result(resource, False, None, None)
    if not resource.deletable:
        resource.warn('AEP has no DELETE for a %s: %s was left in place' % (resource.label, resource.object_id(current)))
        return build_result(resource, False, current, current)
    if not check_mode:
        try:
            resource.delete(current)
        except NotFoundError:
            return build_result(resource, False, None, None)
    result = build_result(resource, True, current, None)
    result['id'] = resource.object_id(current)  # the deleted (check mode: to be deleted) object
    return result
