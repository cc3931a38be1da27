# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Checks made before any write, in check mode too, for requests AEP would refuse.

The rule: a check-mode run passes if and only if the real run would pass, and anything AEP would refuse fails
before the first write with an ``InputError`` naming the option and the fix. Each function is a plain function of
(client, params, the object found, check mode); a resource calls it once, before its first write.

* ``check_params``: every module: an all-zero (check-mode placeholder) id in a real run, an empty list AEP refuses.
* ``check_base_connection_needed`` / ``check_auth``: a source connection of a spec with ``authSpec`` needs a base
  connection; a base connection's ``auth`` must match its spec's ``authSpec`` (name, required, enum, type).
* ``check_class_change`` / ``check_primary_move``: a schema's class is immutable; moving the primary identity needs
  the old primary demoted in the same list, and a Profile-enabled schema's primary cannot move at all.
* ``check_unused``: ``state: absent`` of an object that another object still uses (AEP: FLOW-1447, FLOW-1418,
  XDM-1014; a dataset a target connection writes to), found with reads only; ``in_use_by`` is the same rule for the
  duplicates ``on_duplicates: keep_oldest`` deletes.
* ``check_absent``: the check every ``state: absent`` makes; with ``remove_with`` (the objects later tasks remove,
  an offboarding) the whole removal is checked before its first delete: each object belongs to the removal's
  chain, not just to its name (``not_owned``), and nothing outside it uses any of them.
* ``check_dataset_profile``: a dataset is enabled for Profile only after its schema is.

Source of the rules: the Flow Service error guide (1415, 1418, 1447, 1455), the Schema Registry guide (a schema's
class cannot change, one primary identity per schema, resources in use cannot be deleted), AEP's "enable a dataset
for Profile" guide (the schema first); ``emulator/README.md`` marks which are verified.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.client import CATALOG, FLOW_SERVICE
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError, is_placeholder
from ansible_collections.aep.platform.plugins.module_utils.resources import xdm_common

# Options that hold ids (one or a list): an all-zero id is a check-mode placeholder, never a real object.
ID_OPTIONS = ('id', 'field_groups', 'class_ids')
# List options AEP refuses when empty: option -> what the list must hold.
NON_EMPTY = {
    'mappings': 'a mapping set needs at least one mapping (Data Prep answers 400 MAPPER-1400-400 to an empty list)',
    'class_ids': 'a field group extends at least one class (the Schema Registry refuses an empty meta:intendedToExtend)',
    'source_connection_ids': 'a dataflow reads from one source connection',
    'target_connection_ids': 'a dataflow writes to one target connection',
    'fields': 'a field group defines at least one field (an empty field group adds nothing to a schema)',
}
UNION_TAG = 'union'


# Connection options whose names end in ``_id`` but hold no AEP object id.
NOT_OBJECT_IDS = ('client_id', 'org_id')


def _is_id_option(name):
    return name not in NOT_OBJECT_IDS and (name in ID_OPTIONS or name.endswith('_id') or name.endswith('_ids'))


# Longest text AEP is given, in characters. AEP documents no limit for these (API-FACTS, the OpenAPI specs); the
# values are chosen well above any real name and below what a request line can carry (a 100,000-character title sent
# as a list filter came back "400 Invalid HTTP request"). Names and titles are also list filters (GET ?name=...).
TEXT_LIMITS = dict(name=256, title=256, flow_name=256, spec_name=256, description=4096)
TEXT_LIMIT_DEFAULT = 2048  # ids, URLs, paths and the other text options
# Options whose value is free-form (a dict or raw) and never a converted string; not checked by ``check_text``.
FREE_FORM = ('params', 'auth', 'tags', 'body', 'event', 'source', 'default')


