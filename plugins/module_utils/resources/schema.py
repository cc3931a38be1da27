# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``schema`` and ``schema_info`` modules (Schema Registry ``/tenant/schemas``).

A schema is one class plus field groups (``allOf``). The user owns the title, the description (when set),
the class and the *set* of field groups; their order and everything the registry adds are ignored.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote  # type: ignore

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.client import SCHEMA_REGISTRY
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    FIELDS_MODULUS,
    Field,
    FieldTable,
    GROUP_FIELDS_SLOT,
    InputError,
    SCHEMA_FIELDS_SLOT,
    SchemaRegistryResource,
    ensure_absent,
    ensure_present,
    fact_sum,
    fields_fact,
    fields_sum,
    in_sync,
    info_definition,
    is_placeholder,
    placeholder_extends,
    placeholder_fact,
    prepare,
    state_options,
    validate_id,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import field_group, identity_namespace, preflight, xdm_common

ARGUMENT_SPEC = state_options(dict(
    class_id=dict(type='str'),
    field_groups=dict(type='list', elements='str'),
    identities=dict(type='list', elements='dict', options=dict(
        field=dict(type='str', required=True),
        namespace=dict(type='str', required=True),
        primary=dict(type='bool', default=False),
    )),
    profile=dict(type='bool'),
    predicted_fields=dict(type='list', elements='dict'),
), identity='title', description=True)
MODULE_KWARGS = dict(required_one_of=[('title', 'id')])


def build_body(params):
    """The Schema Registry body: the field table's (title, description), then ``allOf``: the class
    (ExperienceEvent when unset) first, then the field groups."""
    refs = [params.get('class_id') or xdm_common.EXPERIENCE_EVENT]
    for group in params.get('field_groups') or []:
        if group not in refs:
            refs.append(group)
    body = {'type': 'object'}
    body.update(Schema.fields.body(params))
    body['allOf'] = [{'$ref': ref} for ref in refs]
    return body


def _refs(resource):
    return [e.get('$ref') for e in resource.get('allOf') or [] if isinstance(e, dict) and e.get('$ref')]


def class_of(resource):
    """The class of a schema (body or object): ``meta:class``, else the first ``allOf`` reference."""
    refs = _refs(resource or {})
    return (resource or {}).get('meta:class') or (refs[0] if refs else None)


def groups_of(resource):
    """The field groups of a schema (body or object): its other ``allOf`` references, sorted."""
    class_id = class_of(resource)
    return sorted(set(r for r in _refs(resource or {}) if r != class_id))


class Schema(SchemaRegistryResource):
    """A schema: the field table, plus its quirk, one ``allOf`` holding the class and the field groups
    (``build_body`` writes it, ``class_of``/``groups_of`` read it, ``put_body`` keeps what the user did not set)."""

    kind = 'schema'
    path = '/tenant/schemas'
    compare_view = True
    fields = FieldTable(
        Field('title', '/title'),
        Field('description', '/description'),
        Field('class_id', None, id_kind='xdm', from_api=class_of),
        Field('field_groups', None, id_kind='xdm', from_api=groups_of),
        keep_empty=True,
    )

    def put_body(self, current, desired):
        body = copy.deepcopy(desired)
        if 'description' not in body:
            body['description'] = current.get('description') or ''
        class_source = desired if self.owns('class_id') else current
        group_source = desired if self.owns('field_groups') else current
        class_id = class_of(class_source)
        group_class = class_of(group_source)
        ordered = [ref for ref in _refs(group_source) if ref != group_class]
        body['allOf'] = [{'$ref': ref} for ref in [class_id] + ordered if ref]
        if current.get('meta:immutableTags'):  # Profile enablement is one-way: a PUT keeps it
            body['meta:immutableTags'] = copy.deepcopy(current['meta:immutableTags'])
        return body

    def create(self, body):
        body = dict(body)
        body.setdefault('description', '')  # the Schema Registry requires one
        return super(Schema, self).create(body)

    def predict_update(self, current, desired):
        predicted = copy.deepcopy(current)
        predicted.update(self.put_body(current, desired))
        predicted.pop('meta:class', None)
        return predicted

    def placeholder_facts(self, body):
        """A new schema's placeholder also carries the fields of its field groups (slot ``SCHEMA_FIELDS_SLOT``: the
        sum of their ``fields_fact``; unknown when a field group is neither readable with tenant fields nor a
        placeholder carrying its fields), for the check-mode checks of the mapping sets on it
        (``xdm_common.predicted_schema``)."""
        facts = super(Schema, self).placeholder_facts(body)
        total = group_fields_sum(self.client, groups_of(body))
        return facts[:SCHEMA_FIELDS_SLOT] + [None] * (SCHEMA_FIELDS_SLOT - len(facts)) + [fields_fact(total)]


