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

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    InputError,
    SchemaRegistryResource,
    ensure_absent,
    ensure_present,
    in_sync,
    info,
    info_options,
    info_rules,
    is_placeholder,
    prepare,
    state_options,
    validate_id,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import xdm_common

ARGUMENT_SPEC = state_options(dict(
    title=dict(type='str'),
    id=dict(type='str'),
    description=dict(type='str'),
    class_id=dict(type='str'),
    field_groups=dict(type='list', elements='str'),
))
MODULE_KWARGS = dict(required_one_of=[('title', 'id')])

INFO_ARGUMENT_SPEC = info_options('title')
INFO_KWARGS = info_rules('title')


def build_body(params):
    """The Schema Registry create body: the class (ExperienceEvent when unset) first, then the field groups."""
    refs = [params.get('class_id') or xdm_common.EXPERIENCE_EVENT]
    for group in params.get('field_groups') or []:
        if group not in refs:
            refs.append(group)
    body = {
        'type': 'object',
        'title': params['title'],
        'description': params.get('description'),
        'allOf': [{'$ref': ref} for ref in refs],
    }
    if body['description'] is None:
        del body['description']
    return body


def _refs(resource):
    return [e.get('$ref') for e in resource.get('allOf') or [] if isinstance(e, dict) and e.get('$ref')]


def user_view(resource):
    """A schema in the module's terms: title, description, class_id, field_groups (sorted)."""
    if not resource:
        return {}
    refs = _refs(resource)
    class_id = resource.get('meta:class') or (refs[0] if refs else None)
    view = {
        'title': resource.get('title'),
        'description': resource.get('description'),
        'class_id': class_id,
        'field_groups': sorted(set(r for r in refs if r != class_id)),
    }
    return dict((k, v) for k, v in view.items() if v is not None)


class Schema(SchemaRegistryResource):
    kind = 'schema'
    path = '/tenant/schemas'

    def __init__(self, client, unowned=()):
        super(Schema, self).__init__(client)
        # Parts of the view the user did not set ('class_id', 'field_groups'): not compared, kept by updates.
        self.unowned = set(unowned)

    def differences(self, current, desired):
        # ``desired`` carries a description only when the user set one: otherwise it is not compared.
        have, want = user_view(current), user_view(desired)
        for key in self.unowned:
            want.pop(key, None)
        return ['/%s' % key for key in sorted(want) if have.get(key) != want[key]]

    def put_body(self, current, desired):
        body = copy.deepcopy(desired)
        if 'description' not in body:
            body['description'] = current.get('description') or ''
        class_source = current if 'class_id' in self.unowned else desired
        group_source = current if 'field_groups' in self.unowned else desired
        class_id = user_view(class_source).get('class_id')
        group_class = user_view(group_source).get('class_id')
        ordered = [ref for ref in _refs(group_source) if ref != group_class]
        body['allOf'] = [{'$ref': ref} for ref in [class_id] + ordered if ref]
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

    def diff_view(self, obj):
        return user_view(obj)


def check_references(client, params, current=None):
    """The class exists; every field group is a well-formed ``$id``, exists and extends the schema's class
    (``class_id``, else the class of the existing schema, else ExperienceEvent)."""
    if params.get('class_id'):
        xdm_common.check_class(client, params['class_id'], 'class_id')
    class_id = params.get('class_id') or user_view(current).get('class_id') or xdm_common.EXPERIENCE_EVENT
    for index, group_id in enumerate(params.get('field_groups') or []):
        field = 'field_groups[%d]' % index
        validate_id(group_id, 'xdm', field)
        if is_placeholder(group_id):
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
    dropped = [ref for ref in _refs(current) if ref not in _refs(body) and ref != user_view(current).get('class_id')]
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


def _result(result):
    obj = result.get('schema') or {}
    result['alt_id'] = obj.get('meta:altId')
    result['version'] = obj.get('version')
    return result


def run(params, client, check_mode):
    resource = Schema(client, [key for key in ('class_id', 'field_groups') if params.get(key) is None])
    prepare(resource, params, check_mode)
    if params['state'] == 'absent':
        return _result(ensure_absent(resource, check_mode, identity=params.get('title'), object_id=params.get('id')))
    for index, group_id in enumerate(params.get('field_groups') or []):
        validate_id(group_id, 'xdm', 'field_groups[%d]' % index)
    validate_id(params.get('class_id'), 'xdm', 'class_id')
    current = resource.find(identity=params.get('title'), object_id=params.get('id'))
    title = params.get('title') or (current or {}).get('title')
    body = build_body(dict(params, title=title))
    if not in_sync(resource, current, body):  # the class and field groups are read only on create or change
        check_references(client, params, current)
        if current is not None and params.get('field_groups') is not None:
            check_evolution(client, current, body)
    return _result(ensure_present(resource, body, check_mode, object_id=params.get('id')))


def run_info(params, client, check_mode):
    return info(Schema(client), params, 'schemas')


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS)
INFO_DEFINITION = ModuleDefinition(INFO_ARGUMENT_SPEC, run_info, INFO_KWARGS)