def _converted_collection(value):
    """The type name (``dict``/``list``) when ``value`` is the text Ansible made of a dict or list given where a
    string is expected (``{'a': 1}`` becomes the string ``"{'a': 1}"``), else None."""
    text = value.strip()
    if (text[:1], text[-1:]) not in (('{', '}'), ('[', ']')):
        return None
    import ast
    try:
        parsed = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return type(parsed).__name__ if isinstance(parsed, (dict, list)) else None


def _check_text(field, key, value):
    if not isinstance(value, str) or key in FREE_FORM:
        return
    kind = _converted_collection(value)
    if kind:
        raise InputError('%s: expected a string, got a %s (%s); give the text itself, for example %s: My name, or '
                         'quote a value that must keep its brackets' % (field, kind, value[:80], key), field=field)
    limit = TEXT_LIMITS.get(key, TEXT_LIMIT_DEFAULT)
    if len(value) > limit:
        raise InputError('%s: %d characters, more than the %d this collection sends to AEP; give a shorter value '
                         '(it starts %r)' % (field, len(value), limit, value[:40]), field=field)


def check_text(params):
    """InputError for a text option (top level, or a string of the entries of a list option such as ``fields``)
    that is a dict or list converted to a string by Ansible (refused: ``str()`` of a dict is never a name), or longer
    than ``TEXT_LIMITS``. Connection options are checked by ``runner.check_connection``."""
    from ansible_collections.aep.platform.plugins.module_utils.args import CONNECTION_SPEC
    for name in sorted(params):
        if name in CONNECTION_SPEC:
            continue
        value = params[name]
        _check_text(name, name, value)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    for key in sorted(item):
                        _check_text('%s[%d].%s' % (name, index, key), key, item[key])


# Largest values of the modules' own numeric options (the connection options: args.NUMBER_LIMITS). A wait of more
# than a day is a typo; a larger sleep cannot be given to time.sleep (OverflowError); mapping versions are 32-bit.
OPTION_LIMITS = dict(wait_timeout=86400, wait_sleep=3600, min_runs=10000, mapping_version=2 ** 31 - 1)


def check_numbers(params):
    """InputError for a numeric option that is not finite (``.inf``, ``.nan``) or above ``OPTION_LIMITS``."""
    import math
    from ansible_collections.aep.platform.plugins.module_utils.args import CONNECTION_SPEC
    for name in sorted(params):
        value = params[name]
        if name in CONNECTION_SPEC or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        limit = OPTION_LIMITS.get(name)
        if not math.isfinite(value) or (limit is not None and value > limit):
            raise InputError('%s: must be a number%s, got %.6g' % (name, ' of at most %d' % limit if limit is not None else '',
                                                                   value), field=name)


def check_params(params, check_mode):
    """InputError for option values no run can use: a text option that is a converted dict or list or too long
    (``check_text``), a number that is not finite or too large (``check_numbers``), a placeholder id
    (``00000000-...``, ``.../000...``) outside check mode (it comes from a check-mode result and names no object), or
    an empty list in ``NON_EMPTY``."""
    check_text(params)
    check_numbers(params)
    if params.get('state') == 'absent':
        return
    for name in sorted(params):
        value = params[name]
        if not check_mode and _is_id_option(name):
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                if is_placeholder(item):
                    field = '%s[%d]' % (name, index) if isinstance(value, list) else name
                    raise InputError('%s: %r is a check-mode placeholder id (all zeros), not a real object; in a real '
                                     'run pass the id of an existing object, or the result of the task that creates '
                                     'it' % (field, item), field=name)
        if name in NON_EMPTY and value == []:
            raise InputError('%s: the list is empty; %s. Give at least one entry, or leave %s out to keep what AEP '
                             'has' % (name, NON_EMPTY[name], name), field=name)


# --- connections ---------------------------------------------------------------------------------------------------

def _auth_specs(spec):
    return [a for a in (spec or {}).get('authSpec') or [] if isinstance(a, dict)]


