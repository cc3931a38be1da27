# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``field_group`` and ``field_group_info`` modules (Schema Registry ``/tenant/fieldgroups``).

The user describes custom fields as a flat list (``name`` is a dotted path below the tenant namespace
``_<tenant>``); ``build_body`` turns it into the XDM ``definitions`` body and the field table's view turns any field
group (a body or a resource read from AEP) back into that flat form, so the comparison and the diff are in
the user's terms and ignore everything the Schema Registry adds (``meta:*``, ids, versions, timestamps).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    Field,
    FieldTable,
    GROUP_FIELDS_SLOT,
    InputError,
    SchemaRegistryResource,
    ensure_absent,
    ensure_present,
    fields_fact,
    fields_sum,
    in_sync,
    info_definition,
    prepare,
    state_options,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import identity_namespace, preflight, xdm_common

FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'date-time', 'object', 'array', 'map']
SCALAR_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'date-time']
ITEM_TYPES = SCALAR_TYPES + ['object']
XDM_DEFINITION = 'customFields'
# A path segment; ``[]`` after a segment stands for the items of that array (``messages[].text``).
_SEGMENT = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_-]*(\[\])?$')

FIELD_SPEC = dict(
    name=dict(type='str', required=True),
    type=dict(type='str', default='string', choices=FIELD_TYPES),
    title=dict(type='str'),
    description=dict(type='str'),
    format=dict(type='str'),
    required=dict(type='bool', default=False),
    items=dict(type='str', choices=ITEM_TYPES),
    enum=dict(type='list', elements='str'),
)

ARGUMENT_SPEC = state_options(dict(
    class_ids=dict(type='list', elements='str'),
    fields=dict(type='list', elements='dict', options=FIELD_SPEC),
    identity_namespaces=dict(type='list', elements='str'),
), identity='title', description=True)
MODULE_KWARGS = dict(required_one_of=[('title', 'id')])


# ---------------------------------------------------------------------------------------------------
# fields <-> XDM definitions
# ---------------------------------------------------------------------------------------------------

def _segment_problem(segment):
    """What is wrong with one dotted segment of a field path."""
    if not segment:
        return 'a name is empty: two dots in a row, or a dot at an end'
    if segment.startswith('_'):
        return '%r starts with "_", which only the tenant namespace does' % segment
    bad = sorted(set(c for c in re.sub(r'\[\]$', '', segment) if not re.match(r'[A-Za-z0-9_-]', c)))
    return '%r holds %s' % (segment, ', '.join(repr(c) for c in bad)) if bad else '%r must start with a letter or digit' % segment


def _field_name(field, index, tenant):
    name = (field.get('name') or '').strip()
    label = 'fields[%d] (%s)' % (index, name or 'no name')
    if tenant is None:  # syntax check before the tenant is known: accept any "_<tenant>." prefix
        name = re.sub(r'^_[A-Za-z0-9]+\.', '', name)
    elif name.startswith('_%s.' % tenant):
        name = name[len(tenant) + 2:]
    segments = name.split('.')
    for segment in segments:
        if not _SEGMENT.match(segment):
            raise InputError(
                '%s: %r is not a valid field path (%s); use dot-separated names made of letters, digits, "_" or "-" '
                'that do not start with "_" (the module places them below the tenant namespace %s)'
                % (label, field.get('name'), _segment_problem(segment), '_%s' % tenant if tenant else '_<tenant>'),
                field='fields')
    return name, label


def _scalar_node(kind):
    if kind in ('date', 'date-time'):
        return {'type': 'string', 'format': kind}
    if kind == 'object':
        return {'type': 'object', 'properties': {}}
    return {'type': kind}


def _node(field):
    kind = field.get('type') or 'string'
    if kind == 'array':  # items: a scalar type, or object (its fields are listed as <name>[].<field>)
        node = {'type': 'array', 'items': _scalar_node(field.get('items') or 'string')}
    elif kind == 'map':  # a map of scalars: XDM's object with additionalProperties
        node = {'type': 'object', 'additionalProperties': _scalar_node(field.get('items') or 'string')}
    else:
        node = _scalar_node(kind)
        if kind == 'string' and field.get('format'):
            node['format'] = field['format']
    node['title'] = field.get('title') or field['name'].rsplit('.', 1)[-1]
    if field.get('enum'):
        node['enum'] = sorted(set(field['enum']))
    if field.get('description'):
        node['description'] = field['description']
    return node


