# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the Flow Service connection and flow modules.

* ``ConnectionResource``: a ``FlowServiceResource`` whose name search also works for names with a comma
  (the ``property`` filter treats a comma as OR) and whose diff is shown in the module's option names.
* spec checks (``connection_spec``/``flow_spec``) that turn an unknown id into an ``InputError``.
* ``ensure``: ``engine.ensure_present`` plus fields AEP cannot change (``recreate`` or a clear error).
* ``flowservice_options``/``flowservice_fields``: the options and fields every Flow Service object has (``name``,
  ``id``, ``description``; a connection also its connection spec), declared once here and documented once by
  the ``aep.platform.state.identity``, ``aep.platform.flowservice`` and ``.flowservice.recreate`` doc fragments.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.client import FLOW_SERVICE, NotFoundError
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    Field,
    FieldTable,
    FlowServiceResource,
    InputError,
    build_result,
    drop_none,
    ensure_absent,
    ensure_present,
    find_selected,
    fingerprint,
    get_pointer,
    in_sync,
    is_placeholder,
    placeholder_fact,
    prepare,
    state_options,
    validate_id,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import preflight

# Every Flow Service state module is selected by name or by id (doc fragment ``aep.platform.state.identity``).
MODULE_KWARGS = dict(required_one_of=[('name', 'id')])


def flowservice_options(options, connection_spec_id=None):
    """The argument spec of a Flow Service state module: ``state``/``on_duplicates``, ``name``, ``id`` and
    ``description``, then the module's own ``options``. With ``connection_spec_id`` (``True`` for no default,
    else the default id) a connection's ``connection_spec_id`` and ``connection_spec_version`` too."""
    spec = {}
    if connection_spec_id is not None:
        spec['connection_spec_id'] = dict(type='str')
        if connection_spec_id is not True:
            spec['connection_spec_id']['default'] = connection_spec_id
        spec['connection_spec_version'] = dict(type='str', default='1.0')
    spec.update(options)
    return state_options(spec, identity='name', description=True)


def flowservice_fields(*fields, **kwargs):
    """The field table of a Flow Service object: ``name`` and ``description``, with
    ``connection_spec=dict(required=...)`` the connection spec (immutable), then the object's own ``fields``."""
    connection_spec = kwargs.get('connection_spec')
    common = [Field('name', '/name'), Field('description', '/description')]
    if connection_spec:
        common += [
            Field('connection_spec_id', '/connectionSpec/id', immutable=True, required=connection_spec['required'], id_kind='uuid'),
            Field('connection_spec_version', '/connectionSpec/version', immutable=True, requires='connection_spec_id'),
        ]
    return FieldTable(*(common + list(fields)))


# Slots of the facts a check-mode placeholder id of a connection carries (``engine.placeholder_with``).
SPEC_FACT = 0  # its connection spec id
DATA_FACT = 1  # base connection: auth.params.dataType; source connection: source_data_type; target: its schema


class ConnectionResource(FlowServiceResource):
    """A Flow Service object declared by its field table (``fields``); the diff is in option names."""

    fields = FieldTable()

    def placeholder_facts(self, body):
        """A connection's placeholder carries its connection spec (``SPEC_FACT``) and, for a base connection, its
        ``auth.params.dataType`` (``DATA_FACT``), so that later check-mode tasks can check them."""
        return [spec_fingerprint(get_pointer(body, '/connectionSpec/id')), fingerprint(get_pointer(body, '/auth/params/dataType'))]


def spec_fingerprint(spec_id):
    """``engine.fingerprint`` of a connection or flow spec id (ids compare case-insensitively)."""
    return fingerprint(spec_id.lower() if isinstance(spec_id, str) else spec_id)


def check_spec(client, kind, spec_id, field, role=None):
    """The connection or flow spec ``spec_id`` (``kind`` is ``connectionSpecs`` or ``flowSpecs``).

    Raises ``InputError`` naming ``field`` when the id is malformed or unknown, or when the spec has no
    ``role`` section (``sourceSpec``/``targetSpec``: a target spec cannot make a source connection).
    """
    validate_id(spec_id, 'uuid', field)
    word = 'connection spec' if kind == 'connectionSpecs' else 'flow spec'
    try:
        body = client.get(FLOW_SERVICE, '/%s/%s' % (kind, spec_id))
    except NotFoundError:
        raise InputError('%s: unknown %s %r; check the id in the source\'s documentation (GET /%s lists them)'
                         % (field, word, spec_id, kind), field=field)
    items = body.get('items') if isinstance(body, dict) else None
    spec = items[0] if items else body
    if role and isinstance(spec, dict) and role not in spec:
        raise InputError('%s: %s %r (%s) has no %s, so it cannot be used here' % (
            field, word, spec_id, spec.get('name'), role), field=field)
    return spec or {}