def check_base_connection_needed(spec, params):
    """A source connection of a connection spec with ``authSpec`` entries (the HTTP API) needs ``base_connection_id``
    (AEP: 400 FLOW-1455 "Missing field baseConnectionId")."""
    if spec and _auth_specs(spec) and not params.get('base_connection_id'):
        raise InputError('base_connection_id: connection spec %s (%s) needs a base connection: create one with '
                         'aep.platform.base_connection (auth.spec_name: %s) and pass its id as base_connection_id'
                         % (spec.get('id'), spec.get('name'), _auth_specs(spec)[0].get('name')),
                         field='base_connection_id')


def check_base_connection_spec(spec_id, base):
    """The base connection ``base`` (a ``/connections`` item) of a source connection of connection spec ``spec_id`` is
    of that same connection spec (AEP: 400 FLOW-1413 "connection spec mismatch" when it is not)."""
    have = ((base or {}).get('connectionSpec') or {}).get('id')
    if not spec_id or not have or have.lower() == spec_id.lower():
        return
    values = (base.get('id'), base.get('name'), have, spec_id, spec_id)
    raise InputError('base_connection_id: base connection %s (%s) is of connection spec %s, but this source connection '
                     'is of connection spec %s (connection_spec_id); pass a base connection made with connection spec %s, '
                     'or drop base_connection_id if that spec takes none' % values, field='base_connection_id')


_TYPES = {'string': (str,), 'boolean': (bool,), 'object': (dict,), 'array': (list,)}


def check_auth(spec, auth):
    """``auth`` (``{spec_name, params}``) against the connection spec's ``authSpec``: the spec has one (Chatlio-like
    specs have none: FLOW-1415), ``spec_name`` names an entry, and ``params`` holds its ``required`` names, with
    values of the declared ``type`` and within ``enum`` (FLOW-1455). No value is ever shown in a message."""
    if not spec or not auth:
        return
    entries = _auth_specs(spec)
    if not entries:
        raise InputError('connection_spec_id: connection spec %s (%s) takes no base connection (its authSpec is empty): '
                         'its source connection is made without one; remove this base_connection task (and '
                         'base_connection_id from the source connection)' % (spec.get('id'), spec.get('name')),
                         field='connection_spec_id')
    entry = next((e for e in entries if e.get('name') == auth.get('spec_name')), None)
    if entry is None:
        raise InputError('auth.spec_name: %r is not an authentication type of connection spec %s (%s); use one of: %s'
                         % (auth.get('spec_name'), spec.get('id'), spec.get('name'),
                            ', '.join(str(e.get('name')) for e in entries)), field='auth.spec_name')
    schema = entry.get('spec') or {}
    values = auth.get('params') or {}
    for name in schema.get('required') or []:
        if name not in values:
            raise InputError('auth.params.%s is required by the authSpec of connection spec %s (%s)'
                             % (name, spec.get('id'), spec.get('name')), field='auth.params')
    for name, prop in sorted((schema.get('properties') or {}).items()):
        if name not in values or not isinstance(prop, dict):
            continue
        value = values[name]
        kinds = _TYPES.get(prop.get('type'))
        if kinds and (not isinstance(value, kinds) or (prop.get('type') != 'boolean' and isinstance(value, bool))):
            raise InputError('auth.params.%s must be a %s (the authSpec of connection spec %s)'
                             % (name, prop['type'], spec.get('id')), field='auth.params')
        if 'enum' in prop and value not in prop['enum']:
            raise InputError('auth.params.%s must be one of: %s (the authSpec of connection spec %s)'
                             % (name, ', '.join(str(v) for v in prop['enum']), spec.get('id')), field='auth.params')


# --- schemas -------------------------------------------------------------------------------------------------------

def class_of(schema):
    if not schema:
        return None
    if schema.get('meta:class'):
        return schema['meta:class']
    refs = [e.get('$ref') for e in schema.get('allOf') or [] if isinstance(e, dict)]
    return refs[0] if refs else None