def group_fields_sum(client, group_ids):
    """The ``fields_sum`` of the fields of the field groups ``group_ids`` (each read, or, for a check-mode placeholder,
    the fields fact it carries); None when one of them is unknown (a standard field group, whose fields are not below
    the tenant namespace, or a placeholder without the fact)."""
    total = 0
    for group_id in group_ids:
        if is_placeholder(group_id):
            part = fact_sum(placeholder_fact(group_id, GROUP_FIELDS_SLOT))
        else:
            group = xdm_common.lookup(client, 'fieldgroups', group_id)
            tenant = field_group.tenant_of(group)
            part = fields_sum(field_group.field_paths(group, tenant)) if tenant else None
        if part is None:
            return None
        total += part
    return total


def check_references(client, params, current=None, warn=None):
    """The class exists; every field group is a well-formed ``$id``, exists and extends the schema's class
    (``class_id``, else the class of the existing schema, else ExperienceEvent). A check-mode placeholder field group
    is checked by the classes it carries; ``warn`` says when it carries none (it extends more than 3 classes, or is all
    zeros)."""
    if params.get('class_id'):
        xdm_common.check_class(client, params['class_id'], 'class_id')
    class_id = params.get('class_id') or class_of(current) or xdm_common.EXPERIENCE_EVENT
    for index, group_id in enumerate(params.get('field_groups') or []):
        field = 'field_groups[%d]' % index
        validate_id(group_id, 'xdm', field)
        if is_placeholder(group_id):  # a field group an earlier check-mode task predicted: by the classes it carries
            extends = placeholder_extends(group_id, class_id)
            if extends is False:
                raise InputError('%s: field group %r (predicted by an earlier check-mode task) does not extend the schema '
                                 'class %s; add that class to its class_ids' % (field, group_id, class_id), field='field_groups')
            if extends is None and warn is not None:
                warn('%s: field group %s is predicted by an earlier check-mode task that did not tell the classes it '
                     'extends, so check mode did not check that it extends the schema class %s (the real run does)'
                     % (field, group_id, class_id))
            continue
        group = xdm_common.lookup(client, 'fieldgroups', group_id)
        if group is None:
            raise InputError('%s: field group %r does not exist in sandbox %r; create it first '
                             '(aep.platform.field_group)' % (field, group_id, client.sandbox), field='field_groups')
        extends = group.get('meta:intendedToExtend') or []
        if extends and class_id not in extends and not is_placeholder(class_id):
            raise InputError('%s: field group %r (%s) extends %s, not the schema class %s'
                             % (field, group.get('title'), group_id, ', '.join(extends), class_id),
                             field='field_groups')


def check_evolution(client, current, body):
    """InputError, before any write (check mode too), when ``body`` drops a field group from ``current`` while the
    schema is in use (data ingested, or enabled for Profile): its fields would be removed, which AEP refuses."""
    dropped = [ref for ref in _refs(current) if ref not in _refs(body) and ref != class_of(current)]
    if not dropped:
        return
    reason = xdm_common.schema_in_use(client, current)
    if not reason:
        return
    changes = []
    for ref in dropped:
        group = xdm_common.lookup(client, 'fieldgroups', ref) or {}
        changes.append((ref, 'removed', 'field group %r (%s) cannot be removed from the schema: its fields would be '
                        'removed' % (group.get('title'), ref)))
    xdm_common.refuse_breaking('schema', current.get('title'), reason, changes, 'field_groups')