def check_reference(client, path, object_id, field, what, check_mode, kind='uuid'):
    """The Flow Service object at ``path/object_id``, or ``InputError`` naming ``field`` when it is missing.

    In check mode a placeholder id (from an earlier check-mode create) is accepted and None returned: the facts
    it carries (``placeholder_fact``, slots ``SPEC_FACT``/``DATA_FACT``) stand for the object in the checks.
    """
    validate_id(object_id, kind, field)
    if is_placeholder(object_id):
        if check_mode:
            return None
        raise InputError('%s: %r is a check-mode placeholder id, not a real %s' % (field, object_id, what),
                         field=field)
    body = client.get_or_none(FLOW_SERVICE, '%s/%s' % (path, object_id))
    items = body.get('items') if isinstance(body, dict) else None
    if not items:
        raise InputError('%s: no %s with id %r exists in sandbox %r' % (field, what, object_id, client.sandbox),
                         field=field)
    return items[0]


RAW, XDM, NO_BASE = 'raw', 'xdm', 'no base connection'  # what a source connection sends (``source_data_fact``)


def source_data_fact(client, source):
    """The fingerprint (``engine.fingerprint``) of what a source connection (a body or a stored object) sends:
    ``RAW``/``XDM``, its base connection's ``auth.params.dataType`` (HTTP API; a placeholder base connection's
    ``DATA_FACT``), or ``NO_BASE`` for a source without a base connection (a webhook source on a streaming flow
    spec sends the third party's own JSON); None when unknown. Reads the base connection (one GET)."""
    base_id = (source or {}).get('baseConnectionId')
    if not base_id:
        return fingerprint(NO_BASE)
    if is_placeholder(base_id):
        return placeholder_fact(base_id, DATA_FACT)
    body = client.get_or_none(FLOW_SERVICE, '/connections/%s' % base_id)
    items = body.get('items') if isinstance(body, dict) else None
    data_type = get_pointer(items[0], '/auth/params/dataType') if items else None
    return fingerprint(data_type) if data_type in (RAW, XDM) else None


def require_identity(resource, params, check_mode):
    """``resource`` prepared for this run (see ``engine.prepare``); name or id is required."""
    if params.get('name') is None and not params.get('id'):
        raise InputError('name or id is required', field='name')
    return prepare(resource, params, check_mode)


def immutable_changes(resource, current, desired, prefixes):
    """Paths under ``prefixes`` where ``desired`` differs from ``current`` (fields AEP cannot patch)."""
    return [p for p in resource.differences(current, desired)
            if any(p == prefix or p.startswith(prefix + '/') for prefix in prefixes)]


def ensure(resource, desired, params, check_mode, immutable=()):
    """``ensure_present`` for a Flow Service object, handling fields AEP cannot change.

    When a field under ``immutable`` differs, fail with a message naming it, or with ``params['recreate']``
    delete the object and create it again (check mode: predict the new object).
    """
    desired = drop_none(desired)
    current = resource.find(identity=desired.get(resource.identity), object_id=params.get('id'))
    if current is not None and immutable:
        blocked = immutable_changes(resource, current, desired, immutable)
        if blocked:
            names = ', '.join(sorted(set(resource.fields.option_for(p) for p in blocked)))
            if not params.get('recreate'):
                raise InputError(
                    '%s %s (%s) cannot change %s in AEP; set recreate=true to delete it and create a new one, '
                    'or remove the %s first' % (resource.kind, resource.object_id(current), current.get('name'),
                                                names, resource.kind), field=names.split(',', maxsplit=1)[0])
            if check_mode:
                return build_result(resource, True, current, resource.predict_create(desired))
            resource.delete(current)
            return build_result(resource, True, current, resource.create_once(desired))
    return ensure_present(resource, desired, check_mode, object_id=params.get('id'))


def absent(resource, params, check_mode):
    return ensure_absent(resource, check_mode, identity=params.get('name'), object_id=params.get('id'))


def run_connection(resource, params, check_mode, body, check=None):
    """The run of a Flow Service connection module, the same for every kind: ``require_identity`` (name or id,
    the input checks of ``prepare``), then ``absent``, or: find once (``find_selected``: "id: no ...", "... is
    required to create ..."), the desired API body ``body(current)``, the kind's checks that need reads
    ``check(current)`` (returning a corrected body, or None) only when the object will be created or changed
    (``in_sync``), and ``ensure`` with the kind's immutable fields."""
    require_identity(resource, params, check_mode)
    if params['state'] == 'absent':
        # AEP refuses to delete a connection a dataflow uses (FLOW-1447/1418): say which, before any write
        preflight.check_absent(resource.client, resource.kind,
                               resource.find(identity=params.get('name'), object_id=params.get('id')), params, check_mode)
        return absent(resource, params, check_mode)
    current = find_selected(resource, params)
    desired = body(current)
    if check is not None and not in_sync(resource, current, desired):
        desired = check(current) or desired
    return ensure(resource, desired, params, check_mode, immutable=resource.fields.immutable())
