# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``flow``, ``flow_info`` and ``flow_run_info`` modules (``/flows``, ``/runs``).

A flow's mapping is its ``Mapping`` transformation (``{name: Mapping, params: {mappingId,
mappingVersion}}``); it is compared on id and version only (``0 == "0"``) and updated by replacing that
transformation. Enabling/disabling is a separate action call, never part of the PATCH.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import time
from collections import namedtuple

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.client import (
    DATA_PREP,
    FLOW_SERVICE,
    NotFoundError,
    ValidationError,
)
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    Field,
    InputError,
    compare_owned,
    find_selected,
    fingerprint,
    in_sync,
    info,
    info_options,
    info_rules,
    is_placeholder,
    json_patch,
    placeholder_fact,
    same,
    validate_id,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import preflight
from ansible_collections.aep.platform.plugins.module_utils.resources.base_connection import flow_inlet
from ansible_collections.aep.platform.plugins.module_utils.resources.flowservice_common import (
    MODULE_KWARGS as FLOWSERVICE_KWARGS,
    DATA_FACT,
    NO_BASE,
    RAW,
    SPEC_FACT,
    ConnectionResource,
    absent,
    check_reference,
    check_spec,
    ensure,
    flowservice_fields,
    flowservice_options,
    require_identity,
    source_data_fact,
    spec_fingerprint,
)

GENERIC_STREAMING_SPEC = 'e77fde5a-22a8-11ed-861d-0242ac120002'
HTTP_API_MAPPING_SPEC = 'c1a19761-d2c7-4702-b9fa-fe91f0613e81'  # Streaming HTTP API to Data Lake with transformations
MAPPING = 'Mapping'

ARGUMENT_SPEC = flowservice_options(dict(
    flow_spec_id=dict(type='str', default=GENERIC_STREAMING_SPEC),
    flow_spec_version=dict(type='str', default='1.0'),
    source_connection_ids=dict(type='list', elements='str'),
    target_connection_ids=dict(type='list', elements='str'),
    mapping_id=dict(type='str'),
    mapping_version=dict(type='int'),
    mapping_version_predicted=dict(type='bool', default=False),
    enabled=dict(type='bool'),
    recreate=dict(type='bool', default=False),
))
MODULE_KWARGS = dict(FLOWSERVICE_KWARGS, required_by={'mapping_version': 'mapping_id'})

INFO_ARGUMENT_SPEC = info_options('name')
INFO_KWARGS = info_rules('name')

RUN_INFO_ARGUMENT_SPEC = dict(
    flow_id=dict(type='str'),
    flow_name=dict(type='str'),
    wait_for_run=dict(type='bool', default=False),
    min_runs=dict(type='int', default=1),
    wait_timeout=dict(type='int', default=300),
    wait_sleep=dict(type='int', default=5),
)
RUN_INFO_KWARGS = dict(required_one_of=[('flow_id', 'flow_name')], mutually_exclusive=[('flow_id', 'flow_name')])


# ---------------------------------------------------------------------------------------------------
# Pure helpers (unit tested)
# ---------------------------------------------------------------------------------------------------

def mapping_index(flow):
    """Index of the ``Mapping`` transformation in ``flow['transformations']``, or None."""
    for index, transformation in enumerate((flow or {}).get('transformations') or []):
        if isinstance(transformation, dict) and str(transformation.get('name', '')).lower() == MAPPING.lower():
            return index
    return None


def mapping_of(flow):
    """``(mappingId, mappingVersion)`` of the flow's mapping, or ``(None, None)``."""
    index = mapping_index(flow)
    if index is None:
        return None, None
    params = flow['transformations'][index].get('params') or {}
    return params.get('mappingId'), params.get('mappingVersion')


def mapping_differs(current, desired):
    """True when the desired mapping (id and, when set, version) differs from the flow's."""
    want_id, want_version = mapping_of(desired)
    if want_id is None:
        return False
    have_id, have_version = mapping_of(current)
    if have_id != want_id:
        return True
    return want_version is not None and not same(have_version, want_version)


