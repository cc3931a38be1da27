# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Schema Registry helpers shared by the field_group, schema, dataset and mapping_set logic.

* the tenant namespace (``GET /stats``),
* lookups of classes, field groups and schemas by ``$id`` (tenant or global container),
* the field paths of a resolved (``xed-full``) schema, for validating mapping destinations.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from collections import namedtuple

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote  # type: ignore

from ansible_collections.aep.platform.plugins.module_utils.client import CATALOG, SCHEMA_REGISTRY
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    InputError,
    SCHEMA_FIELDS_SLOT,
    fact_sum,
    fields_sum,
    fingerprint,
    is_placeholder,
    placeholder_fact,
    validate_id,
)

EXPERIENCE_EVENT = 'https://ns.adobe.com/xdm/context/experienceevent'
PROFILE = 'https://ns.adobe.com/xdm/context/profile'
# The $id a schema gets in check mode when it would be created (engine.SchemaRegistryResource.predict_create).
PLACEHOLDER_SCHEMA = 'https://ns.adobe.com/schemas/' + '0' * 48

ACCEPT_RAW = 'application/vnd.adobe.xed+json; version=1'
ACCEPT_FULL = 'application/vnd.adobe.xed-full+json; version=1'
ACCEPT_LIST_FULL = 'application/vnd.adobe.xed+json'
ACCEPT_LIST_IDS = 'application/vnd.adobe.xed-id+json'

_INDEX = re.compile(r'\[(\d*|\*)\]')


def tenant_id(client):
    """The tenant id of the organization (``acme`` for the namespace ``_acme``), from ``GET /stats``."""
    stats = client.get(SCHEMA_REGISTRY, '/stats', accept='application/json') or {}
    tenant = stats.get('tenantId') if isinstance(stats, dict) else None
    if not tenant:
        raise InputError('Schema Registry GET /stats returned no tenantId; cannot place custom fields under '
                         'the tenant namespace')
    return tenant


def item_path(container, kind, resource_id):
    return '/%s/%s/%s' % (container, kind, quote(str(resource_id), safe=''))


def lookup(client, kind, resource_id, accept=ACCEPT_RAW, containers=('tenant', 'global')):
    """The resource ``kind`` (``schemas``, ``fieldgroups``, ``classes``) with this ``$id``, or None."""
    for container in containers:
        found = client.get_or_none(SCHEMA_REGISTRY, item_path(container, kind, resource_id), accept=accept)
        if found:
            return found
    return None


def check_class(client, class_id, field):
    """Fail unless ``class_id`` is a well-formed ``$id`` of an existing XDM class. A check-mode placeholder fails too:
    no task of this collection creates a class, so it cannot stand for one that an earlier task would create."""
    validate_id(class_id, 'xdm', field)
    if is_placeholder(class_id):
        raise InputError('%s: %r is a check-mode placeholder id, and no task creates an XDM class; give the $id of an '
                         'existing class (for example %s or %s)' % (field, class_id, EXPERIENCE_EVENT, PROFILE), field=field)
    found = lookup(client, 'classes', class_id, containers=('global', 'tenant'))
    if found is None:
        raise InputError('%s: the XDM class %r does not exist in sandbox %r (standard classes are for example %s '
                         'and %s)' % (field, class_id, client.sandbox, EXPERIENCE_EVENT, PROFILE), field=field)
    return found


def require_schema(client, schema_id, field='schema_id', accept=ACCEPT_RAW):
    """The tenant schema with this ``$id`` (resolved when ``accept`` is ``ACCEPT_FULL``); InputError when absent.

    Returns None for a check-mode placeholder id (the schema would be created earlier in the same run).
    """
    validate_id(schema_id, 'xdm', field)
    if is_placeholder(schema_id):
        return None
    found = client.get_or_none(SCHEMA_REGISTRY, item_path('tenant', 'schemas', schema_id), accept=accept)
    if not found:
        raise InputError('%s: schema %r does not exist in sandbox %r; create it first (aep.platform.schema)'
                         % (field, schema_id, client.sandbox), field=field)
    return found


def field_type(node):
    """The XDM type of a property node: string, integer, number, boolean, date, date-time, object, map, array."""
    kind = node.get('type', 'object')
    if kind == 'string' and node.get('format') in ('date', 'date-time'):
        return node['format']
    if kind == 'object' and 'properties' not in node and 'additionalProperties' in node:
        return 'map'
    return kind


def schema_field_paths(resolved):
    """Dotted path -> type of every field of a resolved schema (``properties`` at the top, as ``xed-full``
    returns it); fields of objects inside arrays appear as ``list[].field``."""
    paths = {}
    _collect(resolved.get('properties') or {}, '', paths)
    return paths