def normalize_fields(fields, tenant):
    """The user's field list, validated, with tenant prefixes stripped; InputError names the bad entry."""
    result, seen = [], {}
    for index, field in enumerate(fields or []):
        name, label = _field_name(field, index, tenant)
        kind = field.get('type') or 'string'
        fmt = field.get('format')
        if fmt and kind != 'string':
            raise InputError('%s: format %r conflicts with type %r; format only applies to type string '
                             '(use type date or date-time for dates)' % (label, fmt, kind), field='fields')
        if kind == 'string' and fmt in ('date', 'date-time'):
            kind, fmt = fmt, None
        if name in seen:
            raise InputError('%s: the field %r is listed twice (also fields[%d])' % (label, name, seen[name]),
                             field='fields')
        if name.endswith('[]'):
            raise InputError('%s: %r: "[]" stands for the items of an array inside a path (messages[].text); name the '
                             'array itself without it' % (label, field.get('name')), field='fields')
        if field.get('enum') and kind != 'string':
            raise InputError('%s: enum (allowed values) only applies to type string, not %r' % (label, kind),
                             field='fields')
        if field.get('items') and kind not in ('array', 'map'):
            raise InputError('%s: items (%s) only applies to type array or map, not %r' % (label, field['items'], kind),
                             field='fields')
        if kind == 'map' and (field.get('items') or 'string') not in SCALAR_TYPES:
            raise InputError('%s: a map holds scalar values (items one of %s), not %r'
                             % (label, ', '.join(SCALAR_TYPES), field['items']), field='fields')
        seen[name] = index
        result.append(dict(field, name=name, type=kind, format=fmt, _label=label))
    return result


def build_tenant_node(fields, tenant):
    """The ``_<tenant>`` object node holding ``fields`` (a list of the module's field dicts)."""
    root = {'type': 'object', 'properties': {}}
    nodes = {'': root}
    for field in sorted(normalize_fields(fields, tenant), key=lambda f: f['name'].count('.')):
        parent_path, dummy, leaf = field['name'].rpartition('.')
        parent = _ensure_parent(nodes, parent_path, field)
        if leaf in parent['properties'] and field['type'] != 'object':
            raise InputError('%s: %r has sub-fields, so its type must be object' % (field['_label'], field['name']),
                             field='fields')
        node = _node(field)
        if leaf in parent['properties']:  # an implicit parent made earlier: keep its children
            node['properties'] = parent['properties'][leaf]['properties']
        parent['properties'][leaf] = node
        nodes[field['name']] = node
        if field['type'] == 'array' and node['items'].get('type') == 'object':
            nodes[field['name'] + '[]'] = node['items']
        if field.get('required'):
            parent.setdefault('required', []).append(leaf)
    return root


def _ensure_parent(nodes, path, field):
    if path in nodes:
        node = nodes[path]
        if node.get('type') != 'object' or 'additionalProperties' in node:
            raise InputError('%s: its parent %r is declared with type %r; a field with sub-fields must have type '
                             'object' % (field['_label'], path, node.get('type')), field='fields')
        return node
    if path.endswith('[]'):
        raise InputError('%s: %r is not declared as an array of objects; list it with type: array and items: object'
                         % (field['_label'], path[:-2]), field='fields')
    grand_path, dummy, leaf = path.rpartition('.')
    grand = _ensure_parent(nodes, grand_path, field)
    node = {'type': 'object', 'title': leaf, 'properties': {}}
    grand['properties'][leaf] = node
    nodes[path] = node
    return node


def build_body(params, tenant):
    """The Schema Registry body for the module's options: the field table's (title, description, class_ids,
    ExperienceEvent when unset), then the field tree (``build_tenant_node``) below ``_<tenant>``."""
    body = {'type': 'object'}
    body.update(FieldGroup.fields.body(params))
    if not body.get('meta:intendedToExtend'):
        body['meta:intendedToExtend'] = [xdm_common.EXPERIENCE_EVENT]
    body['definitions'] = {
        XDM_DEFINITION: {
            'type': 'object',
            'properties': {'_%s' % tenant: build_tenant_node(params.get('fields'), tenant)},
        },
    }
    body['allOf'] = [{'$ref': '#/definitions/%s' % XDM_DEFINITION}]
    return body