def mapping_transformation(mapping_id, mapping_version):
    return {'name': MAPPING, 'params': {'mappingId': mapping_id, 'mappingVersion': mapping_version}}


def flow_differences(current, desired):
    """JSON Pointer paths of the owned fields that differ; the mapping is reported as ``/transformations``."""
    owned = dict((k, v) for k, v in desired.items() if k != 'transformations')
    paths = compare_owned(current, owned)
    if mapping_differs(current, desired):
        paths.append('/transformations')
    return sorted(paths)


def flow_patch(current, desired, paths):
    """The JSON Patch turning ``current`` into ``desired`` for ``paths`` (see ``flow_differences``).

    The mapping replaces the existing ``Mapping`` transformation in place (``/transformations/<i>``), keeping
    any other parameter AEP stores on it; without one it is appended (or the list is added).
    """
    ops = json_patch(current, desired, [p for p in paths if p != '/transformations'])
    if '/transformations' in paths:
        want_id, want_version = mapping_of(desired)
        index = mapping_index(current)
        if index is not None:
            value = copy.deepcopy(current['transformations'][index])
            value['params'] = dict(value.get('params') or {}, mappingId=want_id, mappingVersion=want_version)
            ops.append({'op': 'replace', 'path': '/transformations/%d' % index, 'value': value})
        elif current.get('transformations'):
            ops.append({'op': 'add', 'path': '/transformations/-', 'value': mapping_transformation(want_id, want_version)})
        else:
            ops.append({'op': 'add', 'path': '/transformations',
                        'value': [mapping_transformation(want_id, want_version)]})
    return ops


def is_enabled(flow):
    """True for ``enabled``/``enabling``, False for ``disabled``/``disabling``, None otherwise."""
    state = str((flow or {}).get('state') or '')
    if state.startswith('enabl'):
        return True
    if state.startswith('disabl'):
        return False
    return None


def inlet_url(flow):
    return ((flow or {}).get('options') or {}).get('inletUrl')


def webhook_url(flow, url=None):
    """``<inlet URL>?x-adobe-flow-id=<id>`` (None without an inlet URL); the inlet URL is ``url`` when given, else the
    flow's own ``options.inletUrl``."""
    url = url or inlet_url(flow)
    if not url or not (flow or {}).get('id'):
        return None
    return '%s%sx-adobe-flow-id=%s' % (url, '&' if '?' in url else '?', flow['id'])


def run_summary(runs):
    """Record counts summed over ``runs`` (``metrics.recordSummary``) and ``errors``: the distinct record errors of
    the runs (``metrics.statusSummary.errors``, each ``{code, message, record_count}``), so that a record that failed
    mapping or validation (the inlet still answered 200) shows why."""
    totals = {'input_records': 0, 'output_records': 0, 'failed_records': 0, 'errors': []}
    seen = {}
    for run_doc in runs:
        status = ((run_doc or {}).get('metrics') or {}).get('statusSummary') or {}
        for error in status.get('errors') or []:
            if not isinstance(error, dict):
                continue
            key = (error.get('code'), error.get('message'))
            if key not in seen:
                seen[key] = {'code': error.get('code'), 'message': error.get('message'), 'record_count': 0}
                totals['errors'].append(seen[key])
            try:
                seen[key]['record_count'] += int(error.get('recordCount') or 0)
            except (TypeError, ValueError):
                pass
    keys = (('input_records', 'inputRecordCount'), ('output_records', 'outputRecordCount'),
            ('failed_records', 'failedRecordCount'))
    for run_doc in runs:
        summary = ((run_doc or {}).get('metrics') or {}).get('recordSummary') or {}
        for total, key in keys:
            try:
                totals[total] += int(summary.get(key) or 0)
            except (TypeError, ValueError):
                pass
    return totals


