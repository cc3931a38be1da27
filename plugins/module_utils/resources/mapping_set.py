# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``mapping_set`` and ``mapping_set_info`` modules (Data Prep ``/mappingSets``).

Identity: the mapping set's ``name`` (``GET /mappingSets?name=``, exact match kept), or an explicit ``id``.
The user owns the name, the output schema and the mappings, compared as a multiset of
``(source_type, source, destination)`` (plus the description of a mapping when the user sets one), so their
order and the fields Data Prep adds (ids, versions, legacy keys, timestamps) never cause a change.
A change is a PUT, which makes a new version of the same mapping set. Data Prep has no DELETE.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    DataPrepResource,
    Field,
    FieldTable,
    InputError,
    ensure_absent,
    ensure_present,
    find_selected,
    fingerprint,
    in_sync,
    info_definition,
    prepare,
    state_options,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import dataprep_syntax, mapping_types, preflight, xdm_common

OUTPUT_CONTENT_TYPE = 'application/vnd.adobe.xed-full+json;version=1'
SOURCE_TYPES = ['ATTRIBUTE', 'EXPRESSION', 'STATIC']
# How Data Prep spells the source type in what it stores and returns.
_STORED_TYPES = {
    'attribute': 'ATTRIBUTE', 'text/x.schema-path': 'ATTRIBUTE',
    'expression': 'EXPRESSION', 'text/x.aep-xl': 'EXPRESSION',
    'static': 'STATIC', 'text/plain': 'STATIC',
}

MAPPING_SPEC = dict(
    source=dict(type='str', required=True, aliases=['sourceAttribute']),
    destination=dict(type='str', required=True, aliases=['destinationXdmPath']),
    source_type=dict(type='str', default='ATTRIBUTE', choices=SOURCE_TYPES, aliases=['sourceType']),
    description=dict(type='str'),
)

ARGUMENT_SPEC = state_options(dict(
    schema_id=dict(type='str'),
    mappings=dict(type='list', elements='dict', options=MAPPING_SPEC),
    predicted_fields=dict(type='list', elements='dict'),
), identity='name')
MODULE_KWARGS = dict(required_one_of=[('name', 'id')])


# ---------------------------------------------------------------------------------------------------
# Mappings in the user's terms
# ---------------------------------------------------------------------------------------------------

def source_type_of(mapping):
    """ATTRIBUTE, EXPRESSION or STATIC for a user mapping or one Data Prep returned."""
    declared = mapping.get('source_type', mapping.get('sourceType'))
    if declared in (None, ''):
        return 'ATTRIBUTE'
    return _STORED_TYPES.get(str(declared).lower(), str(declared))


def user_mapping(mapping):
    """One mapping as ``{source_type, source, destination[, description]}`` (either API form accepted)."""
    result = {
        'source_type': source_type_of(mapping),
        'source': mapping.get('source', mapping.get('sourceAttribute')),
        'destination': mapping.get('destination', mapping.get('destinationXdmPath')),
    }
    if mapping.get('description'):
        result['description'] = mapping['description']
    return result


def _key(mapping):
    return (mapping['source_type'], mapping['source'] or '', mapping['destination'] or '')


def sort_mappings(mappings):
    return sorted((user_mapping(m) for m in mappings or []), key=lambda m: _key(m) + (m.get('description') or '',))


def mappings_equal(current, desired):
    """True when ``current`` (Data Prep's mappings) holds exactly the user's ``desired`` mappings.

    Order never matters; a mapping's description is compared only when the user set one.
    """
    have = sort_mappings(current)
    want = sort_mappings(desired)
    if sorted(_key(m) for m in have) != sorted(_key(m) for m in want):
        return False
    remaining = list(have)
    for mapping in sorted(want, key=lambda m: 'description' not in m):  # described ones claim first
        for index, candidate in enumerate(remaining):
            if _key(candidate) == _key(mapping) and (
                    'description' not in mapping or candidate.get('description') == mapping['description']):
                del remaining[index]
                break
        else:
            return False
    return True


def api_mappings(mappings):
    """The user's ``mappings`` option (checked, ``check_mappings``) in the modern Data Prep form."""
    return [api_mapping(m) for m in check_mappings(mappings)]


def api_mapping(mapping):
    """The modern Data Prep form of one user mapping."""
    body = {'sourceType': mapping['source_type'], 'source': mapping['source'], 'destination': mapping['destination']}
    if mapping.get('description'):
        body['description'] = mapping['description']
    return body


