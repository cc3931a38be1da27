# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Logic of the ``token`` module."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.runner import ModuleDefinition
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError

ARGUMENT_SPEC = dict()


def run(params, client, check_mode):
    """Fetch one access token with the client credentials (a read: also done in check mode)."""
    if not params.get('client_secret'):
        raise InputError('client_secret: required to fetch a token (or set AEP_CLIENT_SECRET)', field='client_secret')
    token = client.fetch_token()
    return dict(changed=False, access_token=token['access_token'], token_type=token['token_type'],
                expires_in=token['expires_in'])


# What each module is (its main() and the in-process action plugin read it).
DEFINITION = ModuleDefinition(ARGUMENT_SPEC, run)