# ---------------------------------------------------------------------------------------------------
# Resource
# ---------------------------------------------------------------------------------------------------

class Flow(ConnectionResource):
    kind = 'flow'
    path = '/flows'
    # The mapping (``mapping_id``/``mapping_version``, the Mapping transformation) and ``enabled`` (a flow
    # action) are the flow's quirks, handled below.
    fields = flowservice_fields(
        Field('flow_spec_id', '/flowSpec/id', immutable=True, id_kind='uuid'),
        Field('flow_spec_version', '/flowSpec/version', immutable=True),
        Field('source_connection_ids', '/sourceConnectionIds', required=True, id_kind='uuid'),
        Field('target_connection_ids', '/targetConnectionIds', required=True, id_kind='uuid'),
    )

    def user_view(self, obj):
        view = super(Flow, self).user_view(obj)
        for key in ('source_connection_ids', 'target_connection_ids'):
            if key in view:
                view[key] = sorted(view[key])
        mapping_id, mapping_version = mapping_of(obj)
        if mapping_id is not None:
            view['mapping_id'] = mapping_id
            try:
                view['mapping_version'] = int(mapping_version)
            except (TypeError, ValueError):
                view['mapping_version'] = mapping_version
        enabled = is_enabled(obj)
        if enabled is not None:
            view['enabled'] = enabled
        return view

    def differences(self, current, desired):
        return flow_differences(current, desired)

    def patch_ops(self, current, desired, paths):
        return flow_patch(current, desired, paths)

    def predict_create(self, body):
        predicted = super(Flow, self).predict_create(body)
        predicted['state'] = 'enabled'
        return predicted

    def predict_update(self, current, desired):
        predicted = copy.deepcopy(current)
        for key, value in desired.items():
            if key == 'transformations':
                continue
            if isinstance(value, dict) and isinstance(predicted.get(key), dict):
                predicted[key] = dict(predicted[key], **value)
            else:
                predicted[key] = copy.deepcopy(value)
        if mapping_differs(current, desired):
            index = mapping_index(predicted)
            transformation = mapping_transformation(*mapping_of(desired))
            if index is None:
                predicted['transformations'] = list(predicted.get('transformations') or []) + [transformation]
            else:
                predicted['transformations'][index] = transformation
        return predicted

    def set_enabled(self, flow, enabled):
        """Enable or disable ``flow`` with the flow action; returns the flow as stored afterwards."""
        op = 'enable' if enabled else 'disable'
        try:
            self.client.post(FLOW_SERVICE, '%s/action' % self.item_path(self.object_id(flow)), params={'op': op})
        except ValidationError as err:
            # 1422: the flow is already in that state (changed meanwhile): nothing left to do.
            if '1422' not in str(err.code or ''):
                raise
        return self.get(self.object_id(flow)) or flow


# ---------------------------------------------------------------------------------------------------
# Validation (reads only; every problem is an InputError naming the option)
# ---------------------------------------------------------------------------------------------------

class Connection(namedtuple('Connection', 'id doc spec data')):
    """A flow's source or target connection as the checks see it: ``doc`` the stored object (None for a check-mode
    placeholder), ``spec`` the fingerprint of its connection spec, ``data`` the fingerprint of what a source sends
    (``source_data_fact``) or of a target's schema; ``spec``/``data`` of a placeholder are the facts it carries
    (None: unknown)."""

    def label(self):
        if self.doc is None:
            return '%s (predicted by an earlier check-mode task)' % self.id
        return '%s (%s)' % (self.id, self.doc.get('name'))


def _connection(client, path, object_id, option, what, check_mode):
    doc = check_reference(client, path, object_id, option, what, check_mode)
    if doc is None:
        return Connection(object_id, None, placeholder_fact(object_id, SPEC_FACT), placeholder_fact(object_id, DATA_FACT))
    if path == '/sourceConnections':
        data = source_data_fact(client, doc)
    else:
        data = fingerprint(((doc.get('data') or {}).get('schema') or {}).get('id'))
    return Connection(object_id, doc, spec_fingerprint((doc.get('connectionSpec') or {}).get('id')), data)