def check_class_change(current, params):
    """A schema's class cannot change (AEP refuses the PUT): fail naming both classes and the way forward."""
    wanted, have = params.get('class_id'), class_of(current)
    if current is None or not wanted or not have or wanted == have or is_placeholder(wanted):
        return
    raise InputError('class_id: schema %r (%s) has class %s; AEP cannot change the class of an existing schema. '
                     'Create a new schema (another title) with class %s, a dataset of it, and point the target '
                     'connection at that dataset; or keep class_id: %s'
                     % (current.get('title'), current.get('$id'), have, wanted, have), field='class_id')


def _field_of(descriptor):
    pointer = descriptor.get('xdm:sourceProperty') or ''
    return '.'.join(t for t in pointer.split('/') if t)


def check_primary_move(client, current, identities, descriptors_of):
    """Changing the primary identity: moving it to another field needs the old primary listed with ``primary: false``
    (else the schema would get two primaries: XDM-1023); on a Profile-enabled schema the primary identity is frozen
    (XDM-1022): it cannot move, change namespace, or be demoted (the same field with ``primary: false``).
    ``descriptors_of(client, schema_id)`` reads the schema's identity descriptors (``schema.descriptors_of``)."""
    identities = identities or []
    wanted = [i for i in identities if i.get('primary')]
    if current is None or not identities or is_placeholder(current.get('$id')):
        return
    target = wanted[0]['field'] if wanted else None
    listed = dict((i['field'], i) for i in identities)
    enabled = UNION_TAG in (current.get('meta:immutableTags') or [])
    for descriptor in descriptors_of(client, current['$id']):
        if not descriptor.get('xdm:isPrimary'):
            continue
        old = _field_of(descriptor)
        have_ns = descriptor.get('xdm:namespace') or ''
        mine = listed.get(old)
        if enabled:
            fix = ('keep {field: %s, namespace: %s, primary: true}, or use a new schema' % (old, have_ns))
            if old == target and (mine.get('namespace') or have_ns).lower() != have_ns.lower():
                raise InputError('identities: schema %r is enabled for Profile, so the namespace of its primary identity %s '
                                 'cannot change from %s to %s (AEP: XDM-1022); %s'
                                 % (current.get('title'), old, have_ns, mine.get('namespace'), fix), field='identities')
            if target is None and mine is not None and mine.get('primary') is False:
                raise InputError('identities: schema %r is enabled for Profile, so its primary identity %s cannot be '
                                 'demoted to primary: false (AEP: XDM-1022); %s' % (current.get('title'), old, fix),
                                 field='identities')
        if target is None or old == target:
            return
        if enabled:
            raise InputError('identities: schema %r is enabled for Profile, so its primary identity %s cannot move to '
                             '%s (AEP never changes it); keep %s primary, or use a new schema'
                             % (current.get('title'), old, target, old), field='identities')
        if mine is None or mine.get('primary') is not False:
            raise InputError('identities: %s is the primary identity of schema %r; to make %s primary, list %s too '
                             'with primary: false (a schema has one primary identity)'
                             % (old, current.get('title'), target, old), field='identities')


# --- in use --------------------------------------------------------------------------------------------------------

def _flows_using(client, option, object_id):
    flows = client.list(FLOW_SERVICE, '/flows', params={'property': '%s[]==%s' % (option, object_id)})
    return [(f.get('id'), '%s (%s)' % (f.get('name'), f.get('id'))) for f in flows
            if isinstance(f, dict) and object_id in (f.get(option) or [])]


