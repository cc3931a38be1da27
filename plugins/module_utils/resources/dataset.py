# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``dataset`` and ``dataset_info`` modules (Catalog ``/dataSets``).

The user owns the name, the description (when set), the schema reference and the tag keys they set (each
tag's values compared as a set). Tags the user does not mention, for example ones AEP or the UI adds, are
left alone. AEP cannot move a dataset to another schema, so a different ``schema_id`` fails clearly.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    CatalogResource,
    InputError,
    compare_owned,
    ensure_absent,
    ensure_present,
    info,
    info_options,
    info_rules,
    prepare,
    state_options,
    validate_id,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import preflight, xdm_common

CONTENT_TYPE = 'application/vnd.adobe.xed+json;version=1'

ARGUMENT_SPEC = state_options(dict(
    name=dict(type='str'),
    id=dict(type='str'),
    description=dict(type='str'),
    schema_id=dict(type='str'),
    tags=dict(type='dict'),
    profile=dict(type='bool'),
))
# Catalog tags of a dataset enabled for Real-Time Customer Profile and Identity Service (AEP's "enable a dataset for
# Profile" guide); the enablement is one-way.
PROFILE_TAGS = {'unifiedProfile': ['enabled:true'], 'unifiedIdentity': ['enabled:true']}
MODULE_KWARGS = dict(required_one_of=[('name', 'id')])

INFO_ARGUMENT_SPEC = info_options('name')
INFO_KWARGS = info_rules('name')


def normalize_tags(tags):
    """``{key: [values]}`` with every value a list of strings; InputError names a bad entry."""
    if tags is None:
        return None
    result = {}
    for key, values in tags.items():
        if isinstance(values, (str, int, float, bool)):
            values = [values]
        if not isinstance(values, list) or any(isinstance(v, (dict, list)) or v is None for v in values):
            raise InputError('tags.%s: expected a list of strings, got %r' % (key, values), field='tags')
        result[str(key)] = [str(v) if not isinstance(v, bool) else str(v).lower() for v in values]
    return result


def desired_body(params):
    return {
        'name': params.get('name'),
        'description': params.get('description'),
        'schemaRef': {'id': params['schema_id'], 'contentType': CONTENT_TYPE} if params.get('schema_id') else None,
        'tags': normalize_tags(params.get('tags')),
    }


def schema_of(obj):
    return ((obj or {}).get('schemaRef') or {}).get('id')


def user_view(obj):
    """A dataset in the module's terms: name, description, schema_id, tags."""
    if not obj:
        return {}
    view = {'name': obj.get('name'), 'description': obj.get('description'), 'schema_id': schema_of(obj),
            'tags': obj.get('tags') or None}
    return dict((k, v) for k, v in view.items() if v is not None)


class Dataset(CatalogResource):
    kind = 'dataset'

    def differences(self, current, desired):
        wanted_schema = schema_of(desired)
        if wanted_schema and schema_of(current) and wanted_schema != schema_of(current):
            raise InputError(
                'schema_id: dataset %r (%s) uses schema %s; AEP cannot change the schema of an existing dataset. '
                'Delete the dataset (state: absent) and create it again, or use a new name'
                % (current.get('name'), self.object_id(current), schema_of(current)), field='schema_id')
        owned = copy.deepcopy(desired)
        if owned.get('schemaRef'):
            owned['schemaRef'] = {'id': wanted_schema}  # contentType spelling varies; the id is what matters
        return compare_owned(current, owned)

    def update(self, current, desired, paths):
        keys = sorted(set(p.split('/')[1] for p in paths))
        body = {}
        for key in keys:
            if key == 'tags':  # keep the tags the user does not manage
                body['tags'] = dict(current.get('tags') or {}, **desired['tags'])
            else:
                body[key] = desired[key]
        self.client.patch(self.service, self.item_path(self.object_id(current)), json=body)
        return self.get(self.object_id(current))

    def check_create(self, body):
        if not body.get('name'):
            raise InputError('name is required to create a dataset', field='name')
        if not body.get('schemaRef'):
            raise InputError('schema_id is required to create dataset %r' % body['name'], field='schema_id')
        xdm_common.require_schema(self.client, body['schemaRef']['id'])

    def create_once(self, body):
        self.check_create(body)
        return super(Dataset, self).create_once(body)

    def predict_create(self, body):
        self.check_create(body)
        return super(Dataset, self).predict_create(body)

    def diff_view(self, obj):
        return user_view(obj)


def profile_enabled(obj):
    tags = (obj or {}).get('tags') or {}
    return any('enabled:true' in (tags.get(key) or []) for key in PROFILE_TAGS)


def run(params, client, check_mode):
    validate_id(params.get('schema_id'), 'xdm', 'schema_id')
    resource = prepare(Dataset(client), params, check_mode)
    if params['state'] == 'absent':
        return ensure_absent(resource, check_mode, identity=params.get('name'), object_id=params.get('id'))
    body = desired_body(params)
    if params.get('profile') is not None:
        current = resource.find(identity=params.get('name'), object_id=params.get('id'))
        for key in PROFILE_TAGS:
            if (body.get('tags') or {}).get(key) is not None:
                raise InputError('tags.%s: set profile instead of this tag' % key, field='tags')
        if params['profile'] is False and profile_enabled(current):
            raise InputError('profile: dataset %r (%s) is enabled for Profile, which cannot be undone; remove profile: '
                             'false (or set it to true). For data that must not reach Profile, create a new dataset'
                             % (current.get('name'), current.get('id')), field='profile')
        preflight.check_dataset_profile(client, params, current, check_mode, resource.warn)
        if params['profile']:
            body['tags'] = dict(body.get('tags') or {}, **PROFILE_TAGS)
    result = ensure_present(resource, body, check_mode, object_id=params.get('id'))
    result['profile'] = profile_enabled(result.get('dataset') or (body if check_mode else None))
    return result


def run_info(params, client, check_mode):
    return info(Dataset(client), params, 'datasets')


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS)
INFO_DEFINITION = ModuleDefinition(INFO_ARGUMENT_SPEC, run_info, INFO_KWARGS)