def check_connections(client, params, flow_spec, check_mode):
    """``(sources, targets)``: the flow's connections (``Connection``); InputError for anything missing, or a
    connection whose connection spec the flow spec does not accept (a check-mode placeholder: by the spec it carries)."""
    found = {}
    for option, path, what, allowed_key in (
            ('source_connection_ids', '/sourceConnections', 'source connection', 'sourceConnectionSpecIds'),
            ('target_connection_ids', '/targetConnections', 'target connection', 'targetConnectionSpecIds')):
        ids = params.get(option)
        found[option] = []
        if ids is None:
            continue
        if not ids:
            raise InputError('%s: a flow needs at least one %s' % (option, what), field=option)
        allowed = flow_spec.get(allowed_key)
        for object_id in ids:
            connection = _connection(client, path, object_id, option, what, check_mode)
            if allowed and connection.spec and connection.spec not in [spec_fingerprint(a) for a in allowed]:
                spec_id = (connection.doc or {}).get('connectionSpec', {}).get('id')
                raise InputError('%s: %s %s uses %s, which flow spec %s (%s) does not accept (it accepts %s)' % (
                    option, what, connection.label(), 'connection spec %s' % spec_id if spec_id else 'a connection spec',
                    flow_spec.get('id'), flow_spec.get('name'), ', '.join(allowed)), field=option)
            found[option].append(connection)
    return found['source_connection_ids'], found['target_connection_ids']


def output_schema_id(mapping_set):
    output = (mapping_set or {}).get('outputSchema') or {}
    return (output.get('schemaRef') or {}).get('id') or output.get('id') or (mapping_set or {}).get('xdmSchema')


def check_schema_match(mapping_id, schema_id, schema_fact, targets):
    """InputError when the mapping set's output schema (``schema_id``, or for a check-mode placeholder the
    ``schema_fact`` it carries) is known not to be the schema of a target connection."""
    schema_fact = fingerprint(schema_id) if schema_id else schema_fact
    for target in targets:
        if not schema_fact or not target.data or schema_fact == target.data:
            continue
        target_schema = ((target.doc or {}).get('data') or {}).get('schema', {}).get('id')
        if schema_id and target_schema:
            raise InputError('mapping_id: mapping set %s writes schema %s, but target connection %s (%s) uses %s; '
                             'AEP rejects such a flow' % (mapping_id, schema_id, target.id, target.doc.get('name'),
                                                          target_schema), field='mapping_id')
        raise InputError('mapping_id: mapping set %s writes %s, but target connection %s uses another schema (as '
                         'earlier check-mode tasks predicted them); AEP rejects such a flow. Make the mapping set '
                         '(schema_id) and the target\'s dataset use the same schema'
                         % (mapping_id, 'schema %s' % schema_id if schema_id else 'a schema', target.label()),
                         field='mapping_id')


