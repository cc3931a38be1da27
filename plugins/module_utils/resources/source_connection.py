# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``source_connection`` and ``source_connection_info`` modules (``/sourceConnections``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    Field,
    FieldTable,
    find_selected,
    in_sync,
    info,
    info_options,
    info_rules,
    state_options,
)
from ansible_collections.aep.platform.plugins.module_utils.resources.flowservice_common import (
    ConnectionResource,
    absent,
    check_reference,
    check_spec,
    ensure,
    require_identity,
)

ARGUMENT_SPEC = state_options(dict(
    name=dict(type='str'),
    id=dict(type='str'),
    description=dict(type='str'),
    connection_spec_id=dict(type='str'),
    connection_spec_version=dict(type='str', default='1.0'),
    provider_id=dict(type='str'),
    data_format=dict(type='str', default='json'),
    base_connection_id=dict(type='str'),
    params=dict(type='dict'),
    recreate=dict(type='bool', default=False),
))
MODULE_KWARGS = dict(required_one_of=[('name', 'id')])

INFO_ARGUMENT_SPEC = info_options('name')
INFO_KWARGS = info_rules('name')


class SourceConnection(ConnectionResource):
    kind = 'source_connection'
    path = '/sourceConnections'
    fields = FieldTable(
        Field('name', '/name'),
        Field('description', '/description'),
        Field('connection_spec_id', '/connectionSpec/id', immutable=True, required=True, id_kind='uuid'),
        Field('connection_spec_version', '/connectionSpec/version', immutable=True, requires='connection_spec_id'),
        Field('provider_id', '/providerId', id_kind='uuid'),
        Field('data_format', '/data/format'),
        Field('base_connection_id', '/baseConnectionId', id_kind='uuid'),
        Field('params', '/params'),
    )


def desired_body(params):
    return SourceConnection.fields.body(params)


def validate(params, client, check_mode):
    """Every check that needs no write: the connection spec, the base connection."""
    if params.get('connection_spec_id'):
        check_spec(client, 'connectionSpecs', params['connection_spec_id'], 'connection_spec_id', role='sourceSpec')
    if params.get('base_connection_id'):
        check_reference(client, '/connections', params['base_connection_id'], 'base_connection_id',
                        'base connection', check_mode)


def run(params, client, check_mode):
    resource = require_identity(SourceConnection(client), params, check_mode)
    if params['state'] == 'absent':
        return absent(resource, params, check_mode)
    resource.fields.check(params)
    current = find_selected(resource, params)
    if not in_sync(resource, current, desired_body(params)):
        validate(params, client, check_mode)
    return ensure(resource, desired_body(params), params, check_mode, immutable=resource.fields.immutable())


def run_info(params, client, check_mode):
    return info(SourceConnection(client), params, 'source_connections')


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS)
INFO_DEFINITION = ModuleDefinition(INFO_ARGUMENT_SPEC, run_info, INFO_KWARGS)
