# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``connection_spec_info`` and ``flow_spec_info`` modules (Flow Service ``/connectionSpecs``,
``/flowSpecs``): the spec catalogue a preset author reads.

Besides the specs as AEP returns them (``spec``), every entry carries a summary of what a preset needs:

* connection spec: ``id``, ``name``, ``version``, ``provider_id``, ``category``, ``is_source``, ``is_target``,
  ``needs_base_connection`` (AEP's rule: the spec's ``authSpec`` has entries; the HTTP API guide's
  "Streaming Connection"), ``auth_spec_names`` and ``flow_spec_ids`` (the flow specs whose
  ``sourceConnectionSpecIds`` hold it, from ``GET /flowSpecs?property=sourceConnectionSpecIds[]==<id>``);
* flow spec: ``id``, ``name``, ``version``, ``source_connection_spec_ids``, ``target_connection_spec_ids``,
  ``transformation_names`` and ``supports_mapping`` (a transformation spec named ``Mapping``).

Source of the rules: the Flow Service API reference and the HTTP API streaming guide ("to create a dataflow with
transformations, you must use" flow spec ``c1a19761-...``); ``emulator/README.md`` lists which ids are verified.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import tempfile
import time

from ansible_collections.aep.platform.plugins.module_utils.client import FLOW_SERVICE, NotFoundError
from ansible_collections.aep.platform.plugins.module_utils.engine import check_name, filter_safe, validate_id
from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.token_cache import cache_dir

# Specs are catalogue data that AEP changes rarely: with ``cache: true`` a spec read by id is kept this many seconds
# in the per-user cache directory (the token cache's), so a converged rollout reads no spec again.
CACHE_TTL = 24 * 3600

CONNECTION_ARGUMENT_SPEC = dict(
    id=dict(type='str'),
    name=dict(type='str'),
    with_flow_specs=dict(type='bool', default=True),
    cache=dict(type='bool', default=False),
)
FLOW_ARGUMENT_SPEC = dict(
    id=dict(type='str'),
    name=dict(type='str'),
    source_connection_spec_id=dict(type='str'),
    cache=dict(type='bool', default=False),
)
KWARGS = dict(mutually_exclusive=[('id', 'name')])
FLOW_KWARGS = dict(mutually_exclusive=[('id', 'name', 'source_connection_spec_id')])


def _list(client, kind, params=None):
    return [s for s in client.list(FLOW_SERVICE, '/' + kind, params=params) if isinstance(s, dict)]


def _by_id(client, kind, spec_id):
    try:
        body = client.get(FLOW_SERVICE, '/%s/%s' % (kind, spec_id))
    except NotFoundError:
        return []
    items = body.get('items') if isinstance(body, dict) and 'items' in body else [body]
    return [s for s in items or [] if isinstance(s, dict)]


def _cache_path(client, kind, spec_id):
    directory = cache_dir()
    if not directory:
        return None
    key = hashlib.sha256(('%s|%s|%s' % (client.platform_url, kind, spec_id)).encode('utf-8')).hexdigest()[:40]
    return os.path.join(directory, 'spec-%s.json' % key)


def cached_by_id(client, kind, spec_id, clock=time.time):
    """``_by_id`` through the cache (see ``CACHE_TTL``); only found specs are kept, so an unknown id is asked again."""
    path = _cache_path(client, kind, spec_id)
    if path:
        try:
            if clock() - os.stat(path).st_mtime < CACHE_TTL:
                with open(path) as handle:
                    return json.load(handle)
        except (OSError, ValueError):
            pass
    found = _by_id(client, kind, spec_id)
    if path and found:
        try:
            handle, temp = tempfile.mkstemp(dir=os.path.dirname(path), prefix='.spec-')
            with os.fdopen(handle, 'w') as out:
                json.dump(found, out)
            os.replace(temp, path)
        except (OSError, ValueError):
            pass
    return found


def _find(client, kind, params):
    """The specs of ``kind`` with ``params['id']``, exactly ``params['name']``, or all of them."""
    if params.get('id'):
        validate_id(params['id'], 'uuid', 'id')
        if params.get('cache'):
            return cached_by_id(client, kind, params['id'])
        return _by_id(client, kind, params['id'])
    if params.get('name') is not None:
        check_name(params['name'], 'name', 'spec')
        # A name the filter grammar would read as syntax (``~``, ``,``, quotes ...) is found in the complete listing.
        query = {'property': 'name==%s' % params['name']} if filter_safe(params['name']) else None
        found = _list(client, kind, query)
        return [s for s in found if s.get('name') == params['name']]
    return _list(client, kind)


def flow_spec_summary(spec):
    """What a preset needs from a flow spec (see the module docstring)."""
    names = [t.get('name') for t in spec.get('transformationSpecs') or [] if isinstance(t, dict)]
    return {
        'id': spec.get('id'),
        'name': spec.get('name'),
        'version': spec.get('version'),
        'source_connection_spec_ids': list(spec.get('sourceConnectionSpecIds') or []),
        'target_connection_spec_ids': list(spec.get('targetConnectionSpecIds') or []),
        'transformation_names': names,
        'supports_mapping': 'Mapping' in names,
        'spec': spec,
    }


def connection_spec_summary(spec, flow_specs=None):
    """What a preset needs from a connection spec; ``flow_specs`` (summaries) give ``flow_spec_ids``."""
    attributes = spec.get('attributes') or {}
    auth = [a for a in spec.get('authSpec') or [] if isinstance(a, dict)]
    result = {
        'id': spec.get('id'),
        'name': spec.get('name'),
        'version': spec.get('version'),
        'provider_id': spec.get('providerId'),
        'category': attributes.get('category'),
        'is_source': bool(attributes.get('isSource') or 'sourceSpec' in spec),
        'is_target': bool(attributes.get('isDestination') or 'targetSpec' in spec),
        'needs_base_connection': bool(auth),
        'auth_spec_names': [a.get('name') for a in auth],
        'spec': spec,
    }
    if flow_specs is not None:
        result['flow_spec_ids'] = [f['id'] for f in flow_specs if spec.get('id') in f['source_connection_spec_ids']]
    return result


def run_connection_specs(params, client, check_mode):
    specs = _find(client, 'connectionSpecs', params)
    flows = [flow_spec_summary(f) for f in _list(client, 'flowSpecs')] if params['with_flow_specs'] and specs else None
    result = [connection_spec_summary(s, flows) for s in specs]
    return {'changed': False, 'connection_specs': result, 'count': len(result)}


def run_flow_specs(params, client, check_mode):
    source = params.get('source_connection_spec_id')
    if source:
        validate_id(source, 'uuid', 'source_connection_spec_id')
        specs = [s for s in _list(client, 'flowSpecs', {'property': 'sourceConnectionSpecIds[]==%s' % source})
                 if source in (s.get('sourceConnectionSpecIds') or [])]
    else:
        specs = _find(client, 'flowSpecs', params)
    result = [flow_spec_summary(s) for s in specs]
    return {'changed': False, 'flow_specs': result, 'count': len(result)}


CONNECTION_DEFINITION = ModuleDefinition(CONNECTION_ARGUMENT_SPEC, run_connection_specs, KWARGS)
FLOW_DEFINITION = ModuleDefinition(FLOW_ARGUMENT_SPEC, run_flow_specs, FLOW_KWARGS)