def check_mapping(client, params, targets, check_mode):
    """The mapping version to use (None when no mapping is set); InputError when the mapping set or the
    version does not exist, or its output schema is not the schema of a target connection (``check_schema_match``,
    also for check-mode placeholders by the facts they carry)."""
    mapping_id = params.get('mapping_id')
    if mapping_id is None:
        return None
    validate_id(mapping_id, 'dataprep', 'mapping_id')
    version = params.get('mapping_version')
    if version is not None and version < 0:
        raise InputError('mapping_version: must be 0 or more, got %s' % version, field='mapping_version')
    if is_placeholder(mapping_id):
        if not check_mode:
            raise InputError('mapping_id: %r is a check-mode placeholder id, not a real mapping set' % mapping_id,
                             field='mapping_id')
        check_schema_match(mapping_id, None, placeholder_fact(mapping_id, 0), targets)
        return version if version is not None else 0
    latest = client.get_or_none(DATA_PREP, '/mappingSets/%s' % mapping_id)
    if not isinstance(latest, dict) or not latest:
        raise InputError('mapping_id: no mapping set with id %r exists in sandbox %r' % (mapping_id, client.sandbox),
                         field='mapping_id')
    mapping_set = latest
    if check_mode and params.get('mapping_version_predicted') and version == int(latest.get('version') or 0) + 1:
        # The version an earlier check-mode mapping_set task predicted (its result's version_predicted): the real run
        # makes it right before this task. Without that marker, an unborn version fails as in the real run.
        return version
    if version is not None and str(version) != str(latest.get('version')):
        try:
            mapping_set = client.get(DATA_PREP, '/mappingSets/%s' % mapping_id, params={'version': version})
        except (NotFoundError, ValidationError):
            mapping_set = None
        if not isinstance(mapping_set, dict) or not mapping_set:
            raise InputError('mapping_version: mapping set %s has no version %s (latest is %s)' % (
                mapping_id, version, latest.get('version')), field='mapping_version')
    check_schema_match(mapping_id, output_schema_id(mapping_set), None, targets)
    return version if version is not None else latest.get('version', 0)


def warn_unknown_facts(warn, params, sources, targets):
    """Check mode: a placeholder id that carries no facts (all zeros: typed by hand, or from a task of another
    collection) leaves the flow's checks on it undone; say which, as the real run makes them."""
    for option, connections in (('source_connection_ids', sources), ('target_connection_ids', targets)):
        for connection in connections:
            if connection.doc is None and connection.spec is None:
                warn('%s: %s is a check-mode placeholder id that carries no connection spec, so check mode did not check '
                     'that the flow spec accepts it (the real run does)' % (option, connection.id))
            elif connection.doc is None and connection.data is None and option == 'target_connection_ids' \
                    and params.get('mapping_id'):
                warn('target_connection_ids: %s is a check-mode placeholder id that carries no schema, so check mode did '
                     'not check that mapping set %s writes its schema (the real run does)' % (connection.id, params['mapping_id']))
    mapping_id = params.get('mapping_id')
    if mapping_id and is_placeholder(mapping_id) and placeholder_fact(mapping_id, 0) is None:
        warn('mapping_id: %s is a check-mode placeholder id that carries no output schema, so check mode did not check '
             'that it writes the schema of the target connection (the real run does)' % mapping_id)


def is_streaming(flow_spec):
    """A streaming flow spec (``attributes.frequency: streaming``; GenericStreamingAEP is one)."""
    return flow_spec.get('id') == GENERIC_STREAMING_SPEC or (flow_spec.get('attributes') or {}).get('frequency') == 'streaming'


def check_raw_sources(params, flow_spec, sources, current):
    """InputError when the flow will have no mapping but a source sends raw (non-XDM) JSON: a webhook source (no
    base connection) on a streaming flow spec, or an HTTP API source whose base connection has ``dataType: raw``.
    AEP stores a flow's data as XDM, so such data needs a Mapping transformation (API-FACTS section 3:
    ``transformations`` is required when the payload is not XDM). A source known to send XDM, or of unknown kind,
    passes. Check mode checks a placeholder source by the fact it carries."""
    if params.get('mapping_id') or mapping_of(current)[0]:
        return
    for source in sources:
        if source.data == fingerprint(RAW):
            reason = 'its base connection has dataType raw'
        elif source.data == fingerprint(NO_BASE) and is_streaming(flow_spec):
            reason = 'it is a webhook source: the sender posts its own JSON'
        else:
            continue
        fix = 'give mapping_id (and mapping_version) of a mapping set (aep.platform.mapping_set) that maps it to the schema ' \
              'of the target dataset'
        if 'mapping' not in [str(t.get('name', '')).lower() for t in flow_spec.get('transformationSpecs') or [] if isinstance(t, dict)] \
                and flow_spec.get('transformationSpecs') is not None:
            fix += ', and a flow spec that accepts a Mapping (flow_spec_id; HTTP API: %s)' % HTTP_API_MAPPING_SPEC
        raise InputError('mapping_id: source connection %s sends raw (non-XDM) data (%s), and a flow without a mapping '
                         'cannot store it (AEP refuses the flow); %s' % (source.label(), reason, fix), field='mapping_id')