def _group_paths(client, group_ids):
    """The dotted tenant field paths (``_tenant.a.b``) of the field groups ``group_ids`` (placeholders skipped)."""
    paths = set()
    for group_id in group_ids:
        group = None if is_placeholder(group_id) else xdm_common.lookup(client, 'fieldgroups', group_id)
        tenant = field_group.tenant_of(group)
        if group and tenant:
            paths.update('_%s.%s' % (tenant, f['name']) for f in field_group.fields_of(group, tenant))
    return paths


def identities_dropped(client, current, body, identities, predicted_fields=None, warn=None):
    """The identity descriptors of ``current`` on fields that only the field groups ``body`` drops hold, to remove
    first (``xdm_common.remove_identities``: AEP refuses to leave a descriptor pointing at no field). InputError
    when ``identities`` still lists such a field. Reads only when a field group is dropped. A field group of ``body``
    that an earlier check-mode task predicted holds the fields of ``predicted_fields`` (check mode); without them its
    fields are unknown, and ``warn`` says that the fields it may hold again are counted as gone."""
    dropped = [ref for ref in _refs(current) if ref not in _refs(body) and ref != class_of(current)]
    if not dropped:
        return []
    gone = _group_paths(client, dropped) - _group_paths(client, groups_of(body))
    if any(is_placeholder(ref) for ref in groups_of(body)):
        gone -= set(f.get('name') for f in predicted_fields or [] if isinstance(f, dict))
        if not predicted_fields and gone and warn is not None:
            warn('field_groups: a field group predicted by an earlier check-mode task replaces a dropped one, and its '
                 'fields are not known (pass its field_paths result as predicted_fields); check mode counts the fields '
                 'of the dropped field group as gone: %s' % ', '.join(sorted(gone)))
    lost = xdm_common.lost_identities(client, [current], sorted(gone))
    listed = dict((i['field'], index) for index, i in enumerate(identities or []))
    for dummy, descriptor, dummy_change in lost:
        field = xdm_common.descriptor_field(descriptor)
        if field in listed:
            raise InputError('identities[%d]: field %r would leave schema %r with the field group that field_groups '
                             'drops; remove it from identities too (its identity descriptor is then removed before the '
                             'field group), or keep the field group' % (listed[field], field, current.get('title')),
                             field='identities')
    return lost


def _result(result):
    obj = result.get('schema') or {}
    result['alt_id'] = obj.get('meta:altId')
    result['version'] = obj.get('version')
    return result


# ---------------------------------------------------------------------------------------------------
# Identity descriptors and Profile enablement (Schema Registry /tenant/descriptors, meta:immutableTags "union")
# ---------------------------------------------------------------------------------------------------

IDENTITY = xdm_common.IDENTITY
DESCRIPTORS = xdm_common.DESCRIPTORS
DESCRIPTOR_ACCEPT = xdm_common.DESCRIPTOR_ACCEPT
descriptors_of = xdm_common.descriptors_of  # the identity descriptors of a schema
PROFILE_CLASSES = (xdm_common.EXPERIENCE_EVENT, xdm_common.PROFILE)


def _pointer(field):
    return '/' + field.replace('.', '/')


def _field_of(pointer):
    return (pointer or '').lstrip('/').replace('/', '.')