def _using(client, kind, current):
    """What uses ``current``: a list of (id, description), read with GETs only."""
    if kind == 'source_connection':
        return _flows_using(client, 'sourceConnectionIds', current['id'])
    if kind == 'target_connection':
        return _flows_using(client, 'targetConnectionIds', current['id'])
    if kind == 'base_connection':
        users = []
        for path, word in (('/sourceConnections', 'source connection'), ('/targetConnections', 'target connection')):
            for conn in client.list(FLOW_SERVICE, path, params={'property': 'baseConnectionId==%s' % current['id']}):
                if isinstance(conn, dict) and conn.get('baseConnectionId') == current['id']:
                    users.append((conn.get('id'), '%s %s (%s)' % (word, conn.get('name'), conn.get('id'))))
        return users
    if kind == 'field_group':
        return [(s.get('$id'), '%s (%s)' % (s.get('title'), s.get('$id')))
                for s in xdm_common.schemas_using(client, current['$id'])]
    if kind == 'schema':
        users = [d for d in client.list(CATALOG, '/dataSets', params={'properties': 'name,schemaRef'})
                 if isinstance(d, dict) and ((d.get('schemaRef') or {}).get('id')) == current['$id']]
        return [(d.get('id'), '%s (%s)' % (d.get('name'), d.get('id'))) for d in users]
    if kind == 'dataset':
        # A target connection writes to the dataset of its params.dataSetId; the listing is filtered here (Flow
        # Service's property filter is not documented for nested fields).
        users = [c for c in client.list(FLOW_SERVICE, '/targetConnections')
                 if isinstance(c, dict) and (c.get('params') or {}).get('dataSetId') == current['id']]
        return [(c.get('id'), 'target connection %s (%s)' % (c.get('name'), c.get('id'))) for c in users]
    return []


def in_use_by(client, kind, current, predicted=()):
    """Descriptions of what still uses ``current`` (reads only), less the objects whose ids are in ``predicted``
    (those an earlier check-mode task predicted to delete: ``predicted_absent_ids``)."""
    if current is None:
        return []
    predicted = set(predicted or ())
    return [text for user_id, text in _using(client, kind, current) if user_id not in predicted]


def predicted_absent(params, check_mode):
    """The ``predicted_absent_ids`` option, honoured in check mode only (a real run reads what AEP holds)."""
    return tuple(params.get('predicted_absent_ids') or ()) if check_mode else ()


# kind -> (what uses it, what to delete first)
_USERS = {'source_connection': ('dataflow', 'the dataflow (aep.platform.flow state: absent)'),
          'target_connection': ('dataflow', 'the dataflow (aep.platform.flow state: absent)'),
          'base_connection': ('connection', 'the source and target connections (state: absent)'),
          'field_group': ('schema', 'the schemas, or remove the field group from their field_groups'),
          'schema': ('dataset', 'the datasets (aep.platform.dataset state: absent)'),
          'dataset': ('target connection', 'the target connections (aep.platform.target_connection state: absent)')}


def check_unused(client, kind, current, predicted=()):
    """InputError, before the DELETE (check mode too), when another object still uses ``current``: AEP would refuse
    the delete (FLOW-1447 a connection in a dataflow, FLOW-1418 a base connection in a connection, XDM-1014 a field
    group in a schema, a schema of a dataset or enabled for Profile); a dataset a target connection writes to is
    kept too (its dataflow would lose its destination). Users whose ids are in ``predicted`` (``predicted_absent``:
    check mode, deleted by an earlier task of the play) do not count."""
    if current is None:
        return
    label = kind.replace('_', ' ')
    name = current.get('title') or current.get('name')
    if kind == 'schema' and UNION_TAG in (current.get('meta:immutableTags') or []):
        raise InputError('state: schema %r (%s) is enabled for Profile; AEP never deletes such a schema (409 '
                         'XDM-1014), nor its field groups. Leave it in place (remove the dataflow, connections and '
                         'dataset only), or reset the sandbox' % (name, current.get('$id')), field='state')
    found = in_use_by(client, kind, current, predicted)
    if found:
        what, first = _USERS[kind]
        raise InputError('state: %s %r is still used by %d %s(s): %s; AEP refuses to delete it. Delete %s first'
                         % (label, name, len(found), what, ', '.join(found), first), field='state')


# --- removing several objects together (an offboarding) ---------------------------------------------------------

