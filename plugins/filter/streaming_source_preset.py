# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ``aep.platform.streaming_source_preset`` filter: loads a streaming source preset, merges the overrides and
checks every input of the ``aep.platform.streaming_source`` role before any request (issue 9).

The preset layout is described once, here (``LAYOUT``); ``docs/sources.md`` explains it key by key. A new key
(for example one that another feature adds to a preset) is added to ``LAYOUT``, so a misspelt key never passes
silently.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: streaming_source_preset
short_description: Load and check a streaming source preset and the streaming_source role's inputs
version_added: 0.1.0
description:
  - Reads the preset file, merges O(overrides) over it (recursively, lists replaced, a null value removes the key) and checks the result against the
    preset layout, together with the object names and the other role inputs.
  - Returns C({preset, names, problems}); the role fails on the first problem list that is not empty, before any request.
  - Every problem names the key (C(mappings[2].destination), C(streaming_source_names.flow)) and the fix.
author:
  - aep.platform maintainers (@aep-platform)
options:
  _input:
    description: Path of the preset file (YAML with a C(streaming_source_preset_data) mapping).
    type: path
    required: true
  overrides:
    description: C(streaming_source_preset_overrides).
    type: raw
  names:
    description: C(streaming_source_names).
    type: raw
  prefix:
    description: C(streaming_source_prefix).
    type: raw
  preset:
    description: How the preset is named in messages (the preset name or file).
    type: str
'''

EXAMPLES = r'''
- name: Load and check the preset
  ansible.builtin.set_fact:
    checked: "{{ '/path/preset.yml' | aep.platform.streaming_source_preset(overrides={}, names={}, prefix='Ansible') }}"
'''

RETURN = r'''
_value:
  description: C(preset) (the merged preset), C(names) (object name per step) and C(problems) (messages; empty when valid).
  type: dict