def check_identities(identities):
    """The user's identities, validated before any request: one per field, at most one primary."""
    seen, primary = {}, None
    for index, identity in enumerate(identities or []):
        label = 'identities[%d]' % index
        field = (identity.get('field') or '').strip()
        if not field or not identity.get('namespace', '').strip():
            raise InputError('%s: field and namespace must not be empty' % label, field='identities')
        if field in seen:
            raise InputError('%s: field %r already has an identity (identities[%d]); a field has one identity '
                             'descriptor' % (label, field, seen[field]), field='identities')
        seen[field] = index
        if identity.get('primary'):
            if primary is not None:
                raise InputError('%s: a schema has one primary identity; identities[%d] is primary already'
                                 % (label, primary), field='identities')
            primary = index
    return identities or []


def identity_view(descriptor):
    return {'field': _field_of(descriptor.get('xdm:sourceProperty')), 'namespace': descriptor.get('xdm:namespace'),
            'primary': bool(descriptor.get('xdm:isPrimary'))}


def check_identity_fields(client, schema_id, identities, predicted_fields, check_mode, field_groups=(), warn=None):
    """Every identity field is a string field of the schema (resolved; for a schema still to be created, a field of
    its field groups), or one an earlier check-mode task predicted (``predicted_fields``). For a field group that an
    earlier check-mode task predicted, the check is as strict as the real run's when ``predicted_fields`` hold exactly
    the fields it carries the fact of (with the fields of the schema's other field groups); otherwise an identity field
    not among the known fields cannot be judged, and ``warn`` says so."""
    if not identities:
        return
    schema = None if is_placeholder(schema_id) else xdm_common.require_schema(client, schema_id,
                                                                              accept=xdm_common.ACCEPT_FULL)
    paths = xdm_common.schema_field_paths(schema) if schema else {}
    complete = True
    if schema is None:
        known, expected = [], 0
        for group_id in field_groups or []:
            if is_placeholder(group_id):
                part = fact_sum(placeholder_fact(group_id, GROUP_FIELDS_SLOT))
                expected = None if part is None or expected is None else expected + part
                continue
            group = xdm_common.lookup(client, 'fieldgroups', group_id)
            tenant = field_group.tenant_of(group)
            if group and tenant:
                known.extend(field_group.field_paths(group, tenant))
            else:  # a standard field group: its fields are not below the tenant namespace
                complete = False
        paths.update(xdm_common.paths_of_fields(known))
        if any(is_placeholder(g) for g in field_groups or []):
            names = set(e['name'] for e in known)
            rest = [f for f in (predicted_fields if check_mode else None) or []
                    if isinstance(f, dict) and f.get('name') not in names]
            complete = complete and expected is not None and fields_sum(rest) == expected % FIELDS_MODULUS
    if check_mode:
        paths.update(xdm_common.paths_of_fields(predicted_fields))
    for index, identity in enumerate(identities):
        kind = paths.get(identity['field'])
        if kind is None and not complete:
            if warn is not None:
                warn('identities[%d]: %r is not among the known fields of the schema\'s field groups (a standard '
                     'field group, or one predicted by an earlier check-mode task: pass its field_paths result as '
                     'predicted_fields), so it was not checked to be a string field of the schema before the write'
                     % (index, identity['field']))
            continue
        if kind != 'string':
            raise InputError('identities[%d]: %r %s; an identity must be a string field of the schema, such as '
                             '_<tenant>.email' % (index, identity['field'],
                                                  'is not a field of the schema' if kind is None else 'is of type %s'
                                                  % kind), field='identities')