def _collect(props, prefix, out):
    for name, node in props.items():
        if not isinstance(node, dict):
            continue
        path = prefix + name
        out[path] = field_type(node)
        if isinstance(node.get('properties'), dict):
            _collect(node['properties'], path + '.', out)
        elif node.get('type') == 'array' and isinstance((node.get('items') or {}).get('properties'), dict):
            _collect(node['items']['properties'], path + '[].', out)


def destination_type(paths, destination):
    """The XDM type of ``destination`` (array indexes ``[0]`` and ``[*]`` allowed): a type of ``field_type``,
    ``any`` below a map field (a map key), or None when it is not a field of the schema."""
    normalized = _INDEX.sub('[]', destination)
    if normalized in paths:
        return paths[normalized]
    parts = normalized.split('.')
    for end in range(len(parts) - 1, 0, -1):
        if paths.get('.'.join(parts[:end])) == 'map':
            return 'any'
    return None


def destination_known(paths, destination):
    """True when ``destination`` (array indexes allowed) is a field of the schema or lies below a map field."""
    return destination_type(paths, destination) is not None


def paths_of_fields(fields):
    """Dotted path -> type for a list of ``{name, type}`` (a field group's fields as its module returns them in
    ``field_paths``, or as the ``predicted_fields`` option of aep.platform.mapping_set takes them)."""
    paths = dict((f['name'], f.get('type') or 'string') for f in fields or [] if isinstance(f, dict) and f.get('name'))
    for name in list(paths):  # their parents (the tenant namespace object _<tenant> first) are objects
        parts = name.split('.')
        for end in range(1, len(parts)):
            parent = '.'.join(parts[:end])
            if not parent.endswith('[]'):
                paths.setdefault(parent, 'object')
    return paths


# ---------------------------------------------------------------------------------------------------
# The fields of a schema that only an earlier check-mode task predicted (a placeholder ``$id``)
# ---------------------------------------------------------------------------------------------------

PredictedSchema = namedtuple('PredictedSchema', 'class_id paths required')


def class_entries(resolved):
    """The fields of a resolved (``xed-full``) class or schema as ``[{name, type[, required: true]}]``."""
    paths = schema_field_paths(resolved or {})
    required = set(required_paths(resolved or {}))
    return [dict(name=p, type=t, **({'required': True} if p in required else {})) for p, t in sorted(paths.items())]


def required_paths(resolved):
    """Dotted paths every record of a resolved (``xed-full``) schema must carry: the top-level ``required``
    (``_id`` and ``timestamp`` for XDM ExperienceEvent) and each ``required`` entry of an object under that
    object's path (objects inside arrays excluded)."""
    out = list(resolved.get('required') or [])
    _collect_required(resolved.get('properties') or {}, '', out)
    return out


def _collect_required(props, prefix, out):
    for name, node in props.items():
        if isinstance(node, dict) and isinstance(node.get('properties'), dict):
            out.extend('%s%s.%s' % (prefix, name, r) for r in node.get('required') or [])
            _collect_required(node['properties'], '%s%s.' % (prefix, name), out)


def placeholder_class(client, schema_id):
    """The class ``$id`` of the schema a check-mode placeholder ``schema_id`` stands for (its class fact matched
    against ExperienceEvent, Profile, then the global and tenant classes of the sandbox), or None when unknown."""
    fact = placeholder_fact(schema_id, 1)
    if not fact:
        return None
    for class_id in (EXPERIENCE_EVENT, PROFILE):
        if fingerprint(class_id) == fact:
            return class_id
    for container in ('global', 'tenant'):
        for item in client.list(SCHEMA_REGISTRY, '/%s/classes' % container, accept=ACCEPT_LIST_IDS):
            if isinstance(item, dict) and fingerprint(item.get('$id')) == fact:
                return item['$id']
    return None


def predicted_schema(client, schema_id, predicted_fields):
    """The schema a check-mode placeholder ``schema_id`` stands for, when ``predicted_fields`` (``[{name, type[,
    required]}]``: the ``field_paths`` result of its field group task, or of the schema task) hold exactly the fields of
    its field groups: a ``PredictedSchema`` (its class, dotted path -> type of every field, the required paths), the
    fields as the real run's resolved schema has them. None when that cannot be known: the placeholder carries no
    field fact (a field group whose fields its schema task could not read, more than one class fact, ...), the class
    is not found, or ``predicted_fields`` are not exactly those fields (fewer, more, another type, another
    ``required``). One GET of the class (resolved); no request when there is no field fact."""
    fact = placeholder_fact(schema_id, SCHEMA_FIELDS_SLOT)
    if not fact or not is_placeholder(schema_id):
        return None
    class_id = placeholder_class(client, schema_id)
    if class_id is None:
        return None
    resolved = lookup(client, 'classes', class_id, accept=ACCEPT_FULL, containers=('global', 'tenant'))
    if resolved is None:
        return None
    own = class_entries(resolved)
    class_paths = set(e['name'] for e in own)
    groups = [f for f in predicted_fields or [] if isinstance(f, dict) and f.get('name') not in class_paths]
    if fields_sum(groups) != fact_sum(fact):
        return None
    paths = schema_field_paths(resolved)
    paths.update(paths_of_fields(groups))
    required = required_paths(resolved) + [f['name'] for f in groups if f.get('required') and '[]' not in f['name']]
    return PredictedSchema(class_id, paths, required)