def check_mappings(mappings):
    """The user's mappings, validated: no empty source or destination, no destination written twice."""
    seen = {}
    result = []
    for index, raw in enumerate(mappings or []):
        mapping = user_mapping(dict(raw, source_type=raw.get('source_type') or 'ATTRIBUTE'))
        label = 'mappings[%d]' % index
        if not (mapping['destination'] or '').strip():
            raise InputError('%s: destination is empty' % label, field='mappings')
        if mapping['source_type'] != 'STATIC' and not (mapping['source'] or '').strip():
            raise InputError('%s: source is empty (destination %s)' % (label, mapping['destination']), field='mappings')
        problem = dataprep_syntax.check_destination(mapping['destination'])
        if problem:
            raise InputError('%s: destination %r: %s' % (label, mapping['destination'], problem), field='mappings')
        if mapping['source_type'] == 'EXPRESSION':
            problem = dataprep_syntax.check_expression(mapping['source'])
            if problem:
                raise InputError('%s: the expression %r cannot be evaluated by Data Prep: %s (destination %s)'
                                 % (label, mapping['source'], problem, mapping['destination']), field='mappings')
        elif mapping['source_type'] == 'ATTRIBUTE':
            problem = dataprep_syntax.check_attribute(mapping['source'])
            if problem:
                raise InputError('%s: source %r: %s (destination %s); for a calculated value set source_type: '
                                 'EXPRESSION' % (label, mapping['source'], problem, mapping['destination']),
                                 field='mappings')
        if mapping['destination'] in seen:
            raise InputError('%s and mappings[%d] both write destination %r; a field can have only one mapping'
                             % (label, seen[mapping['destination']], mapping['destination']), field='mappings')
        seen[mapping['destination']] = index
        result.append(mapping)
    return result


def schema_id_of(obj):
    output = (obj or {}).get('outputSchema') or {}
    ref = output.get('schemaRef') or {}
    return ref.get('id') or output.get('id') or (obj or {}).get('xdmSchema')


def output_schema(schema_id):
    """``outputSchema`` of a mapping set body (``schema_id`` option -> API)."""
    return {'outputSchema': {'schemaRef': {'id': schema_id, 'contentType': OUTPUT_CONTENT_TYPE}}}


def check_destinations(client, schema_id, mappings, predicted_fields=None, check_mode=False, warn=None):
    """Every destination is a field of the output schema (fetched resolved, ``xed-full``) that can hold the
    mapped value (``mapping_types.mapping_problem``); InputError naming the mapping and the destination's type.
    Every required field of the schema (``_id``, ``timestamp`` for ExperienceEvent) must be filled by a mapping.

    In check mode the fields an earlier task of the play predicted (``predicted_fields``: ``[{name, type[,
    required]}]``) count as fields of the schema: the real run adds them before this task. A check-mode placeholder
    schema (it would be created earlier in the play) is checked as the real run checks the schema it creates when
    ``predicted_fields`` are exactly the fields of its field groups (or all its fields: the ``field_paths`` result of
    the schema or field group task), which its placeholder's fields fact tells (``xdm_common.predicted_schema``).
    Otherwise its fields cannot be known here: the destinations outside ``predicted_fields`` and the required fields
    are not checked, and ``warn`` says so.
    """
    schema = xdm_common.require_schema(client, schema_id, accept=xdm_common.ACCEPT_FULL)
    predicted = xdm_common.paths_of_fields(predicted_fields) if check_mode else {}
    required = []
    if schema is None:  # a check-mode placeholder: the schema does not exist yet
        title = 'to be created'
        known = xdm_common.predicted_schema(client, schema_id, predicted_fields)
        if known is not None:
            paths, required, complete = known.paths, known.required, True
        else:
            paths, complete = predicted, False
    else:
        paths = xdm_common.schema_field_paths(schema)
        paths.update(predicted)
        complete, title = True, schema.get('title')
        required = mapping_types.required_paths(schema)
    missing = []
    for index, mapping in enumerate(mappings):
        if not xdm_common.destination_known(paths, mapping['destination']):
            missing.append(mapping['destination'])
            continue
        problem = mapping_types.mapping_problem(paths, mapping)
        if problem:
            raise InputError('mappings[%d] (%s -> %s): destination %s'
                             % (index, mapping['source'], mapping['destination'], problem), field='mappings')
    if missing and complete:
        raise InputError('mappings: destination%s %s %s not in schema %r (%s); add the field%s to a field group of the '
                         'schema or fix the path'
                         % ('s' if len(missing) > 1 else '', ', '.join(repr(d) for d in missing),
                            'are' if len(missing) > 1 else 'is', title, schema_id,
                            's' if len(missing) > 1 else ''), field='mappings')
    if not complete and warn is not None:
        warn('mappings: schema %s is predicted by an earlier check-mode task and its fields are not known here, so check '
             'mode did not check that %s %s of it, nor its required fields (the real run does). Pass predicted_fields: '
             'the field_paths result of the schema task (or of the task of its one field group)'
             % (schema_id, ', '.join(repr(d) for d in missing) if missing else 'the destinations',
                'are fields' if len(missing) != 1 else 'is a field'))
    unfilled = mapping_types.missing_required(required, mappings) if complete else []
    if unfilled:
        raise InputError(mapping_types.required_problem(unfilled, title, schema_id), field='mappings')