def ensure_identities(client, schema_id, identities, check_mode, current=None):
    """Create or update one identity descriptor per listed field; descriptors of other fields are left alone.
    ``current``: the schema's descriptors when already read. Returns (changed, before, after) in the module's terms."""
    if current is None:
        current = [] if is_placeholder(schema_id) else descriptors_of(client, schema_id)
    by_field = dict((identity_view(d)['field'], d) for d in current)
    before = sorted((identity_view(d) for d in current), key=lambda v: v['field'])
    changed = False
    # a primary that moves: the old primary is updated first, so that there is never a second primary
    ordered = sorted(identities, key=lambda i: bool(i.get('primary')))
    for identity in ordered:
        want = {'field': identity['field'], 'namespace': identity['namespace'], 'primary': bool(identity.get('primary'))}
        have = by_field.get(identity['field'])
        if have is not None and identity_view(have)['namespace'].lower() == want['namespace'].lower() and \
                identity_view(have)['primary'] == want['primary']:
            continue
        changed = True
        if check_mode:
            continue
        body = {'@type': IDENTITY, 'xdm:sourceSchema': schema_id, 'xdm:sourceVersion': 1,
                'xdm:sourceProperty': _pointer(identity['field']), 'xdm:namespace': identity['namespace'],
                'xdm:property': 'xdm:code', 'xdm:isPrimary': want['primary']}
        if have is None:
            client.post(SCHEMA_REGISTRY, DESCRIPTORS, json=body, accept='application/json')
        else:
            client.put(SCHEMA_REGISTRY, '%s/%s' % (DESCRIPTORS, quote(have['@id'], safe='')), json=body,
                       accept='application/json')
    after = dict((v['field'], v) for v in before)
    for identity in identities:
        after[identity['field']] = {'field': identity['field'], 'namespace': identity['namespace'],
                                    'primary': bool(identity.get('primary'))}
    return changed, before, [after[k] for k in sorted(after)]


def profile_enabled(obj):
    return xdm_common.UNION_TAG in ((obj or {}).get('meta:immutableTags') or [])


def check_profile(current, params, identities):
    """InputError before any write: Profile cannot be disabled (one-way), and a schema of class ExperienceEvent
    or Profile needs a primary identity before it can be enabled."""
    wanted = params.get('profile')
    if wanted is False and profile_enabled(current):
        raise InputError('profile: schema %r (%s) is enabled for Profile, which AEP can never undo, with or without '
                         'data; remove profile: false (or set it to true). For data that must not reach Profile, use a '
                         'new schema and dataset' % (current.get('title'), current.get('$id')), field='profile')
    if wanted and not profile_enabled(current):
        class_id = params.get('class_id') or class_of(current) or xdm_common.EXPERIENCE_EVENT
        has_primary = any(i.get('primary') for i in identities) or any(
            d.get('xdm:isPrimary') for d in (current or {}).get('_descriptors', []))
        if class_id in PROFILE_CLASSES and not has_primary:
            raise InputError('profile: a schema of class %s needs a primary identity before it can be enabled for '
                             'Profile; add one to identities with primary: true (for example the email field with '
                             'namespace Email)' % class_id, field='profile')


def ensure_profile(client, schema_id, check_mode):
    """Enable the schema for Profile (PATCH ``meta:immutableTags`` with ``union``)."""
    if not check_mode:
        client.patch(SCHEMA_REGISTRY, '/tenant/schemas/%s' % quote(schema_id, safe=''), accept='application/json',
                     json=[{'op': 'add', 'path': '/meta:immutableTags', 'value': [xdm_common.UNION_TAG]}])