def _resource_classes():
    """kind -> Resource class of the objects ``remove_with`` names (imported here: those modules import this one)."""
    # pylint: disable=import-outside-toplevel
    from ansible_collections.aep.platform.plugins.module_utils.resources import (
        base_connection, dataset, field_group, flow, mapping_set, schema, source_connection, target_connection)
    return {'flow': flow.Flow, 'target_connection': target_connection.TargetConnection,
            'source_connection': source_connection.SourceConnection, 'base_connection': base_connection.BaseConnection,
            'dataset': dataset.Dataset, 'schema': schema.Schema, 'field_group': field_group.FieldGroup,
            'mapping_set': mapping_set.MappingSet}


REMOVABLE = ('flow', 'target_connection', 'source_connection', 'base_connection', 'dataset', 'schema', 'field_group')


def _object_id(obj):
    return obj.get('$id') or obj.get('id')


def removal_members(client, remove_with):
    """The objects ``remove_with`` names (``[{kind, name or id}]``), found with reads only: a list of (kind, object).
    Every object with the name counts (duplicates included); a name or id that selects nothing is skipped (an earlier
    run removed it). InputError for an entry without name and id."""
    classes = _resource_classes() if remove_with else {}
    members = []
    for index, entry in enumerate(remove_with or []):
        if not entry.get('name') and not entry.get('id'):
            raise InputError('remove_with[%d]: give the name (the title of a schema or field group) or the id of the '
                             '%s' % (index, str(entry.get('kind')).replace('_', ' ')), field='remove_with')
        resource = classes[entry['kind']](client)
        if entry.get('id'):
            found = [] if is_placeholder(entry['id']) else [resource.get(entry['id'])]
        else:
            found = [resource.complete(o) for o in resource.matches(entry['name'])]
        members.extend((entry['kind'], obj) for obj in found if obj)
    return members


# --- ownership: an object of a removal belongs to its chain, not just to its name --------------------------------

def _flow_mapping_ids(obj):
    ids = []
    for step in obj.get('transformations') or []:
        if isinstance(step, dict) and (step.get('params') or {}).get('mappingId'):
            ids.append(step['params']['mappingId'])
    return ids


def _schema_group_ids(obj):
    """Every id the schema's ``allOf`` and ``meta:extends`` name (its class too: never a field group's id)."""
    refs = [e.get('$ref') for e in obj.get('allOf') or [] if isinstance(e, dict)]
    return sorted(set(r for r in refs + list(obj.get('meta:extends') or []) if isinstance(r, str)))


# kind -> (the kind it refers to, how to read the ids it refers to, the relation in words, every id must be one of
# the removal's (True) or at least one (False: a schema holds other field groups too))
_REFERS = {
    'flow': (('source_connection', lambda o: o.get('sourceConnectionIds') or [], 'reads from', True),
             ('target_connection', lambda o: o.get('targetConnectionIds') or [], 'writes to', True),
             ('mapping_set', _flow_mapping_ids, 'maps with', True)),
    'target_connection': (('dataset', lambda o: [i for i in [(o.get('params') or {}).get('dataSetId')] if i],
                           'writes to', True),),
    'source_connection': (('base_connection', lambda o: [i for i in [o.get('baseConnectionId')] if i], 'uses', True),),
    'dataset': (('schema', lambda o: [i for i in [(o.get('schemaRef') or {}).get('id')] if i], 'is of', True),),
    'schema': (('field_group', _schema_group_ids, 'have', False),),
}


def _label(kind, obj):
    return '%s %r (%s)' % (kind.replace('_', ' '), obj.get('title') or obj.get('name'), _object_id(obj))


_CONNECTIONS = ('source_connection', 'base_connection', 'target_connection')


