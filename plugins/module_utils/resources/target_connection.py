# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``target_connection`` and ``target_connection_info`` modules (``/targetConnections``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.client import CATALOG
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    Field,
    InputError,
    fingerprint,
    get_pointer,
    info_definition,
    is_placeholder,
    placeholder_fact,
    same_fact,
    validate_id,
)
from ansible_collections.aep.platform.plugins.module_utils.resources.flowservice_common import (
    MODULE_KWARGS,
    ConnectionResource,
    check_spec,
    flowservice_fields,
    flowservice_options,
    run_connection,
    spec_fingerprint,
)

DATA_LAKE_SPEC = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c'
FULL_SCHEMA = 'application/vnd.adobe.xed-full+json;version=1'

ARGUMENT_SPEC = flowservice_options(dict(
    dataset_id=dict(type='str'),
    schema_id=dict(type='str'),
    schema_version=dict(type='str', default=FULL_SCHEMA),
    data_format=dict(type='str', default='json', choices=['json', 'parquet_xdm', 'delimited', 'parquet', 'tabular']),
    recreate=dict(type='bool', default=False),
), connection_spec_id=DATA_LAKE_SPEC)


class TargetConnection(ConnectionResource):
    kind = 'target_connection'
    path = '/targetConnections'
    fields = flowservice_fields(
        Field('dataset_id', '/params/dataSetId', required=True, id_kind='catalog'),
        Field('schema_id', '/data/schema/id', id_kind='xdm'),
        Field('schema_version', '/data/schema/version', requires='schema_id'),
        Field('data_format', '/data/format'),
        connection_spec=dict(required=False),
    )

    def placeholder_facts(self, body):
        """Its connection spec (``SPEC_FACT``) and its schema (``DATA_FACT``): the ``data.schema.id`` it names, else
        the schema a placeholder dataset carries (slot 0), for the check-mode checks of aep.platform.flow."""
        schema_id = get_pointer(body, '/data/schema/id')
        schema_fact = fingerprint(schema_id) if schema_id else placeholder_fact(get_pointer(body, '/params/dataSetId'), 0)
        return [spec_fingerprint(get_pointer(body, '/connectionSpec/id')), schema_fact]


def desired_body(params, schema_id):
    """The body, with ``schema_id`` resolved (the dataset's schema when the user gave none)."""
    return TargetConnection.fields.body(dict(params, schema_id=schema_id))


def dataset_schema(params, client, check_mode):
    """The schema ``$id`` of ``dataset_id`` (None for a check-mode placeholder); InputError when missing."""
    dataset_id = params.get('dataset_id')
    validate_id(dataset_id, 'catalog', 'dataset_id')
    if dataset_id is None:
        return None
    if is_placeholder(dataset_id):
        if check_mode:  # the dataset an earlier check-mode task predicted: ``resolve_schema`` checks its schema fact
            return None
        raise InputError('dataset_id: %r is a check-mode placeholder id, not a real dataset' % dataset_id,
                         field='dataset_id')
    body = client.get_or_none(CATALOG, '/dataSets/%s' % dataset_id)
    dataset = next(iter(body.values()), None) if isinstance(body, dict) and body else None
    if not isinstance(dataset, dict):
        raise InputError('dataset_id: no dataset with id %r exists in sandbox %r' % (dataset_id, client.sandbox),
                         field='dataset_id')
    return (dataset.get('schemaRef') or {}).get('id')


def resolve_schema(params, client, check_mode, warn=None):
    """``schema_id`` checked against the dataset's schema, or the dataset's schema when not given."""
    validate_id(params.get('schema_id'), 'xdm', 'schema_id')
    actual = dataset_schema(params, client, check_mode)
    wanted = params.get('schema_id')
    # A placeholder schema_id (a schema an earlier check-mode task would create) is never an existing dataset's schema.
    if wanted and actual and wanted != actual:
        raise InputError('schema_id: %r is not the schema of dataset %s (%s); a flow into this target would be '
                         'rejected. Omit schema_id to use the dataset\'s schema' % (wanted, params['dataset_id'], actual),
                         field='schema_id')
    if wanted and actual is None and check_mode and is_placeholder(params.get('dataset_id')) \
            and placeholder_fact(params['dataset_id'], 0) is None and warn is not None:
        warn('schema_id: dataset %s is a check-mode placeholder id that carries no schema, so check mode did not check '
             'that %s is its schema (the real run does)' % (params['dataset_id'], wanted))
    if wanted and actual is None and check_mode and same_fact(wanted, placeholder_fact(params.get('dataset_id'), 0)) is False:
        raise InputError('schema_id: %r is not the schema of dataset %s (which an earlier check-mode task predicted); a '
                         'flow into this target would be rejected. Omit schema_id to use the dataset\'s schema'
                         % (wanted, params['dataset_id']), field='schema_id')
    return wanted or actual


def run(params, client, check_mode):
    def body(current):  # the schema the target already has, unless the user names one
        return desired_body(params, params.get('schema_id') or get_pointer(current or {}, '/data/schema/id'))

    resource = TargetConnection(client)

    def check(current):  # on create or change: the spec, and the schema resolved from the dataset
        check_spec(client, 'connectionSpecs', params['connection_spec_id'], 'connection_spec_id', role='targetSpec')
        return desired_body(params, resolve_schema(params, client, check_mode, resource.warn))

    return run_connection(resource, params, check_mode, body, check)


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS)
INFO_DEFINITION = info_definition(TargetConnection, 'target_connections')