def run(params, client, check_mode):
    resource = prepare(Schema(client), params, check_mode)
    if params['state'] == 'absent':
        preflight.check_absent(client, 'schema', resource.find(identity=params.get('title'), object_id=params.get('id')),
                               params, check_mode)
        return _result(ensure_absent(resource, check_mode, identity=params.get('title'), object_id=params.get('id')))
    current = resource.find(identity=params.get('title'), object_id=params.get('id'))
    title = params.get('title') or (current or {}).get('title')
    body = build_body(dict(params, title=title))
    identities = check_identities(params.get('identities'))
    enabling = current is not None and params.get('profile') and not profile_enabled(current)
    # the schema's identity descriptors, read once for every check below and for the identities' own run
    descriptors = descriptors_of(client, current['$id']) if current is not None and (identities or enabling) else []
    preflight.check_class_change(current, params)
    preflight.check_primary_move(client, current, identities, lambda _client, _schema_id: descriptors)
    if enabling:
        current['_descriptors'] = descriptors
    check_profile(current, params, identities)
    if current is not None:
        current.pop('_descriptors', None)
    lost = []
    if not in_sync(resource, current, body):  # the class and field groups are read only on create or change
        check_references(client, params, current, resource.warn)
        if current is not None and params.get('field_groups') is not None:
            check_evolution(client, current, body)
            lost = identities_dropped(client, current, body, identities,
                                      params.get('predicted_fields') if check_mode else None, resource.warn)
    if identities:
        check_identity_fields(client, current['$id'] if current else xdm_common.PLACEHOLDER_SCHEMA, identities,
                              params.get('predicted_fields'), check_mode, params.get('field_groups'), resource.warn)
    identity_namespace.check_namespaces(client, identities, [identity_view(d) for d in descriptors])  # before any write
    removed, warnings = xdm_common.remove_identities(client, lost, check_mode)
    result = _result(ensure_present(resource, body, check_mode, object_id=params.get('id')))
    if removed:
        result['changed'] = True
        result['removed_identities'] = removed
        result['warnings'] = list(result.get('warnings') or []) + warnings
    schema_id = result['id']
    if identities or (params.get('identities') is not None and current is not None):  # []: the diff shows what stays
        changed, before, after = ensure_identities(client, schema_id, identities, check_mode,
                                                   descriptors if identities else None)
        result['changed'] = result['changed'] or changed
        result['diff']['before']['identities'], result['diff']['after']['identities'] = before, after
        result['identities'] = after
    if removed:  # the diff shows the identities removed with the field groups; the result lists what stays
        gone = set(v['field'] for v in removed)
        views = [dict((k, v) for k, v in view.items() if k != 'schema') for view in removed]
        before = [v for v in result['diff']['before'].get('identities') or [] if v['field'] not in gone]
        result['diff']['before']['identities'] = sorted(before + views, key=lambda v: v['field'])
        result['diff']['after']['identities'] = [v for v in result['diff']['after'].get('identities') or []
                                                 if v['field'] not in gone]
        if 'identities' in result:
            result['identities'] = [v for v in result['identities'] if v['field'] not in gone]
    enabled = profile_enabled(current) if current is not None else False
    if params.get('profile') and not enabled:
        ensure_profile(client, schema_id, check_mode)
        result['changed'] = True
        result['diff']['before']['profile'], result['diff']['after']['profile'] = enabled, True
        enabled = True
    result['profile'] = enabled
    result['field_paths'] = predicted_field_paths(client, params, body, check_mode, result)
    return result


def predicted_field_paths(client, params, body, check_mode, result):
    """Check mode, when the schema would be created or changed: its fields after the task as ``[{name, type[,
    required: true]}]`` (the class's, read resolved; the field groups' read; a predicted field group's from
    O(predicted_fields)), what a later check-mode aep.platform.mapping_set takes as ``predicted_fields``. Else []."""
    if not (check_mode and result.get('changed')):
        return []
    class_id = class_of(body)
    resolved = None if is_placeholder(class_id) else xdm_common.lookup(client, 'classes', class_id, accept=xdm_common.ACCEPT_FULL,
                                                                       containers=('global', 'tenant'))
    entries = dict((e['name'], e) for e in xdm_common.class_entries(resolved))
    for group_id in groups_of(body):
        group = None if is_placeholder(group_id) else xdm_common.lookup(client, 'fieldgroups', group_id)
        tenant = field_group.tenant_of(group)
        for entry in field_group.field_paths(group, tenant) if tenant else []:
            entries.setdefault(entry['name'], entry)
    for entry in params.get('predicted_fields') or []:
        if isinstance(entry, dict) and entry.get('name'):
            entries.setdefault(entry['name'], dict((k, v) for k, v in entry.items() if k in ('name', 'type', 'required')))
    return [entries[name] for name in sorted(entries)]


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS)
INFO_DEFINITION = info_definition(Schema, 'schemas')