def not_owned(members, remove_with):
    """The objects of a removal that only share a name with it: reads nothing, a list of messages.

    ``members`` are the (kind, object) pairs of the removal (``removal_members`` plus the task's own object),
    ``remove_with`` the entries that named them. An object belongs to the removal when what it refers to is the
    removal's object of that kind: a dataflow's source and target connections and mapping set, a target connection's
    dataset, a source connection's base connection, a dataset's schema, and for a schema at least one of its field
    groups; a connection is of the ``connection_spec_id`` its entry gives. A relation is checked only when
    ``remove_with`` names the kind it refers to (an entry that selects nothing counts: then nothing of that kind is
    the removal's). A field group, a base connection and a mapping set refer to nothing the removal holds: their
    name, spec (and the in-use check) is all there is.
    Source: the chain onboarding makes (docs/onboarding.md section 6; finding 1 of breaker4: a dataset on another
    schema, named like the role's, was deleted)."""
    named, specs = {}, {}
    for entry in remove_with or []:
        named.setdefault(entry['kind'], []).append(repr(entry.get('name')) if entry.get('name') else entry.get('id'))
        if entry.get('connection_spec_id'):
            specs.setdefault(entry['kind'], set()).add(entry['connection_spec_id'].lower())
    ids = {}
    for member_kind, obj in members:
        ids.setdefault(member_kind, set()).add(_object_id(obj))
    problems = []
    for member_kind, obj in members:
        have = ((obj.get('connectionSpec') or {}).get('id') or '').lower()
        if member_kind in specs and have not in specs[member_kind]:
            problems.append('%s is of connection spec %s, not %s (connection_spec_id)'
                            % (_label(member_kind, obj), have or 'none', ' or '.join(sorted(specs[member_kind]))))
        for ref_kind, read, words, every in _REFERS.get(member_kind, ()):
            if ref_kind not in named:
                continue
            refs = [r for r in read(obj) if r]
            ours = ids.get(ref_kind, set())
            foreign = [r for r in refs if r not in ours]
            what = ref_kind.replace('_', ' ')
            theirs = (what, ' or '.join(named[ref_kind]), ', '.join(sorted(ours)) if ours else 'none exists')
            if every and foreign:
                problems.append('%s %s %s %s, not the %s %s of this removal (%s)'
                                % ((_label(member_kind, obj), words, what, ', '.join(foreign)) + theirs))
            elif not every and not any(r in ours for r in refs):
                problems.append('%s does not %s the %s %s of this removal (%s)'
                                % ((_label(member_kind, obj), words) + theirs))
    return problems