# ---------------------------------------------------------------------------------------------------
# Resource
# ---------------------------------------------------------------------------------------------------

class MappingSet(DataPrepResource):
    """A mapping set: the field table, plus its quirk, the mappings compared as a multiset (``mappings_equal``)."""

    kind = 'mapping_set'
    compare_view = True
    fields = FieldTable(
        Field('name', '/name'),
        Field('schema_id', None, required=True, id_kind='xdm', to_api=output_schema, from_api=schema_id_of),
        Field('mappings', '/mappings', required=True, to_api=api_mappings, from_api=sort_mappings,
              equal=mappings_equal),
        keep_empty=True,
    )

    def placeholder_facts(self, body):
        """A new mapping set's placeholder carries its output schema (slot 0), for aep.platform.flow's check that it
        is the schema of the flow's target (check mode)."""
        return [fingerprint(schema_id_of(body))]

    def create(self, body):
        created = super(MappingSet, self).create(body)
        if body.get('name') and (created or {}).get('name') != body['name']:
            # Identity by name only works when Data Prep keeps the name; never let a rerun make a second one.
            raise InputError('Data Prep created mapping set %s but did not keep its name %r, so a rerun could not find '
                             'it by name; manage it with id: %s instead of name'
                             % (self.object_id(created), body['name'], self.object_id(created)), field='name')
        return created

    def put_body(self, current, desired):
        """The full new version: the current name, schema and mappings, replaced by what the user set."""
        body = {
            'name': current.get('name'),
            'outputSchema': {'schemaRef': {'id': schema_id_of(current), 'contentType': OUTPUT_CONTENT_TYPE}},
            'mappings': [api_mapping(m) for m in sort_mappings(current.get('mappings'))],
        }
        for key in ('name', 'outputSchema', 'mappings'):
            if desired.get(key) is not None:
                body[key] = copy.deepcopy(desired[key])
        if body['name'] is None:
            del body['name']
        return body

    def predict_update(self, current, desired):
        predicted = copy.deepcopy(current)
        predicted.update(self.put_body(current, desired))
        predicted['version'] = int(current.get('version') or 0) + 1
        return predicted


def desired_body(params):
    return MappingSet.fields.body(params)


def _result(result):
    obj = result.get('mapping_set') or {}
    result['version'] = obj.get('version')
    return result


def run(params, client, check_mode):
    resource = prepare(MappingSet(client), params, check_mode)
    if params['state'] == 'absent':
        preflight.check_absent(client, 'mapping_set', resource.find(identity=params.get('name'), object_id=params.get('id')),
                               params, check_mode)
        result = _result(ensure_absent(resource, check_mode, identity=params.get('name'), object_id=params.get('id')))
        if result.get('id'):
            result['msg'] = ('Data Prep has no DELETE: mapping set %s was left in place and nothing was changed; '
                             'it is harmless once no flow uses it' % result['id'])
        else:
            result['msg'] = 'No such mapping set; nothing to do'
        return result
    mappings = check_mappings(params.get('mappings')) if params.get('mappings') is not None else None
    body = resource.body(params)
    current = find_selected(resource, params)
    schema_id = params.get('schema_id') or schema_id_of(current)
    if mappings is not None and schema_id and not in_sync(resource, current, body):
        check_destinations(client, schema_id, mappings, params.get('predicted_fields'), check_mode, resource.warn)
    result = _result(ensure_present(resource, body, check_mode, object_id=params.get('id')))
    # check mode: the version does not exist yet, the real run makes it (give it to the flow's mapping_version_predicted)
    result['version_predicted'] = bool(check_mode and result.get('changed'))
    return result


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS)
INFO_DEFINITION = info_definition(MappingSet, 'mapping_sets')
