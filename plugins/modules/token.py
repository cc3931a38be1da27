#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: token
short_description: Fetch an Adobe IMS access token for Adobe Experience Platform
description:
  - Fetches one access token with the OAuth server-to-server (client credentials) flow of Adobe IMS.
  - Use it once at the start of a play and pass the token to every other module through C(module_defaults),
    so the play authenticates once instead of once per task.
  - "The result contains a secret: always set C(no_log: true) on the task."
  - Fetching a token changes nothing, so the module also runs in check mode and always reports C(changed=false).
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes]
attributes:
  check_mode:
    details: Fetching a token writes nothing, so the token is fetched in check mode too.
  diff_mode:
    support: none
version_added: 0.1.0
notes:
  - O(client_secret) (or E(AEP_CLIENT_SECRET)) is required; O(access_token) is not used to fetch a token.
'''

EXAMPLES = r'''
# One token for the whole play: fetch it once, then give it to every aep.platform module through module_defaults.
- name: Fetch an access token (client id, secret and org from AEP_* environment variables)
  aep.platform.token:
  register: aep_token
  no_log: true

- name: Use it for every aep.platform module
  module_defaults:
    group/aep.platform.aep:
      access_token: "{{ aep_token.access_token }}"
      sandbox: dev
  block:
    - name: List the sandboxes
      aep.platform.sandbox_info:
      register: aep_sandboxes

- name: Fetch a token with explicit credentials
  aep.platform.token:
    client_id: "{{ vault_aep_client_id }}"
    client_secret: "{{ vault_aep_client_secret }}"
    org_id: 0123456789ABCDEF01234567@AdobeOrg
  register: aep_token
  no_log: true
'''

RETURN = r'''
access_token:
  description: The bearer token. It is a secret; set C(no_log) on the task.
  returned: success
  type: str
  sample: eyJhbGciOiJSUzI1NiIsIng1dSI6Imltc19uYTEta2V5LWF0LTEuY2VyIn0...
token_type:
  description: Token type reported by IMS.
  returned: success
  type: str
  sample: bearer
expires_in:
  description: Lifetime of the token in seconds (about 24 hours).
  returned: success
  type: int
  sample: 86399
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.token import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