def check_absent(client, kind, current, params, check_mode):
    """Every ``state: absent`` run calls this before its delete (check mode too, reads only).

    Without ``remove_with``: ``check_unused`` of ``current`` (less ``predicted_absent_ids`` in check mode).

    With ``remove_with`` (the objects later tasks of the play remove, as an offboarding does): the whole removal is
    checked before its first delete. Every object of it belongs to the removal's chain (``not_owned``: a dataset of
    the removal's schema, a dataflow of its connections ...), not just to a name: else one InputError names each
    object that only shares a name and why. Nothing outside ``current`` and those objects may use any of them, and
    no schema among them may be enabled for Profile; otherwise a later delete would fail after the earlier ones,
    leaving a half-removed sandbox. One InputError names every object in the way and its users, and the fix."""
    predicted = predicted_absent(params, check_mode)
    if not params.get('remove_with'):
        check_unused(client, kind, current, predicted)
        return
    members = removal_members(client, params['remove_with'])
    if current is not None:
        members.insert(0, (kind, current))
    own_spec = [{'kind': kind, 'id': _object_id(current), 'connection_spec_id': params['connection_spec_id']}] if (
        current is not None and kind in _CONNECTIONS and params.get('connection_spec_id')) else []
    strangers = not_owned(members, own_spec + list(params['remove_with']))
    if strangers:
        name = (current or {}).get('title') or (current or {}).get('name') or params.get('name') or params.get('title')
        raise InputError('remove_with: removing %s %r together with %d other object(s) would delete objects that only '
                         'share a name with this removal (made by someone else, or by another onboarding): %s. Nothing '
                         'was removed. Give the names of your own objects (the role: streaming_source_names; the '
                         'modules: name, title or id, and remove_with), or remove those objects by hand if they are '
                         'yours. After a rename of some objects (a dataflow switched to new ones), remove only the '
                         'renamed kinds (the role: streaming_source_remove_kinds, docs/onboarding.md section 8)'
                         % (kind.replace('_', ' '), name, len(members) - (current is not None), '; '.join(strangers)),
                         field='remove_with')
    own = set(predicted) | set(_object_id(obj) for dummy, obj in members)
    problems, fixes = [], []
    for member_kind, obj in members:
        label = '%s %r (%s)' % (member_kind.replace('_', ' '), obj.get('title') or obj.get('name'), _object_id(obj))
        if member_kind == 'schema' and UNION_TAG in (obj.get('meta:immutableTags') or []):
            problems.append('%s is enabled for Profile, which AEP never deletes (409 XDM-1014), nor its field groups'
                            % label)
            fixes.append('reset the sandbox to remove a Profile schema')
            continue
        if member_kind not in _USERS:
            continue
        users = [text for user_id, text in _using(client, member_kind, obj) if user_id not in own]
        if users:
            what, first = _USERS[member_kind]
            problems.append('%s is used by %d %s(s) outside this removal: %s' % (label, len(users), what, ', '.join(users)))
            fixes.append('delete or change %s' % first.replace('the ', 'those ', 1))
    if problems:
        name = (current or {}).get('title') or (current or {}).get('name') or params.get('name') or params.get('title')
        raise InputError('remove_with: removing %s %r together with %d other object(s) would stop half-way, as AEP '
                         'would refuse a later delete: %s. Nothing was removed. Either %s first, or leave these objects '
                         'in place (to stop the data, remove only the dataflow: aep.platform.flow state: absent)'
                         % (kind.replace('_', ' '), name, len(members) - (current is not None), '; '.join(problems),
                            ' and '.join(sorted(set(fixes)))), field='remove_with')


# --- datasets ------------------------------------------------------------------------------------------------------

def check_dataset_profile(client, params, current, check_mode, warn):
    """``profile: true`` needs the dataset's schema enabled for Profile first (AEP's "enable a dataset for Profile"
    guide; the emulator answers 400). In check mode a schema not yet enabled may be enabled by an earlier task of the
    same play, which check mode does not do: that task's prediction is passed as ``schema_profile_predicted`` (the
    schema module's ``profile`` result), and only then does check mode accept it, with a warning (``warn``). Otherwise
    check mode fails as the real run does, before any write."""
    if not params.get('profile') or params.get('state') == 'absent':
        return
    tags = (current or {}).get('tags') or {}
    if 'enabled:true' in (tags.get('unifiedProfile') or []):
        return
    schema_id = params.get('schema_id') or ((current or {}).get('schemaRef') or {}).get('id')
    if not schema_id:
        return
    # A check-mode placeholder: a schema an earlier task creates, which is not enabled for Profile unless that task
    # enables it too (its ``profile`` result, passed as ``schema_profile_predicted``).
    schema = {} if is_placeholder(schema_id) else xdm_common.lookup(client, 'schemas', schema_id, containers=('tenant',))
    if schema is None or UNION_TAG in (schema.get('meta:immutableTags') or []):
        return
    message = ('profile: schema %s (%s) of dataset %r is not enabled for Profile; AEP enables a dataset for Profile '
               'only after its schema. Enable the schema first (aep.platform.schema profile: true, which needs a '
               'primary identity)' % (repr(schema['title']) if schema.get('title') else 'predicted by an earlier check-mode task',
                                      schema_id, params.get('name') or (current or {}).get('name')))
    if check_mode and params.get('schema_profile_predicted'):
        warn(message + '. Check mode passes because an earlier task of this play predicted it (schema_profile_predicted)')
        return
    raise InputError(message, field='profile')
