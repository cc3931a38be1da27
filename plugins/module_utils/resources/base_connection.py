# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``base_connection`` and ``base_connection_info`` modules (``/connections``).

Credentials (``auth.params``) are write-only: AEP does not return them in a usable form, so they are
never compared. ``update_auth: on_create`` sends them only on create; ``always`` replaces them on every
run (``changed`` every time). They never appear in the result or the diff.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    InputError,
    info_definition,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import preflight
from ansible_collections.aep.platform.plugins.module_utils.resources.flowservice_common import (
    MODULE_KWARGS,
    ConnectionResource,
    check_spec,
    flowservice_fields,
    flowservice_options,
    run_connection,
)

HIDDEN = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
# Parameters AEP sets itself on a streaming base connection (HTTP API guide: the inlet a webhook posts to, and whether
# posts need a token). They are addresses, not credentials, so they are shown.
PLATFORM_PARAMS = ('inletId', 'inletUrl', 'authenticationRequired')

ARGUMENT_SPEC = flowservice_options(dict(
    auth=dict(type='dict', no_log=True, options=dict(
        spec_name=dict(type='str', required=True, aliases=['specName']),
        params=dict(type='dict', required=True, no_log=True),
    )),
    update_auth=dict(type='str', choices=['always', 'on_create'], default='on_create'),
), connection_spec_id=True)


def masked_auth(auth):
    """``auth`` with every credential value replaced: only ``specName``, the parameter names and the values of
    ``PLATFORM_PARAMS`` (set by AEP, not secret) remain."""
    if not isinstance(auth, dict):
        return auth
    result = dict((k, v) for k, v in auth.items() if k != 'params')
    if isinstance(auth.get('params'), dict):
        result['params'] = dict((k, v if k in PLATFORM_PARAMS else HIDDEN) for k, v in auth['params'].items())
    return result


def inlet_of(obj):
    """``{inlet_url, inlet_id, authentication_required}`` of a streaming base connection (None when it has no inlet)."""
    params = ((obj or {}).get('auth') or {}).get('params') or {}
    if not isinstance(params, dict):
        params = {}
    return {'inlet_url': params.get('inletUrl'), 'inlet_id': params.get('inletId'),
            'authentication_required': params.get('authenticationRequired') is True}


class BaseConnection(ConnectionResource):
    kind = 'base_connection'
    path = '/connections'
    # ``auth`` (write-only credentials) is the quirk: sent on create (or always), never compared or shown.
    fields = flowservice_fields(
        connection_spec=dict(required=True),
    )

    def __init__(self, client, update_auth='on_create'):
        super(BaseConnection, self).__init__(client)
        self.update_auth = update_auth

    def differences(self, current, desired):
        owned = dict((k, v) for k, v in desired.items() if k != 'auth')
        paths = super(BaseConnection, self).differences(current, owned)
        auth = desired.get('auth')
        if auth and self.update_auth == 'always':
            paths.append('/auth')
        return paths

    def result_view(self, obj):
        view = dict(obj or {})
        if 'auth' in view:
            view['auth'] = masked_auth(view['auth'])
        return view

    def predict_update(self, current, desired):
        desired = dict((k, v) for k, v in desired.items() if k != 'auth')
        return super(BaseConnection, self).predict_update(current, desired)


def desired_body(params):
    body = BaseConnection.fields.body(params)
    auth = params.get('auth')
    if auth:
        body['auth'] = {'specName': auth['spec_name'], 'params': auth['params']}
    return body


def check_auth_spec(spec, auth):
    """InputError when ``auth.spec_name`` is not one of the connection spec's authentication types."""
    names = [a.get('name') for a in spec.get('authSpec') or [] if isinstance(a, dict) and a.get('name')]
    if auth and names and auth['spec_name'] not in names:
        raise InputError('auth.spec_name: %r is not an authentication type of connection spec %s (%s); use one of: %s'
                         % (auth['spec_name'], spec.get('id'), spec.get('name'), ', '.join(names)),
                         field='auth.spec_name')


def run(params, client, check_mode):
    resource = BaseConnection(client, params['update_auth'])

    def check(current):  # on create or change: credentials to create with, and of a type the spec knows
        if current is None and not params.get('auth'):
            raise InputError('auth is required to create base connection %r' % params.get('name'), field='auth')
        if params.get('connection_spec_id'):
            spec = check_spec(client, 'connectionSpecs', params['connection_spec_id'], 'connection_spec_id')
            check_auth_spec(spec, params.get('auth'))
            if current is None or params['update_auth'] == 'always':  # the runs that send auth
                preflight.check_auth(spec, params.get('auth'))

    result = run_connection(resource, params, check_mode, lambda current: desired_body(params), check)
    existed = params['state'] == 'present' and result['diff']['before']
    if existed and params.get('auth') and params['update_auth'] == 'always':
        # Say in the diff that the (unreadable) credentials were replaced, without showing them.
        result['diff']['before']['auth'] = HIDDEN
        result['diff']['after']['auth'] = 'replaced'
    result.update(inlet_of(result.get('base_connection')))
    return result


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS)
INFO_DEFINITION = info_definition(BaseConnection, 'base_connections')
