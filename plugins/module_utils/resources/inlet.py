# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``inlet_post`` module: post one event to a dataflow's streaming inlet and report when it landed.

The inlet comes from the flow (``options.inletUrl`` of a webhook source) or, for HTTP API sources, from the base
connection the flow's source connection uses (``auth.params.inletUrl``; HTTP API guide). A base connection with
``authenticationRequired: true`` needs ``Authorization: Bearer <IMS access token>`` on every post: the module sends
the token the connection settings give. XDM flows take a streaming message, so ``xdm_schema_id`` wraps the body
(the xdmEntity) in ``{header: {schemaRef, flowId}, body: {xdmMeta: {schemaRef}, xdmEntity}}``.

Landing: on the bundled emulator (``GET /_emulator/health`` answers 200) the dataset's records are read through its
hook until one holds ``marker`` at ``marker_path``; on AEP the flow's runs are polled until one exists (AEP reports
runs, not records, and can take up to about an hour).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import time
import uuid

from ansible_collections.aep.platform.plugins.module_utils.client import FLOW_SERVICE, AepError
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError, validate_id
from ansible_collections.aep.platform.plugins.module_utils.resources.base_connection import flow_inlet
from ansible_collections.aep.platform.plugins.module_utils.resources.flow import list_runs
from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition

XDM_CONTENT_TYPE = 'application/vnd.adobe.xed-full+json;version=1'

ARGUMENT_SPEC = dict(
    flow_id=dict(type='str', required=True),
    body=dict(type='dict', required=True),
    xdm_schema_id=dict(type='str'),
    url=dict(type='str'),
    dataset_id=dict(type='str'),
    marker_path=dict(type='str'),
    marker=dict(type='str'),
    marker_source=dict(type='str'),
    wait_timeout=dict(type='int', default=120),
    wait_sleep=dict(type='float', default=1.0),
)
KWARGS = dict(required_together=[('dataset_id', 'marker_path')])


def _first(items):
    return items[0] if isinstance(items, list) and items else None


def _one(body):
    if isinstance(body, dict) and isinstance(body.get('items'), list):
        return _first(body['items']) or {}
    return body or {}


def resolve_inlet(client, flow_id):
    """``(flow, inlet_url, authentication_required)`` of a dataflow (see the module docstring)."""
    flow = _one(client.get_or_none(FLOW_SERVICE, '/flows/%s' % flow_id))
    if not flow:
        raise InputError('flow_id: no dataflow %s in sandbox %r' % (flow_id, client.sandbox), field='flow_id')
    inlet = flow_inlet(client, flow)
    if inlet:
        return flow, inlet['inlet_url'], inlet['authentication_required']
    raise InputError('flow_id: dataflow %s has no streaming inlet (neither options.inletUrl nor a base connection with '
                     'auth.params.inletUrl)' % flow_id, field='flow_id')


def message(body, schema_id, flow_id):
    """The XDM streaming message for the xdmEntity ``body`` (streaming ingestion spec, streamingMessage)."""
    ref = {'id': schema_id, 'contentType': XDM_CONTENT_TYPE}
    return {'header': {'schemaRef': dict(ref), 'flowId': flow_id}, 'body': {'xdmMeta': {'schemaRef': dict(ref)}, 'xdmEntity': body}}


def set_path(data, path, value):
    """Set the dotted ``path`` of ``data`` to ``value`` (InputError naming marker_source when it is not a path of it)."""
    parts = path.split('.')
    for part in parts[:-1]:
        if not isinstance(data.get(part), dict):
            raise InputError('marker_source: %r is not a path of body' % path, field='marker_source')
        data = data[part]
    data[parts[-1]] = value


def _get(data, path):
    for part in path.split('.'):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _is_emulator(client):
    try:
        response = client.session.get(client.platform_url + '/_emulator/health', timeout=client.timeout, verify=client.verify)
    except Exception:  # pylint: disable=broad-except  # any failure means "not the emulator"
        return False
    return response.status_code == 200


def _emulator_record(client, params):
    response = client.session.get('%s/_emulator/datasets/%s/records' % (client.platform_url, params['dataset_id']),
                                  params={'sandbox': client.sandbox}, timeout=client.timeout, verify=client.verify)
    if response.status_code != 200:
        return None
    records = (response.json() or {}).get('records') or []
    return _first([r for r in records if _get(r, params['marker_path']) == params['marker']])


def run(params, client, check_mode, clock=time.time):
    validate_id(params['flow_id'], 'uuid', 'flow_id')
    for option in ('wait_timeout', 'wait_sleep'):
        if params[option] < 0:
            raise InputError('%s: must not be negative (got %s)' % (option, params[option]), field=option)
    flow, inlet, authenticated = resolve_inlet(client, params['flow_id'])
    url = params.get('url') or '%s?x-adobe-flow-id=%s' % (inlet, params['flow_id'])
    event = copy.deepcopy(params['body'])
    marker = params.get('marker')
    if params.get('marker_source'):
        marker = marker or str(uuid.uuid4())
        set_path(event, params['marker_source'], marker)
    params = dict(params, marker=marker)
    body = message(event, params['xdm_schema_id'], params['flow_id']) if params.get('xdm_schema_id') else event
    result = {'changed': False, 'url': url, 'authenticated': authenticated, 'posted': False, 'landed': False,
              'verified_by': None, 'seconds_to_land': None, 'marker': marker}
    if check_mode:
        result['msg'] = 'check mode: nothing posted'
        return result
    headers = {'Content-Type': 'application/json', 'x-adobe-flow-id': params['flow_id']}
    if authenticated:
        headers['Authorization'] = 'Bearer %s' % client.access_token
    started = clock()
    try:
        response = client.session.post(url, json=body, headers=headers, timeout=client.timeout, verify=client.verify)
    except Exception as err:  # pylint: disable=broad-except  # a transport error, reported without a traceback
        raise AepError('posting to the inlet failed: %s' % client.redact(str(err)), method='POST', url=url)
    try:
        answer = response.json()
    except ValueError:
        answer = {'text': response.text[:500]}
    result.update(changed=True, posted=True, status=response.status_code, response=answer)
    if response.status_code not in (200, 201, 202):
        raise AepError('the inlet refused the event: HTTP %s %s' % (response.status_code, answer), status=response.status_code,
                       method='POST', url=url)
    if not params['wait_timeout']:
        return result
    emulator = params.get('dataset_id') and marker and _is_emulator(client)
    result['verified_by'] = 'emulator dataset records' if emulator else 'flow runs'
    while True:
        if emulator:
            record = _emulator_record(client, params)
            if record is not None:
                result['record'] = record
                break
        elif list_runs(client, params['flow_id']):
            break
        if clock() - started >= params['wait_timeout']:
            raise InputError('wait_timeout: the event posted to flow %s did not land within %s seconds (checked: %s)'
                             % (params['flow_id'], params['wait_timeout'], result['verified_by']), field='wait_timeout')
        client.sleep(params['wait_sleep'])
    result.update(landed=True, seconds_to_land=round(max(clock() - started, 0.0), 3))
    return result


DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, KWARGS)
