# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``source_connection`` and ``source_connection_info`` modules (``/sourceConnections``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    Field,
    InputError,
    get_pointer,
    info_definition,
    placeholder_fact,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import preflight
from ansible_collections.aep.platform.plugins.module_utils.resources.flowservice_common import (
    MODULE_KWARGS,
    SPEC_FACT,
    ConnectionResource,
    check_reference,
    check_spec,
    flowservice_fields,
    flowservice_options,
    run_connection,
    source_data_fact,
    spec_fingerprint,
)

ARGUMENT_SPEC = flowservice_options(dict(
    provider_id=dict(type='str'),
    data_format=dict(type='str', default='json', choices=['json', 'delimited', 'parquet', 'tabular']),
    base_connection_id=dict(type='str'),
    params=dict(type='dict'),
    recreate=dict(type='bool', default=False),
), connection_spec_id=True)


class SourceConnection(ConnectionResource):
    kind = 'source_connection'
    path = '/sourceConnections'
    fields = flowservice_fields(
        Field('provider_id', '/providerId', id_kind='uuid'),
        Field('data_format', '/data/format'),
        Field('base_connection_id', '/baseConnectionId', id_kind='uuid'),
        Field('params', '/params'),
        connection_spec=dict(required=True),
    )

    def placeholder_facts(self, body):
        """Its connection spec (``SPEC_FACT``) and what it sends (``DATA_FACT``: ``source_data_fact``), for the
        check-mode checks of aep.platform.flow (the flow spec accepts the spec; raw data needs a mapping)."""
        return [spec_fingerprint(get_pointer(body, '/connectionSpec/id')), source_data_fact(self.client, body)]


def desired_body(params):
    return SourceConnection.fields.body(params)


def validate(params, client, check_mode):
    """Every check that needs no write: the connection spec, the base connection (it exists and is of the same
    connection spec). Run only when the source connection is created or changes."""
    if params.get('connection_spec_id'):
        spec = check_spec(client, 'connectionSpecs', params['connection_spec_id'], 'connection_spec_id', role='sourceSpec')
        preflight.check_base_connection_needed(spec, params)
    base_id = params.get('base_connection_id')
    if base_id:
        base = check_reference(client, '/connections', base_id, 'base_connection_id', 'base connection', check_mode)
        if base is None:  # a check-mode placeholder: its connection spec as the earlier task predicted it
            spec_fact = placeholder_fact(base_id, SPEC_FACT)
            if spec_fact and params.get('connection_spec_id') and spec_fingerprint(params['connection_spec_id']) != spec_fact:
                spec_id = params['connection_spec_id']
                raise InputError('base_connection_id: the base connection %s (predicted by an earlier check-mode task) is '
                                 'of another connection spec than this source connection (%s); AEP refuses it. Use a '
                                 'base connection of connection spec %s' % (base_id, spec_id, spec_id), field='base_connection_id')
        preflight.check_base_connection_spec(params.get('connection_spec_id'), base)


def run(params, client, check_mode):
    return run_connection(SourceConnection(client), params, check_mode, lambda current: desired_body(params),
                          lambda current: validate(params, client, check_mode))


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS)
INFO_DEFINITION = info_definition(SourceConnection, 'source_connections')
