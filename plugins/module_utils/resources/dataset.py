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

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    CatalogResource,
    Field,
    FieldTable,
    InputError,
    compare_owned,
    ensure_absent,
    ensure_present,
    find_selected,
    info_definition,
    prepare,
    state_options,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import preflight, xdm_common

CONTENT_TYPE = 'application/vnd.adobe.xed+json;version=1'

ARGUMENT_SPEC = state_options(dict(schema_id=dict(type='str'), tags=dict(type='dict'), profile=dict(type='bool'),
                                   schema_profile_predicted=dict(type='bool', default=False)),
                              identity='name', description=True)
# Catalog tags of a dataset enabled for Real-Time Customer Profile and Identity Service (AEP's "enable a dataset for
# Profile" guide); the enablement is one-way.
PROFILE_TAGS = {'unifiedProfile': ['enabled:true'], 'unifiedIdentity': ['enabled:true']}
MODULE_KWARGS = dict(required_one_of=[('name', 'id')])


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


def schema_ref(schema_id):
    """``schemaRef`` of a dataset body (``schema_id`` option -> API)."""
    return {'id': schema_id, 'contentType': CONTENT_TYPE}


def schema_of(ref):
    """The schema ``$id`` of a ``schemaRef`` (API -> ``schema_id``): its contentType spelling varies."""
    return (ref or {}).get('id')


def tags_equal(have, want):
    """The tag keys the user set hold the same values (as sets); other tags (AEP's, the UI's) are left alone."""
    return not compare_owned(have or {}, want or {})


class Dataset(CatalogResource):
    kind = 'dataset'
    compare_view = True
    fields = FieldTable(
        Field('name', '/name'),
        Field('description', '/description'),
        Field('schema_id', '/schemaRef', immutable=True, required=True, id_kind='xdm', to_api=schema_ref,
              from_api=schema_of),
        Field('tags', '/tags', to_api=normalize_tags, from_api=lambda tags: tags or None, equal=tags_equal),
        keep_empty=True,
    )

    def update(self, current, desired, paths):
        if '/tags' in paths:  # keep the tags the user does not manage
            desired = dict(desired, tags=dict(current.get('tags') or {}, **desired['tags']))
        return super(Dataset, self).update(current, desired, paths)

    def check_create(self, body):
        xdm_common.require_schema(self.client, body['schemaRef']['id'])

    def create_once(self, body):
        self.check_create(body)
        return super(Dataset, self).create_once(body)

    def predict_create(self, body):
        self.check_create(body)
        return super(Dataset, self).predict_create(body)


def desired_body(params):
    return Dataset.fields.body(params)


def profile_enabled(obj):
    tags = (obj or {}).get('tags') or {}
    return any('enabled:true' in (tags.get(key) or []) for key in PROFILE_TAGS)


def run(params, client, check_mode):
    resource = prepare(Dataset(client), params, check_mode)
    if params['state'] == 'absent':
        # a target connection still writes to it: its dataflow would lose its destination
        preflight.check_absent(client, 'dataset', resource.find(identity=params.get('name'), object_id=params.get('id')),
                               params, check_mode)
        return ensure_absent(resource, check_mode, identity=params.get('name'), object_id=params.get('id'))
    body = resource.body(params)
    if params.get('profile') is not None:
        for key in PROFILE_TAGS:
            if (body.get('tags') or {}).get(key) is not None:
                raise InputError('tags.%s: set profile instead of this tag' % key, field='tags')
    current = find_selected(resource, params)
    if params.get('profile') is False and profile_enabled(current):
        raise InputError('profile: dataset %r (%s) is enabled for Profile, which cannot be undone; remove profile: '
                         'false (or set it to true). For data that must not reach Profile, create a new dataset'
                         % (current.get('name'), current.get('id')), field='profile')
    preflight.check_dataset_profile(client, params, current, check_mode, resource.warn)
    if params.get('profile'):
        body['tags'] = dict(body.get('tags') or {}, **PROFILE_TAGS)
        resource.owned.add('tags')
    result = ensure_present(resource, body, check_mode, object_id=params.get('id'))
    result['profile'] = profile_enabled(result.get('dataset') or (body if check_mode else None))
    return result


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS)
INFO_DEFINITION = info_definition(Dataset, 'datasets')