# ---------------------------------------------------------------------------------------------------
# Schema evolution (AEP "Update schemas" guide and the Profile enablement guide): once a schema's data has been
# ingested, or it is enabled for Profile, fields may be added and required fields made optional; a field may not be
# removed, renamed, moved or retyped, made required, or have its allowed values narrowed.
# ---------------------------------------------------------------------------------------------------

WAY_FORWARD = ('Add a new field instead (for example %s_v2) and map to it, or create a new field group and schema '
               '("<title> v2") and switch the dataflow to them (docs/onboarding.md, "Changing a schema after data '
               'landed")')
UNION_TAG = 'union'


def _type_of(field):
    return field.get('type') or 'string'


def _describe(field):
    kind = _type_of(field)
    return '%s of %s' % (kind, field['items']) if field.get('items') else kind


def breaking_changes(before, after, tenant=None):
    """The changes AEP refuses on a schema in use, from ``before`` to ``after`` (flat field lists in the
    module's terms: ``{name, type, required, enum}``), as ``[(path, kind, message)]``; kinds: removed, renamed,
    moved, retyped, required, enumNarrowed (the emulator's ``sub-errors[].change``)."""
    prefix = '_%s.' % tenant if tenant else ''
    old = dict((f['name'], f) for f in before or [])
    new = dict((f['name'], f) for f in after or [])
    changes = []
    gone = sorted(name for name in old if name not in new)
    added = [name for name in new if name not in old]
    for name in gone:
        if any(name.startswith(parent + '.') for parent in gone):
            continue  # a removed object is reported once, not its children
        parent, dummy, leaf = name.rpartition('.')
        moved = [a for a in added if a.rpartition('.')[2] == leaf and _type_of(new[a]) == _type_of(old[name])]
        renamed = [a for a in added if a.rpartition('.')[0] == parent and _type_of(new[a]) == _type_of(old[name])]
        if moved:
            changes.append((prefix + name, 'moved', 'field %r cannot be moved (to %r)' % (prefix + name, prefix + moved[0])))
        elif renamed:
            changes.append((prefix + name, 'renamed',
                            'field %r cannot be renamed (to %r)' % (prefix + name, prefix + renamed[0])))
        else:
            changes.append((prefix + name, 'removed', 'field %r cannot be removed' % (prefix + name)))
    for name in sorted(new):
        path = prefix + name
        if name not in old:
            if new[name].get('required'):
                changes.append((path, 'required', 'new field %r cannot be added as required; add it as optional' % path))
            continue
        have, want = old[name], new[name]
        if (_type_of(have), have.get('format'), have.get('items')) != (_type_of(want), want.get('format'), want.get('items')):
            changes.append((path, 'retyped', 'field %r cannot change its type from %s to %s'
                            % (path, _describe(have), _describe(want))))
        if want.get('required') and not have.get('required'):
            changes.append((path, 'required', 'optional field %r cannot be made required' % path))
        if want.get('enum'):
            lost = sorted(set(str(v) for v in have.get('enum') or []) - set(str(v) for v in want['enum']))
            if not have.get('enum') or lost:
                changes.append((path, 'enumNarrowed', 'the allowed values of field %r cannot be narrowed%s'
                                % (path, ' (values no longer allowed: %s)' % ', '.join(lost) if lost else '')))
    return changes


def schema_in_use(client, schema):
    """Why the schema ``schema`` (a Schema Registry resource) is in use, or None: it is enabled for Profile (the
    ``union`` tag in ``meta:immutableTags``), or a dataset of it has data (Catalog ``lastBatchId``, set by the
    first batch that lands: the emulator's docs, "Has data")."""
    if UNION_TAG in (schema.get('meta:immutableTags') or []):
        return 'schema %r is enabled for Profile' % schema.get('title')
    schema_id = schema.get('$id')
    for dataset in client.list(CATALOG, '/dataSets', params={'properties': 'name,schemaRef,lastBatchId'}):
        if ((dataset.get('schemaRef') or {}).get('id')) == schema_id and dataset.get('lastBatchId'):
            return ('data has been ingested into dataset %r (%s) of schema %r'
                    % (dataset.get('name'), dataset.get('id'), schema.get('title')))
    return None