'''

from collections.abc import Mapping
import copy
import difflib
import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.six import string_types
from ansible_collections.aep.platform.plugins.module_utils.resources import mapping_types

try:
    import yaml
except ImportError:  # pragma: no cover - ansible-core depends on PyYAML
    yaml = None

UUID = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
CONTROL = re.compile(r'[\x00-\x1f\x7f]')
SOURCE_TYPES = ('ATTRIBUTE', 'EXPRESSION', 'STATIC')
DATA_TYPES = ('raw', 'xdm')
ANY = 'any'
EXPERIENCE_EVENT = 'https://ns.adobe.com/xdm/context/experienceevent'

# key: (type, required, what it is). A type is 'str', 'uuid', 'bool', 'dict', 'list', 'any', a tuple of choices or a
# nested layout (a dict). Lists of objects are checked by check_fields / check_mappings.
LAYOUT = {
    'label': ('str', True, 'the source name used in every object name, e.g. Pendo'),
    'description': ('str', False, 'what the source sends'),
    'source': ({
        'connection_spec_id': ('uuid', True, 'the connection spec id (aep.platform.connection_spec_info: id)'),
        'connection_spec_version': ('str', False, 'its version, "1.0" by default'),
        'provider_id': ('uuid', True, 'the provider id (aep.platform.connection_spec_info: provider_id)'),
        'data_format': ('str', False, 'json by default'),
        'params': ('dict', False, 'source connection params'),
        'base_connection': ({
            'data_type': (DATA_TYPES, False, 'raw (JSON mapped by the mappings) or xdm (XDM messages, no mappings)'),
            'authentication_required': ('bool', False, 'posts need Authorization: Bearer <IMS token>'),
        }, False, 'the base connection: required exactly for connection specs that need one (HTTP API), {} for the defaults;'
            ' the role imports its base connection task from this key when the play is loaded'),
    }, True, 'the source connection'),
    'target': ({
        'connection_spec_id': ('uuid', True, 'the target connection spec id (data lake: c604ff05-7f1a-43c0-8e18-33bf874cb11c)'),
        'connection_spec_version': ('str', False, '"1.0" by default'),
        'data_format': ('str', False, 'json by default'),
    }, True, 'the target connection'),
    'flow': ({
        'flow_spec_id': ('uuid', True, 'the flow spec id (aep.platform.flow_spec_info: id)'),
        'flow_spec_version': ('str', False, '"1.0" by default'),
    }, True, 'the dataflow'),
    'schema': ({
        'class_id': ('str', True, 'the XDM class, e.g. https://ns.adobe.com/xdm/context/experienceevent'),
        'fields': ('list', True, 'the fields of the source, below the tenant namespace'),
        # reserved for identity and Profile settings of the schema (issue 8)
        'identities': (ANY, False, 'identity fields'),
        'profile': (ANY, False, 'Profile enablement'),
    }, True, 'the schema'),
    'mappings': ('list', False, 'source -> destination mappings (none for XDM payloads)'),
    'identities': (ANY, False, 'identity fields (issue 8)'),
    'sample_event': ('dict', True, 'one event as the source sends it (for XDM payloads: the xdmEntity)'),
    'expected_record': ('dict', False, 'documentation: the record the sample event becomes'),
    'smoke': ({
        'marker_source': ('str', True, 'a path of sample_event that the smoke test sets to a per-run marker'),
        'marker_destination': ('str', True, 'where that marker lands in the record'),
        'expect': ('dict', False, 'record path -> value the smoke test checks'),
    }, True, 'the smoke test'),
}
NAME_KEYS = ('field_group', 'schema', 'dataset', 'base_connection', 'source_connection', 'target_connection',
             'mapping_set', 'flow')
NAME_SUFFIXES = ('Fields', 'Events', 'Dataset', 'Base Connection', 'Source Connection', 'Target Connection', 'Mapping',
                 'Streaming Dataflow')
FIX = 'see roles/streaming_source/vars/presets/chatlio.yml and docs/sources.md'


def _type_name(value):
    """What ``value`` is, in the user's terms: by ``isinstance``, since the controller hands over its own subclasses
    (``_AnsibleTaggedInt``, ``_AnsibleTaggedDict`` ...), whose names must never reach a message."""
    for kinds, name in ((bool, 'a boolean'), (Mapping, 'a mapping'), ((list, tuple), 'a list'), ((int, float), 'a number'),
                        (string_types, 'a string')):
        if isinstance(value, kinds):
            return name
    return 'null' if value is None else 'a value of another type'


def _what_is(value):
    """What a value that should be a non-empty string is: empty, only whitespace, null, a number ..."""
    if isinstance(value, string_types):
        return 'empty' if value == '' else 'only whitespace (%r)' % value if not value.strip() else 'a string'
    return _type_name(value)


def _suggest(key, known):
    close = difflib.get_close_matches(key, list(known), n=1)
    return ' (did you mean %s?)' % close[0] if close else ''


def _check_value(path, value, kind, what, problems):
    if kind == ANY:
        return
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            problems.append('%s: must be a mapping (%s), not %s' % (path, what, _type_name(value)))
            return
        check_layout(path + '.', value, kind, problems)
    elif isinstance(kind, tuple):
        if value not in kind:
            problems.append('%s: %r is not one of %s' % (path, value, ', '.join(kind)))
    elif kind in ('str', 'uuid'):
        if not isinstance(value, string_types) or not value.strip():
            problems.append('%s: must be a non-empty string (%s); it is %s' % (path, what, _what_is(value)))
        elif kind == 'uuid' and not UUID.match(value):
            problems.append('%s: %r is not a spec id; expected a UUID such as 073127a3-26e3-496c-9d94-9f48fb93fba8 (%s)' % (path, value, what))
    elif kind == 'bool':
        if not isinstance(value, bool):
            problems.append('%s: must be true or false, not %s' % (path, _type_name(value)))
    elif kind == 'dict':
        if not isinstance(value, dict):
            problems.append('%s: must be a mapping (%s), not %s' % (path, what, _type_name(value)))
    elif kind == 'list':
        if not isinstance(value, list):
            problems.append('%s: must be a list (%s), not %s' % (path, what, _type_name(value)))


def check_layout(prefix, data, layout, problems):
    """Append a message per missing, unknown or mistyped key of ``data`` against ``layout``."""
    for key in sorted(data):
        if key not in layout:
            problems.append('%s%s: unknown key%s; known keys: %s' % (prefix, key, _suggest(key, layout), ', '.join(sorted(layout))))
    for key, (kind, required, what) in layout.items():
        if key not in data or data[key] is None:
            if required:
                problems.append('%s%s: missing; add %s' % (prefix, key, what))
            continue
        _check_value(prefix + key, data[key], kind, what, problems)


def _declared(fields):
    """Declared field name -> XDM type, with the parents a dotted name implies (``visitor.email`` declares the object
    ``visitor``: field_group creates it)."""
    declared = dict((f['name'], f.get('type') if isinstance(f.get('type'), string_types) else 'string')
                    for f in fields if isinstance(f, dict) and isinstance(f.get('name'), string_types))
    for name in list(declared):
        parts = name.split('.')
        for end in range(1, len(parts)):
            parent = '.'.join(parts[:end])
            if parent.endswith('[]'):
                declared.setdefault(parent[:-2], 'array')
            else:
                declared.setdefault(parent, 'object')
    return declared


def _declares(declared, path):
    """True when ``path`` (below {tenant}, indexes [0]/[*] allowed) is a declared field, an item of a declared array
    or a key (and anything) below a declared map."""
    normalized = re.sub(r'\[(\d*|\*)\]', '[]', path)
    if normalized in declared or (normalized.endswith('[]') and declared.get(normalized[:-2]) == 'array'):
        return True
    parts = normalized.split('.')
    return any(declared.get('.'.join(parts[:end])) == 'map' for end in range(1, len(parts)))


def check_fields(fields, problems):
    names = []
    for index, field in enumerate(fields):
        path = 'schema.fields[%d]' % index
        if not isinstance(field, dict):
            problems.append('%s: must be a mapping {name, type, title}, not %s' % (path, _type_name(field)))
            continue
        for key in ('name', 'type'):
            if not isinstance(field.get(key), string_types) or not field[key].strip():
                problems.append('%s.%s: %s; every field needs a name and an XDM type (string, integer, ...)'
                                % (path, key, 'missing' if field.get(key) is None else 'it is ' + _what_is(field[key])))
        if isinstance(field.get('name'), string_types):
            if field['name'] in names:
                problems.append('%s.name: %r is declared twice' % (path, field['name']))
            names.append(field['name'])
    if not fields:
        problems.append('schema.fields: empty; declare at least one field of the source')


def _destination_problem(destination, declared):
    """Why ``destination`` cannot be filled, or None: a {tenant} path must be a declared field (or a parent object
    a dotted name implies, an array item, a map key)."""
    if destination.startswith('{tenant}.'):
        path = destination[len('{tenant}.'):]
        if not _declares(declared, path):
            return ('%r is not a field the preset declares (schema.fields: %s); declare it or fix the destination'
                    % (path, ', '.join(sorted(declared)) or 'none'))
    elif re.match(r'^_[A-Za-z0-9]+\.', destination):
        return 'write the tenant namespace as {tenant} (for example {tenant}.%s), not %s' % (
            destination.split('.', 1)[1], destination.split('.', 1)[0])
    elif destination == '{tenant}' or '{tenant}' in destination[1:]:
        return 'a destination starts with {tenant}. followed by a declared field'
    return None


def _destination_types(declared, class_id):
    """Dotted destination path -> XDM type for the role's mappings: the declared fields below {tenant}, and the
    ExperienceEvent fields every record needs."""
    paths = dict(('{tenant}.' + name, kind) for name, kind in declared.items())
    paths['{tenant}'] = 'object'
    if class_id == EXPERIENCE_EVENT:
        paths.update({'_id': 'string', 'timestamp': 'date-time'})
    return paths


def check_types(mappings, declared, required_fields, class_id, sample, problems):
    """A problem per mapping that can never fill its destination (mapping_types: constants, calculated fields,
    array items, and attribute paths by their value in sample_event), and for the fields every record needs that
    no mapping fills (ExperienceEvent's _id and timestamp, the declared required fields)."""
    paths = _destination_types(declared, class_id)
    usable = []
    for index, mapping in enumerate(mappings):
        if not isinstance(mapping, dict) or not all(isinstance(mapping.get(k), string_types) and mapping[k].strip()
                                                    for k in ('source', 'destination')):
            continue
        usable.append(mapping)
        if mapping.get('source_type', 'ATTRIBUTE') not in SOURCE_TYPES:
            continue
        why = mapping_types.mapping_problem(paths, dict(mapping, source_type=mapping.get('source_type') or 'ATTRIBUTE'),
                                            sample=sample)
        if why:
            problems.append('mappings[%d] (%s -> %s): destination %s' % (index, mapping['source'], mapping['destination'], why))
    required = (['_id', 'timestamp'] if class_id == EXPERIENCE_EVENT else []) + ['{tenant}.' + n for n in required_fields]
    missing = mapping_types.missing_required(required, usable)
    if missing:
        examples = [mapping_types.REQUIRED_EXAMPLES.get(p, '{source: <payload field>, destination: "%s"}' % p) for p in missing]
        problems.append('mappings: every record needs %s and no mapping fills %s (the class %s or the field requires it; '
                        'AEP generates no value); every record would fail with "Required field %r is missing". Add %s'
                        % (', '.join(repr(p) for p in missing), 'them' if len(missing) > 1 else 'it', class_id, missing[0],
                           ' and '.join(examples)))


def check_mappings(mappings, declared, problems):
    known = ('source', 'destination', 'source_type', 'description')
    for index, mapping in enumerate(mappings):
        path = 'mappings[%d]' % index
        if not isinstance(mapping, dict):
            problems.append('%s: must be a mapping {source, destination, source_type}, not %s' % (path, _type_name(mapping)))
            continue
        for key in sorted(mapping):
            if key not in known:
                problems.append('%s.%s: unknown key%s; known keys: %s' % (path, key, _suggest(key, known), ', '.join(known)))
        for key in ('source', 'destination'):
            if not isinstance(mapping.get(key), string_types) or not mapping[key].strip():
                problems.append('%s.%s: %s; a mapping needs a source and a destination'
                                % (path, key, 'missing' if mapping.get(key) is None else 'it is ' + _what_is(mapping[key])))
        source_type = mapping.get('source_type', 'ATTRIBUTE')
        if source_type not in SOURCE_TYPES:
            problems.append('%s.source_type: %r is not one of %s' % (path, source_type, ', '.join(SOURCE_TYPES)))
        if isinstance(mapping.get('destination'), string_types) and mapping['destination'].strip():
            why = _destination_problem(mapping['destination'], declared)
            if why:
                problems.append('%s.destination: %s' % (path, why))


def _lookup(data, path):
    node = data
    for part in path.split('.'):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def check_smoke(spec, declared, problems):
    smoke, event = spec.get('smoke'), spec.get('sample_event')
    if not isinstance(smoke, dict) or not isinstance(event, dict):
        return
    mappings = [m for m in spec.get('mappings') or [] if isinstance(m, dict)]
    source, destination = smoke.get('marker_source'), smoke.get('marker_destination')
    if isinstance(source, string_types) and source.strip():
        found, value = _lookup(event, source)
        if not found:
            problems.append('smoke.marker_source: %r is not a path of sample_event; use the dotted path of a field the event has' % source)
        elif isinstance(value, (dict, list)):
            problems.append('smoke.marker_source: %r is %s in sample_event; the marker replaces a string field' % (source, _type_name(value)))
        if mappings and isinstance(destination, string_types) and not any(
                m.get('source') == source and m.get('destination') == destination for m in mappings):
            problems.append('smoke.marker_destination: no mapping maps %r to %r; use the destination of the marker_source mapping'
                            % (source, destination))
        if not mappings and destination != source and spec.get('mappings') is not None:
            problems.append('smoke.marker_destination: without mappings the record is the event, so it must equal marker_source')
    if isinstance(destination, string_types) and destination.strip():
        why = _destination_problem(destination, declared)
        if why:
            problems.append('smoke.marker_destination: %s' % why)
    targets = set(m.get('destination') for m in mappings)
    for key in sorted(smoke.get('expect') or {}) if isinstance(smoke.get('expect'), dict) else []:
        if mappings and key not in targets:
            problems.append('smoke.expect.%s: no mapping has this destination; expect only mapped fields' % key)
        elif not mappings and not _lookup(event, key)[0]:
            problems.append('smoke.expect.%s: not a path of sample_event (without mappings the record is the event)' % key)


def check_identities(identities, declared, problems):
    """Each identity on a tenant field (``{tenant}.<path>``) names a declared string field: a field the preset drops
    while its identity stays would lose its identity descriptor in the field group task and then fail the schema
    task, after a write (identities on class fields are left to the schema task)."""
    for index, identity in enumerate(identities if isinstance(identities, list) else []):
        field = identity.get('field') if isinstance(identity, dict) else None
        if not isinstance(field, string_types) or not field.startswith('{tenant}.'):
            continue
        kind = declared.get(field[len('{tenant}.'):])
        if kind is None:
            problems.append('schema.identities[%d].field: %r is not a field the preset declares (schema.fields); declare it, '
                            'or remove the identity too when you remove the field' % (index, field))
        elif kind in ('integer', 'number', 'boolean', 'object', 'array', 'map'):
            problems.append('schema.identities[%d].field: %r is a field of type %s; an identity is a string field'
                            % (index, field, kind))


def check_preset(spec):
    """Problems of a merged preset (see ``LAYOUT``), each naming its key and the fix."""
    problems = []
    if not isinstance(spec, dict):
        return ['the preset must be a mapping under streaming_source_preset_data, not %s (%s)' % (_type_name(spec), FIX)]
    check_layout('', spec, LAYOUT, problems)
    schema = spec.get('schema') if isinstance(spec.get('schema'), dict) else {}
    fields = schema.get('fields') if isinstance(schema.get('fields'), list) else []
    if 'fields' in schema and isinstance(schema.get('fields'), list):
        check_fields(fields, problems)
    declared = _declared(fields)
    check_identities(schema.get('identities'), declared, problems)
    mappings = spec.get('mappings')
    if isinstance(mappings, list):
        check_mappings(mappings, declared, problems)
    source = spec.get('source') if isinstance(spec.get('source'), dict) else {}
    base = source.get('base_connection') if isinstance(source.get('base_connection'), dict) else {}
    data_type = base.get('data_type')
    if data_type == 'xdm' and mappings:
        problems.append('source.base_connection.data_type: xdm payloads are not mapped; remove the mappings or use raw')
    if data_type == 'raw' and not mappings:
        problems.append('source.base_connection.data_type: raw JSON needs mappings; add mappings or use xdm')
    if isinstance(mappings, list) and mappings and data_type != 'xdm':
        required_fields = sorted(f['name'] for f in fields if isinstance(f, dict) and f.get('required') is True
                                 and isinstance(f.get('name'), string_types) and '[]' not in f['name'])
        check_types(mappings, declared, required_fields, schema.get('class_id'), spec.get('sample_event'), problems)
    check_smoke(spec, declared, problems)
    return problems


def check_names(names, prefix, label):
    """(object names, problems) for ``streaming_source_names`` over the derived names."""
    problems = []
    if not isinstance(prefix, string_types) or not prefix.strip() or CONTROL.search(prefix):
        problems.append('streaming_source_prefix: must be a non-empty single-line text (it starts every object name; default Ansible); it is %s'
                        % ('a text with a line break or control character (%r)' % prefix if isinstance(prefix, string_types) and prefix.strip()
                           else _what_is(prefix)))
    base = '%s %s' % (prefix, label)
    derived = dict((key, '%s %s' % (base, suffix)) for key, suffix in zip(NAME_KEYS, NAME_SUFFIXES))
    if names is None:
        names = {}
    if not isinstance(names, dict):
        return derived, problems + ['streaming_source_names: must be a mapping (keys: %s), not %s' % (', '.join(NAME_KEYS), _type_name(names))]
    for key in sorted(names):
        value = names[key]
        if key not in NAME_KEYS:
            problems.append('streaming_source_names.%s: unknown object%s; known: %s' % (key, _suggest(key, NAME_KEYS), ', '.join(NAME_KEYS)))
        elif not isinstance(value, string_types) or not value.strip():
            problems.append('streaming_source_names.%s: must be a non-empty name; it is %s: set a name or remove the key to use %r'
                            % (key, _what_is(value), derived[key]))
        elif CONTROL.search(value):
            problems.append('streaming_source_names.%s: %r holds a line break or control character; AEP refuses it' % (key, value))
    names = dict((k, v) for k, v in names.items() if k in NAME_KEYS)
    return dict(derived, **names), problems


def merge(base, override):
    """Recursive merge as ``combine(recursive=true)``: mappings merged, everything else (lists too) replaced, and a
    key whose override is null removed."""
    result = copy.deepcopy(base)
    for key, value in override.items():
        if value is None:  # a null override removes the key (for example a smoke expectation of a dropped field)
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def load_and_check(path, overrides=None, names=None, prefix='Ansible', preset=None):
    """``{preset, names, problems}`` of the preset file at ``path`` with ``overrides``; never raises for bad input."""
    where = 'preset %s' % (preset or path)
    try:
        with open(path, 'rb') as handle:
            document = yaml.safe_load(handle)
    except (IOError, OSError) as err:
        return {'preset': {}, 'names': {}, 'problems': ['%s: cannot read %s (%s); check streaming_source_preset or streaming_source_preset_file'
                                                        % (where, path, to_text(err.strerror or err))]}
    except yaml.YAMLError as err:
        return {'preset': {}, 'names': {}, 'problems': ['%s: %s is not valid YAML: %s' % (where, path, to_text(err))]}
    if not isinstance(document, dict) or 'streaming_source_preset_data' not in document:
        return {'preset': {}, 'names': {}, 'problems': ['%s: %s has no top-level streaming_source_preset_data mapping (%s)' % (where, path, FIX)]}
    spec = document['streaming_source_preset_data']
    problems = []
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        problems.append('streaming_source_preset_overrides: must be a mapping merged over the preset, not %s' % _type_name(overrides))
        overrides = {}
    if isinstance(spec, dict):
        spec = merge(spec, overrides)
    found = check_preset(spec)
    from_override = set(overrides)
    for message in found:
        key = re.split(r'[.\[:]', message, maxsplit=1)[0]
        owner = 'streaming_source_preset_overrides' if key in from_override else where
        problems.append('%s: %s' % (owner, message))
    label = spec.get('label') if isinstance(spec, dict) and isinstance(spec.get('label'), string_types) else '?'
    object_names, name_problems = check_names(names, prefix, label)
    return {'preset': spec if isinstance(spec, dict) else {}, 'names': object_names, 'problems': problems + name_problems}


def streaming_source_preset(path, overrides=None, names=None, prefix='Ansible', preset=None):
    if not isinstance(path, string_types) or not path:
        raise AnsibleFilterError('streaming_source_preset: expects the path of a preset file')
    return load_and_check(path, overrides=overrides, names=names, prefix=prefix, preset=preset)


def batch_size(value, name='aep_batch_size'):
    """``value`` as a play's ``serial``: a whole number of hosts, 1 or more, or a percentage from 1% to 100%
    (``'25%'``); AnsibleFilterError naming the variable and the fix otherwise (Ansible's own error is an
    "Unexpected Exception ... invalid literal for int()")."""
    text = to_text(value).strip() if isinstance(value, (string_types, int)) and not isinstance(value, bool) else None
    if text is not None:
        match = re.match(r'^(\d+)(%?)$', text)
        if match and int(match.group(1)) >= 1 and (not match.group(2) or int(match.group(1)) <= 100):
            return text if match.group(2) else int(match.group(1))
    raise AnsibleFilterError('%s: %r is not a batch size; give a whole number of sandboxes per batch, 1 or more (-e %s=10), '
                             'or a percentage of them from 1%% to 100%% (-e %s=25%%); leave it unset for one batch of every '
                             'sandbox' % (name, value if isinstance(value, (string_types, int, float)) else _type_name(value),
                                          name, name))


class FilterModule(object):
    def filters(self):
        return {'streaming_source_preset': streaming_source_preset, 'batch_size': batch_size}