def fields_of(resource, tenant):
    """The flat, sorted field list (user terms) of a field group body or resource."""
    out = {}
    for definition in (resource.get('definitions') or {}).values():
        node = ((definition or {}).get('properties') or {}).get('_%s' % tenant)
        if isinstance(node, dict):
            _walk(node, '', out)
    return [out[name] for name in sorted(out)]


def _walk(node, prefix, out):
    required = node.get('required') or []
    for name, child in (node.get('properties') or {}).items():
        if not isinstance(child, dict):
            continue
        path = prefix + name
        kind = xdm_common.field_type(child)
        entry = {'name': path, 'type': kind, 'title': child.get('title'), 'required': name in required}
        if child.get('description'):
            entry['description'] = child['description']
        if kind == 'string' and child.get('format'):
            entry['format'] = child['format']
        if child.get('enum'):
            entry['enum'] = sorted(str(v) for v in child['enum'])
        inner = child.get('items') if kind == 'array' else child.get('additionalProperties') if kind == 'map' else None
        if isinstance(inner, dict):
            entry['items'] = xdm_common.field_type(inner)
        out[path] = entry
        if isinstance(child.get('properties'), dict):
            _walk(child, path + '.', out)
        elif kind == 'array' and isinstance((inner or {}).get('properties'), dict):
            _walk(inner, path + '[].', out)


# ---------------------------------------------------------------------------------------------------
# Resource
# ---------------------------------------------------------------------------------------------------

class FieldGroup(SchemaRegistryResource):
    """A field group: the field table, plus its quirk, the field tree (``fields``: ``build_body`` writes it,
    ``tree_fields`` reads it back in the module's flat form below the tenant namespace)."""

    kind = 'field_group'
    path = '/tenant/fieldgroups'
    compare_view = True
    fields = FieldTable(
        Field('title', '/title'),
        Field('description', '/description'),
        Field('class_ids', '/meta:intendedToExtend', id_kind='xdm', from_api=lambda ids: sorted(ids or [])),
        Field('fields', None, from_api='tree_fields'),
        keep_empty=True,
    )

    def __init__(self, client, tenant=None):
        super(FieldGroup, self).__init__(client)
        self.tenant = tenant

    def tree_fields(self, obj):
        return fields_of(obj, self.tenant)

    def placeholder_facts(self, body):
        """A new field group's placeholder also carries its fields (slot ``GROUP_FIELDS_SLOT``: the ``fields_fact`` of
        its ``field_paths``), for the check-mode checks of the schemas and mapping sets on it."""
        facts = super(FieldGroup, self).placeholder_facts(body)
        facts[GROUP_FIELDS_SLOT] = fields_fact(fields_sum(field_paths(body, self.tenant))) if self.tenant else None
        return facts

    def put_body(self, current, desired):
        body = copy.deepcopy(desired)
        if 'description' not in body and current.get('description') is not None:
            body['description'] = current['description']
        if not self.owns('class_ids') and current.get('meta:intendedToExtend'):
            body['meta:intendedToExtend'] = copy.deepcopy(current['meta:intendedToExtend'])
        if not self.owns('fields'):
            for key in ('definitions', 'allOf'):
                if key in current:
                    body[key] = copy.deepcopy(current[key])
        return body

    def predict_update(self, current, desired):
        predicted = copy.deepcopy(current)
        predicted.update(copy.deepcopy(self.put_body(current, desired)))
        return predicted


def _result(resource, result, tenant):
    obj = result.get(resource.kind) or {}
    result['alt_id'] = obj.get('meta:altId')
    result['version'] = obj.get('version')
    result['tenant_id'] = tenant
    # The schema paths of its fields, as they are (or, in check mode, would be) after this task: what a later
    # check-mode aep.platform.mapping_set takes as predicted_fields.
    result['field_paths'] = field_paths(obj, tenant) if obj and tenant else []
    return result


