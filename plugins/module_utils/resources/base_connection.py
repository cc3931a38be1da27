# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``base_connection`` and ``base_connection_info`` modules (``/connections``).

``auth`` is split by secrecy:

* ``auth.params``: the parameters that are not secrets (for the HTTP API ``dataType``, ``authenticationRequired``,
  ``sourceId``, ``name``). AEP returns them in ``auth.params``, so each one the user sets is compared (the others,
  and the platform's own ``inletId``/``inletUrl``, are left alone), shown in the result and the diff, and updated.
* ``auth.credentials`` (``no_log``): the secrets (what the connection spec's ``authSpec`` declares
  ``format: password``/``writeOnly``, or what AEP never returns readable). They are write-only: sent on create, and
  with ``update_auth: always`` on every run (``changed`` every time); never compared, never shown.

An update of ``auth`` is the PATCH the Flow Service "Update accounts" tutorial documents: one
``{"op": "replace", "path": "/auth/params", "value": {...}}`` with the whole parameter object. The value is what
AEP returned, without the secrets it masks, with the user's parameters and credentials applied; so a change of a
parameter on a connection that has secrets needs its credentials in the task (checked before any write).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible_collections.aep.platform.plugins.module_utils.client import FLOW_SERVICE
from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    InputError,
    info_definition,
    same,
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
# Parameters AEP sets itself on a streaming base connection (HTTP API guide: the inlet a webhook posts to).
PLATFORM_PARAMS = ('inletId', 'inletUrl')
# A parameter named like a secret is one, whatever the spec says (never shown, refused in auth.params).
SECRET_NAME = re.compile(r'pass|secret|token|key|credential|private|connectionstring', re.I)
# AEP returns credentials as "a partial view": a value with a run of asterisks is a masked one.
MASKED = re.compile(r'\*{3,}')

ARGUMENT_SPEC = flowservice_options(dict(
    auth=dict(type='dict', options=dict(
        spec_name=dict(type='str', required=True, aliases=['specName']),
        params=dict(type='dict'),
        credentials=dict(type='dict', no_log=True),
    )),
    update_auth=dict(type='str', choices=['always', 'on_create'], default='on_create'),
), connection_spec_id=True)


def secret_name(name):
    """True when the parameter ``name`` reads as a credential (password, key, token, secret ...)."""
    return bool(SECRET_NAME.search(str(name)))


def masked(value):
    """True for a value AEP returned masked (a run of ``*``): it cannot be compared or shown."""
    return isinstance(value, str) and bool(MASKED.search(value))


def declared_secrets(spec, spec_name):
    """Names the connection spec's ``authSpec`` entry ``spec_name`` declares secret (``format: password`` or
    ``writeOnly: true``, JSON Schema as the Sources SDK writes it)."""
    for entry in (spec or {}).get('authSpec') or []:
        if isinstance(entry, dict) and entry.get('name') == spec_name:
            properties = (entry.get('spec') or {}).get('properties') or {}
            return set(name for name, prop in properties.items()
                       if isinstance(prop, dict) and (prop.get('format') == 'password' or prop.get('writeOnly') is True))
    return set()


def shown_params(params, secrets=()):
    """``params`` with every secret value (named like one, masked by AEP, or in ``secrets``) replaced by HIDDEN."""
    return dict((k, HIDDEN if k in secrets or secret_name(k) or masked(v) else v) for k, v in (params or {}).items())


def masked_auth(auth, secrets=()):
    """``auth`` as shown: ``specName`` and the parameters, every secret value replaced (``shown_params``)."""
    if not isinstance(auth, dict):
        return auth
    result = dict((k, v) for k, v in auth.items() if k != 'params')
    if isinstance(auth.get('params'), dict):
        result['params'] = shown_params(auth['params'], secrets)
    return result


def inlet_of(obj):
    """``{inlet_url, inlet_id, authentication_required}`` of a streaming base connection (None when it has no inlet)."""
    params = ((obj or {}).get('auth') or {}).get('params') or {}
    if not isinstance(params, dict):
        params = {}
    return {'inlet_url': params.get('inletUrl'), 'inlet_id': params.get('inletId'),
            'authentication_required': params.get('authenticationRequired') is True}


def flow_inlet(client, flow, cache=None):
    """``inlet_of`` the streaming inlet a dataflow takes events at: its own ``options.inletUrl`` (a webhook source such
    as Chatlio; no request), else the inlet of the base connection behind one of its source connections (an HTTP API
    source, ``inheritedAttributes.sourceConnections[].baseConnection.id``; one ``GET /connections/{id}`` per base
    connection, remembered in ``cache`` (a dict) across calls). None when the flow has neither (a predicted flow)."""
    own = ((flow or {}).get('options') or {}).get('inletUrl')
    if own:
        return {'inlet_url': own, 'inlet_id': None, 'authentication_required': False}
    for source in ((flow or {}).get('inheritedAttributes') or {}).get('sourceConnections') or []:
        base_id = ((source or {}).get('baseConnection') or {}).get('id')
        if not base_id:
            continue
        if cache is None or base_id not in cache:
            body = client.get_or_none(FLOW_SERVICE, '/connections/%s' % base_id)
            items = body.get('items') if isinstance(body, dict) else None
            found = inlet_of((items[0] if items else body) if isinstance(body, dict) else None)
            if cache is None:
                cache = {}
            cache[base_id] = found
        if cache[base_id]['inlet_url']:
            return cache[base_id]
    return None


def _escape(key):
    return str(key).replace('~', '~0').replace('/', '~1')


class BaseConnection(ConnectionResource):
    kind = 'base_connection'
    path = '/connections'
    # ``auth`` is the quirk (module docstring): its parameters compared one by one, its credentials write-only.
    fields = flowservice_fields(
        connection_spec=dict(required=True),
    )

    def __init__(self, client, update_auth='on_create', auth=None):
        super(BaseConnection, self).__init__(client)
        self.update_auth = update_auth
        self.auth = auth or None
        self.secrets = set(((auth or {}).get('credentials') or {}).keys())
        self.auth_sent = False  # set when this run sends ``auth`` (create, or an update of it)

    # --- comparison ---------------------------------------------------------------------------------

    def auth_paths(self, current):
        """The ``auth`` paths to write: ``/auth/specName`` when the authentication type differs,
        ``/auth/params/<name>`` for each parameter of ``auth.params`` whose value AEP returns and differs, and
        ``/auth/params`` when the credentials are to be replaced (``update_auth: always``)."""
        if not self.auth:
            return []
        if not isinstance((current or {}).get('auth'), dict):  # AEP showed no auth: nothing to compare
            return ['/auth/params'] if current is not None and self.update_auth == 'always' else []
        have = current['auth']
        paths = []
        if self.auth['spec_name'] != have.get('specName'):
            paths.append('/auth/specName')
        held = have.get('params') if isinstance(have.get('params'), dict) else {}
        for name, want in sorted((self.auth.get('params') or {}).items()):
            if want is None or name not in held or masked(held[name]):
                continue  # not returned readable by AEP: write-only, as a credential
            if not same(held[name], want):
                paths.append('/auth/params/%s' % _escape(name))
        if self.update_auth == 'always' and '/auth/specName' not in paths:
            paths.append('/auth/params')
        return paths

    def differences(self, current, desired):
        owned = dict((k, v) for k, v in desired.items() if k != 'auth')
        return super(BaseConnection, self).differences(current, owned) + self.auth_paths(current)

    def current_secrets(self, current):
        """Names of the parameters of ``current`` that hold a secret (masked, named or declared as one)."""
        params = ((current or {}).get('auth') or {}).get('params') or {}
        return set(k for k, v in params.items() if k in self.secrets or secret_name(k) or masked(v))

    def replacement(self, current):
        """The whole ``auth`` (``specName``, ``params``) an update sends: with the same authentication type the
        parameters AEP has (its platform ones included, its masked secrets left out), the user's parameters and
        credentials applied; with another type only the user's."""
        auth = self.auth or {}
        have = (current or {}).get('auth') or {}
        params = {}
        if have.get('specName') == auth.get('spec_name'):
            secrets = self.current_secrets(current)
            params = dict((k, v) for k, v in (have.get('params') or {}).items() if k not in secrets)
        params.update(copy.deepcopy(auth.get('params') or {}))
        params.update(copy.deepcopy(auth.get('credentials') or {}))
        return {'specName': auth.get('spec_name'), 'params': params}

    def patch_ops(self, current, desired, paths):
        others = [p for p in paths if not p.startswith('/auth')]
        ops = super(BaseConnection, self).patch_ops(current, desired, others)
        if len(others) < len(paths):
            self.auth_sent = True
            auth = self.replacement(current)
            if '/auth/specName' in paths:
                ops.append({'op': 'replace', 'path': '/auth', 'value': auth})
            else:  # Flow Service "Update accounts": the parameters are replaced as a whole
                ops.append({'op': 'replace', 'path': '/auth/params', 'value': auth['params']})
        return ops

    def create(self, body):
        self.auth_sent = 'auth' in body
        return super(BaseConnection, self).create(body)

    # --- views --------------------------------------------------------------------------------------

    def user_view(self, obj):
        view = super(BaseConnection, self).user_view(obj)
        auth = (obj or {}).get('auth')
        if isinstance(auth, dict):
            params = auth.get('params') if isinstance(auth.get('params'), dict) else {}
            if self.auth is not None:  # the diff compares what the user owns
                params = dict((k, v) for k, v in params.items() if k in (self.auth.get('params') or {}))
            params = dict((k, v) for k, v in shown_params(params, self.secrets).items() if v != HIDDEN)
            view['auth'] = dict(spec_name=auth.get('specName'), params=params)
        return view

    def result_view(self, obj):
        view = dict(obj or {})
        if 'auth' in view:
            view['auth'] = masked_auth(view['auth'], self.secrets)
        return view

    def predict_create(self, body):
        predicted = super(BaseConnection, self).predict_create(body)
        self.auth_sent = 'auth' in body
        if isinstance(predicted.get('auth'), dict):
            predicted['auth'] = masked_auth(predicted['auth'], self.secrets)
        return predicted

    def predict_update(self, current, desired):
        desired = dict((k, v) for k, v in desired.items() if k != 'auth')
        predicted = super(BaseConnection, self).predict_update(current, desired)
        if self.auth_paths(current):
            self.auth_sent = True
            predicted['auth'] = masked_auth(self.replacement(current), self.secrets)
        return predicted


def desired_body(params):
    body = BaseConnection.fields.body(params)
    auth = params.get('auth')
    if auth:
        body['auth'] = BaseConnection(None, auth=auth).replacement(None)
    return body


def check_auth_spec(spec, auth):
    """InputError when ``auth.spec_name`` is not one of the connection spec's authentication types."""
    names = [a.get('name') for a in spec.get('authSpec') or [] if isinstance(a, dict) and a.get('name')]
    if auth and names and auth['spec_name'] not in names:
        raise InputError('auth.spec_name: %r is not an authentication type of connection spec %s (%s); use one of: %s'
                         % (auth['spec_name'], spec.get('id'), spec.get('name'), ', '.join(names)),
                         field='auth.spec_name')


def check_no_secret_params(auth, secrets=(), spec=None):
    """InputError (naming the parameter, never its value) for a secret given in ``auth.params``, which is shown: it
    belongs in ``auth.credentials`` (``no_log``). Secret: named like one, or in ``secrets`` (declared by ``spec``)."""
    overlap = sorted(set((auth or {}).get('params') or {}) & set((auth or {}).get('credentials') or {}))
    if overlap:
        raise InputError('auth.params.%s: also given in auth.credentials; give each parameter once (a secret only in '
                         'auth.credentials)' % overlap[0], field='auth.params')
    for name in sorted((auth or {}).get('params') or {}):
        if secret_name(name) or name in secrets:
            why = ('the authSpec of connection spec %s (%s) declares it secret' % (spec.get('id'), spec.get('name'))
                   if name in secrets and spec else 'its name says it is a credential')
            raise InputError('auth.params.%s: %s; auth.params is shown in the output, so give it in auth.credentials '
                             '(never logged, never shown) instead' % (name, why), field='auth.params')


def run(params, client, check_mode):
    auth = params.get('auth')
    if params['state'] == 'present':
        check_no_secret_params(auth)
    resource = BaseConnection(client, params['update_auth'], auth)

    def check(current):  # on create or change: credentials to create with, and of a type the spec knows
        if current is None and not auth:
            raise InputError('auth is required to create base connection %r' % params.get('name'), field='auth')
        spec_id = params.get('connection_spec_id') or ((current or {}).get('connectionSpec') or {}).get('id')
        if not spec_id:
            return
        spec = check_spec(client, 'connectionSpecs', spec_id, 'connection_spec_id')
        check_auth_spec(spec, auth)
        if not auth:
            return
        declared = declared_secrets(spec, auth['spec_name'])
        resource.secrets |= declared
        check_no_secret_params(auth, declared, spec)
        writes_auth = current is None or bool(resource.auth_paths(current))
        if not writes_auth:
            return
        sent = resource.replacement(current)
        missing = sorted(resource.current_secrets(current) - set(auth.get('credentials') or {}))
        if current is not None and missing and sent['specName'] == ((current.get('auth') or {}).get('specName')):
            raise InputError('auth.credentials: base connection %r (%s) holds credentials (%s) that AEP does not return, '
                             'and an update replaces auth.params as a whole (Flow Service PATCH /auth/params); give '
                             'them in auth.credentials' % (current.get('name'), current.get('id'), ', '.join(missing)),
                             field='auth.credentials')
        preflight.check_auth(spec, {'spec_name': auth['spec_name'], 'params': sent['params']})

    result = run_connection(resource, params, check_mode, lambda current: desired_body(params), check)
    if params['state'] == 'present' and (auth or {}).get('credentials') and resource.auth_sent:
        # Say in the diff that the (unreadable) credentials were sent, without showing them.
        before, after = result['diff']['before'], result['diff']['after']
        if before:
            before.setdefault('auth', {})['credentials'] = HIDDEN
        after.setdefault('auth', {})['credentials'] = 'replaced' if before else 'set'
    result.update(inlet_of(result.get('base_connection')))
    return result


# What each module is (its main() and the in-process action plugin read it).
def secret_values(params):
    """Values of ``auth.params`` named like a credential: refused before any request (``check_no_secret_params``),
    and masked meanwhile in the result and the task's invocation, though ``auth.params`` is not ``no_log``."""
    auth = params.get('auth') or {}
    return [value for name, value in (auth.get('params') or {}).items() if secret_name(name) and isinstance(value, str)]


DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run, MODULE_KWARGS, secret_values=secret_values)
INFO_DEFINITION = info_definition(BaseConnection, 'base_connections')
