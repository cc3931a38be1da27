# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Argument specs shared by every module (documented by the connection and state doc fragments)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible.module_utils.basic import env_fallback

DEFAULT_SCOPES = ['openid', 'session', 'AdobeID', 'read_organizations', 'additional_info.projectedProductContext']


def _env(name):
    return (env_fallback, [name])


# One source of truth for the connection options: modules, the inventory plugin and the docs use it.
CONNECTION_SPEC = dict(
    platform_url=dict(type='str', default='https://platform.adobe.io', fallback=_env('AEP_PLATFORM_URL')),
    ims_url=dict(type='str', default='https://ims-na1.adobelogin.com', fallback=_env('AEP_IMS_URL')),
    client_id=dict(type='str', required=True, fallback=_env('AEP_CLIENT_ID')),
    client_secret=dict(type='str', no_log=True, fallback=_env('AEP_CLIENT_SECRET')),
    org_id=dict(type='str', required=True, fallback=_env('AEP_ORG_ID')),
    sandbox=dict(type='str', default='prod', fallback=_env('AEP_SANDBOX')),
    access_token=dict(type='str', no_log=True, fallback=_env('AEP_ACCESS_TOKEN')),
    scopes=dict(type='list', elements='str', default=DEFAULT_SCOPES, fallback=_env('AEP_SCOPES')),
    validate_certs=dict(type='bool', default=True, fallback=_env('AEP_VALIDATE_CERTS')),
    ca_path=dict(type='path', fallback=_env('AEP_CA_PATH')),
    timeout=dict(type='int', default=30, fallback=_env('AEP_TIMEOUT')),
    retries=dict(type='int', default=5, fallback=_env('AEP_RETRIES')),
    retry_deadline=dict(type='float', default=120.0, fallback=_env('AEP_RETRY_DEADLINE')),
    retry_backoff=dict(type='float', default=1.0, fallback=_env('AEP_RETRY_BACKOFF')),
)

# access_token and client_secret may both be set (for example the token in module_defaults and the
# secret in the environment): the token is used, the secret only replaces it after a 401.
CONNECTION_RULES = dict(
    required_one_of=[['access_token', 'client_secret']],
)

STATE_SPEC = dict(
    state=dict(type='str', choices=['present', 'absent'], default='present'),
)


def connection_spec(extra=None):
    """A fresh copy of the connection options, merged with a module's own options (``extra``)."""
    spec = copy.deepcopy(CONNECTION_SPEC)
    spec.update(copy.deepcopy(extra or {}))
    return spec


def state_spec(extra=None):
    """The ``state`` option merged with a module's own options."""
    spec = copy.deepcopy(STATE_SPEC)
    spec.update(copy.deepcopy(extra or {}))
    return spec


def merge_rules(kwargs):
    """Add the connection rules (``required_one_of``, ...) to a module's AnsibleModule keyword arguments."""
    merged = dict(kwargs)
    for key, rules in CONNECTION_RULES.items():
        merged[key] = list(rules) + list(merged.get(key) or [])
    return merged