def schemas_using(client, group_id):
    """The tenant schemas whose ``allOf`` references the field group ``group_id`` (whole objects)."""
    found = []
    for schema in client.list(SCHEMA_REGISTRY, '/tenant/schemas', accept=ACCEPT_LIST_FULL):
        refs = [e.get('$ref') for e in schema.get('allOf') or [] if isinstance(e, dict)]
        if group_id in refs or group_id in (schema.get('meta:extends') or []):
            found.append(schema)
    return found


# --- identity descriptors (Schema Registry /tenant/descriptors) ----------------------------------------------------

IDENTITY = 'xdm:descriptorIdentity'
DESCRIPTORS = '/tenant/descriptors'
DESCRIPTOR_ACCEPT = 'application/vnd.adobe.xdm+json'


def descriptors_of(client, schema_id):
    """The identity descriptors whose source schema is ``schema_id`` (one GET)."""
    body = client.get(SCHEMA_REGISTRY, DESCRIPTORS, accept=DESCRIPTOR_ACCEPT,
                      params={'property': 'xdm:sourceSchema==%s' % schema_id}) or {}
    found = body.get(IDENTITY) if isinstance(body, dict) else None
    return [d for d in found or [] if isinstance(d, dict) and d.get('xdm:sourceSchema') == schema_id]


def descriptor_field(descriptor):
    """The dotted field path (``_tenant.email``) of a descriptor's ``xdm:sourceProperty`` (``/_tenant/email``)."""
    return (descriptor.get('xdm:sourceProperty') or '').lstrip('/').replace('/', '.')


def lost_identities(client, schemas, gone, retyped=()):
    """The identity descriptors of ``schemas`` whose field a change takes away: ``gone`` (dotted paths removed,
    renamed or moved; a descriptor under a removed object counts) or ``retyped`` (no longer a string). A list of
    ``(schema, descriptor, 'removed'|'retyped')``; reads the descriptors only when a field goes."""
    if not gone and not retyped:
        return []
    lost = []
    for schema in schemas:
        for descriptor in descriptors_of(client, schema['$id']):
            field = descriptor_field(descriptor)
            if field in gone or any(field.startswith(path + '.') for path in gone):
                lost.append((schema, descriptor, 'removed'))
            elif field in retyped:
                lost.append((schema, descriptor, 'retyped'))
    return lost


def refuse_retyped_identities(lost, field):
    """InputError for a retyped identity field among ``lost`` (``lost_identities``): an identity is a string."""
    for schema, descriptor, change in lost:
        if change == 'retyped':
            raise InputError('%s: field %r carries the identity descriptor %s (namespace %s) of schema %r; an identity '
                             'field must be a string, so AEP refuses to change its type. Keep its type, or add a new '
                             'field with the new type (and remove this one, which also removes its identity)'
                             % (field, descriptor_field(descriptor), descriptor.get('@id'),
                                descriptor.get('xdm:namespace'), schema.get('title')), field=field)


def remove_identities(client, lost, check_mode):
    """Delete the identity descriptors ``lost`` (``lost_identities``, all ``removed``) before the change that takes
    their fields away: AEP (the emulator: 400 XDM-1024-400) refuses a change that would leave a descriptor pointing at
    no field. Check mode deletes nothing. Returns their views ``{schema, field, namespace, primary}`` and warnings."""
    views, warnings = [], []
    for schema, descriptor, dummy in lost:
        view = {'schema': schema.get('title'), 'field': descriptor_field(descriptor),
                'namespace': descriptor.get('xdm:namespace'), 'primary': bool(descriptor.get('xdm:isPrimary'))}
        if not check_mode:
            client.delete(SCHEMA_REGISTRY, '%s/%s' % (DESCRIPTORS, quote(descriptor['@id'], safe='')),
                          accept='application/json')
        views.append(view)
        warnings.append('field %r of schema %r carried an identity (namespace %s, descriptor %s): %s with the field'
                        % (view['field'], view['schema'], view['namespace'], descriptor.get('@id'),
                           'it would be removed' if check_mode else 'it was removed'))
    return views, warnings


def refuse_breaking(what, title, reason, changes, field):
    """InputError for breaking ``changes`` (``breaking_changes``) of an object in use."""
    first = changes[0][0].rsplit('.', 1)[-1] if '/' not in changes[0][0] else '<field>'
    raise InputError('%s: %s %r is in use (%s), so AEP only accepts non-destructive changes (new optional fields, '
                     'required fields made optional): %s. %s.'
                     % (field, what, title, reason, '; '.join('%s (%s)' % (m, k) for dummy, k, m in changes),
                        WAY_FORWARD % first), field=field)