def field_paths(obj, tenant):
    """The fields of a field group body or resource as schema paths: ``[{name: _<tenant>.<path>, type[, required:
    true]}]`` (what the module returns as ``field_paths``, and what its check-mode placeholder's ``fields_fact`` and a
    schema's are summed over)."""
    paths = []
    for field in fields_of(obj or {}, tenant):
        entry = {'name': '_%s.%s' % (tenant, field['name']), 'type': field['type']}
        if field.get('required'):
            entry['required'] = True
        paths.append(entry)
    return paths


def tenant_of(obj):
    """The tenant id from a field group's ``meta:tenantNamespace`` (``_acme`` -> ``acme``), or None."""
    namespace = (obj or {}).get('meta:tenantNamespace')
    return namespace[1:] if isinstance(namespace, str) and namespace.startswith('_') and len(namespace) > 1 else None


def run(params, client, check_mode):
    resource = prepare(FieldGroup(client, None), params, check_mode)
    if params['state'] == 'present':
        normalize_fields(params.get('fields'), None)  # the field syntax, before any request
    current = resource.find(identity=params.get('title'), object_id=params.get('id'))
    # The tenant is read (GET /stats) only when no field group tells it.
    resource.tenant = tenant = tenant_of(current) or xdm_common.tenant_id(client)
    if params['state'] == 'absent':
        preflight.check_absent(client, 'field_group', current, params, check_mode)
        return _result(resource, ensure_absent(resource, check_mode, identity=params.get('title'),
                                               object_id=params.get('id')), tenant)
    body = build_body(params, tenant)
    if body.get('title') is None:  # selected by id: keep its title
        body['title'] = (current or {}).get('title')
    if current is None or sorted(params.get('class_ids') or []) != sorted(current.get('meta:intendedToExtend') or []):
        for index, class_id in enumerate(params.get('class_ids') or []):  # read only on create or change
            xdm_common.check_class(client, class_id, 'class_ids[%d]' % index)
    lost = []
    if current is not None and params.get('fields') is not None:
        check_evolution(client, current, body, tenant)
        lost = identities_taken_away(client, current, body, tenant)
    if params.get('identity_namespaces') and not in_sync(resource, current, body):  # before the first write of a play
        identity_namespace.check_namespaces(client, [{'namespace': code} for code in params['identity_namespaces']],
                                            option='identity_namespaces[%d]')
    removed, warnings = xdm_common.remove_identities(client, lost, check_mode)
    result = _result(resource, ensure_present(resource, body, check_mode, object_id=params.get('id')), tenant)
    if removed:
        result['changed'] = True
        result['removed_identities'] = removed
        result['diff']['before']['identities'], result['diff']['after']['identities'] = removed, []
        result['warnings'] = list(result.get('warnings') or []) + warnings
    return result


def identities_taken_away(client, current, body, tenant):
    """The identity descriptors (of the schemas using the field group) on fields that ``body`` removes, renames or
    moves, to remove first (``xdm_common.remove_identities``); InputError for a field that ``body`` retypes away from
    string. Reads only when a field goes or a string field changes type; check mode too, before any write."""
    old = dict((f['name'], f) for f in fields_of(current, tenant))
    new = dict((f['name'], f) for f in fields_of(body, tenant))
    prefix = '_%s.' % tenant
    gone = [prefix + name for name in old if name not in new]
    retyped = [prefix + name for name in old if name in new and old[name].get('type') == 'string'
               and new[name].get('type') != 'string']
    if not gone and not retyped:
        return []
    lost = xdm_common.lost_identities(client, xdm_common.schemas_using(client, current.get('$id')), gone, retyped)
    xdm_common.refuse_retyped_identities(lost, 'fields')
    return lost


def check_evolution(client, current, body, tenant):
    """InputError, before any write (check mode too), when ``body`` changes the fields of ``current`` in a way AEP
    refuses while a schema using the field group is in use (data ingested, or enabled for Profile). Reads are made
    only when the change is a breaking one."""
    changes = xdm_common.breaking_changes(fields_of(current, tenant), fields_of(body, tenant), tenant)
    if not changes:
        return
    for schema in xdm_common.schemas_using(client, current.get('$id')):
        reason = xdm_common.schema_in_use(client, schema)
        if reason:
            xdm_common.refuse_breaking('field group', current.get('title'), 'used by schema %r: %s'
                                       % (schema.get('title'), reason), changes, 'fields')


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS)
INFO_DEFINITION = info_definition(FieldGroup, 'field_groups')