def desired_body(params, mapping_version):
    """The field table's body plus the Mapping transformation."""
    body = Flow.fields.body(params)
    if params.get('mapping_id'):
        body['transformations'] = [mapping_transformation(params['mapping_id'], mapping_version)]
    return body


# ---------------------------------------------------------------------------------------------------
# Module logic
# ---------------------------------------------------------------------------------------------------

def flow_urls(client, flow, cache=None):
    """``(inlet_url, webhook_url)`` of ``flow``: its own inlet, or its base connection's for an HTTP API source (one
    GET, see ``base_connection.flow_inlet``); both None for a flow predicted in check mode."""
    if not flow or is_placeholder(flow.get('id')):
        return inlet_url(flow), None
    url = (flow_inlet(client, flow, cache) or {}).get('inlet_url')
    return url, webhook_url(flow, url)


def with_urls(result, flow, client):
    result['inlet_url'], result['webhook_url'] = flow_urls(client, flow)
    return result


def run(params, client, check_mode):
    resource = require_identity(Flow(client), params, check_mode)
    if params['state'] == 'absent':
        # nothing uses a dataflow; with remove_with, nothing outside the removal uses what later tasks remove
        preflight.check_absent(client, 'flow', resource.find(identity=params.get('name'), object_id=params.get('id')),
                               params, check_mode)
        return absent(resource, params, check_mode)
    resource.fields.check(params)
    validate_id(params.get('mapping_id'), 'dataprep', 'mapping_id')
    current = find_selected(resource, params)
    if current is not None and params.get('mapping_version') is None and mapping_of(current)[0] == params.get('mapping_id'):
        known_version = mapping_of(current)[1]  # same mapping set, no version asked: keep the flow's version
    else:
        known_version = params.get('mapping_version')
    if in_sync(resource, current, desired_body(params, known_version)) and (
            params.get('mapping_id') is None or known_version is not None):
        # Converged: the specs, connections and mapping set were checked when the flow was written.
        return finish_flow(resource, params, check_mode,
                           ensure(resource, desired_body(params, known_version), params, check_mode,
                                  immutable=('/flowSpec',)))
    flow_spec = check_spec(client, 'flowSpecs', params['flow_spec_id'], 'flow_spec_id')
    if current is not None and not params.get('recreate'):
        have = current.get('flowSpec') or {}
        if have.get('id') != params['flow_spec_id'] or not same(have.get('version'), params['flow_spec_version']):
            raise InputError('flow_spec_id: flow %s (%s) uses flow spec %s version %s, which AEP cannot change; set '
                             'recreate=true to delete the flow and create a new one (new id and webhook URL)'
                             % (current.get('id'), current.get('name'), have.get('id'), have.get('version')),
                             field='flow_spec_id')
    sources, targets = check_connections(client, params, flow_spec, check_mode)
    if not targets and current is not None and params.get('mapping_id'):
        targets = [_connection(client, '/targetConnections', tid, 'target_connection_ids', 'target connection', check_mode)
                   for tid in current.get('targetConnectionIds') or []]
    mapping_version = check_mapping(client, params, targets, check_mode)
    if not sources and current is not None:
        sources = [_connection(client, '/sourceConnections', sid, 'source_connection_ids', 'source connection', check_mode)
                   for sid in current.get('sourceConnectionIds') or []]
    check_raw_sources(params, flow_spec, sources, current)
    if check_mode:
        warn_unknown_facts(resource.warn, params, sources, targets)
    if params.get('mapping_version') is None and known_version is not None:
        mapping_version = known_version
    result = ensure(resource, desired_body(params, mapping_version), params, check_mode, immutable=('/flowSpec',))
    return finish_flow(resource, params, check_mode, result)


def finish_flow(resource, params, check_mode, result):
    """``enabled`` applied (a separate flow action), and the inlet and webhook URLs from the flow at hand."""
    flow = result.get('flow') or {}
    if params.get('enabled') is not None and is_enabled(flow) is not params['enabled']:
        if check_mode:
            flow = dict(flow, state='enabled' if params['enabled'] else 'disabled')
        else:
            flow = resource.set_enabled(flow, params['enabled'])
        result.update(changed=True, flow=resource.result_view(flow), etag=resource.etag(flow))
        result['diff']['after'] = resource.diff_view(flow)
    return with_urls(result, flow, resource.client)


def run_info(params, client, check_mode):
    bases = {}  # base connection id -> its inlet: one GET per base connection, however many flows share it

    def view(flow):
        url, webhook = flow_urls(client, flow, bases)
        return dict(flow, inlet_url=url, webhook_url=webhook)

    result = info(Flow(client), params, 'flows', view=view)
    if result['count'] == 1:
        only = result['flows'][0]
        result.update(flow=only, id=only.get('id'), inlet_url=only['inlet_url'], webhook_url=only['webhook_url'])
    return result


def resolve_flow_id(params, client):
    if params.get('flow_id'):
        validate_id(params['flow_id'], 'uuid', 'flow_id')
        if Flow(client).get(params['flow_id']) is None:
            raise InputError('flow_id: no flow with id %r exists in sandbox %r' % (params['flow_id'], client.sandbox),
                             field='flow_id')
        return params['flow_id']
    flow = Flow(client).find(identity=params['flow_name'])
    if flow is None:
        raise InputError('flow_name: no flow named %r exists in sandbox %r' % (params['flow_name'], client.sandbox),
                         field='flow_name')
    return flow['id']


def list_runs(client, flow_id):
    return client.list(FLOW_SERVICE, '/runs', params={'property': 'flowId==%s' % flow_id})


def run_runs_info(params, client, check_mode, clock=time.time):
    """Runs of a flow with summed record counts; optionally wait for ``min_runs`` runs."""
    for option in ('min_runs', 'wait_timeout', 'wait_sleep'):
        if params[option] < (1 if option == 'min_runs' else 0):
            raise InputError('%s: must not be negative (got %s)' % (option, params[option]), field=option)
    flow_id = resolve_flow_id(params, client)
    started = clock()
    waited = 0.0
    runs = list_runs(client, flow_id)
    while params['wait_for_run'] and len(runs) < params['min_runs']:
        elapsed = max(clock() - started, waited)
        if elapsed >= params['wait_timeout']:
            raise InputError('wait_timeout: flow %s has %d run(s) after %d seconds, expected at least %d' % (
                flow_id, len(runs), params['wait_timeout'], params['min_runs']), field='wait_timeout')
        pause = max(0, min(params['wait_sleep'], params['wait_timeout'] - elapsed))
        client.sleep(pause)
        waited += pause or 1
        runs = list_runs(client, flow_id)
    result = dict(changed=False, flow_id=flow_id, runs=runs, count=len(runs),
                  duration=round(max(clock() - started, 0.0), 3))
    result.update(run_summary(runs))
    return result


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS)
INFO_DEFINITION = ModuleDefinition(INFO_ARGUMENT_SPEC, run_info, INFO_KWARGS)
RUN_INFO_DEFINITION = ModuleDefinition(RUN_INFO_ARGUMENT_SPEC, run_runs_info, RUN_INFO_KWARGS)
