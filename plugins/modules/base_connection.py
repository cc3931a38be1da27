#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the aep.platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: base_connection
short_description: Manage Adobe Experience Platform base connections (source accounts)
description:
  - Create, update or delete a Flow Service base connection (C(/connections)), the authenticated account of a
    source. Webhook sources such as Chatlio do not need one.
  - The connection spec is checked with C(GET /connectionSpecs/{id}) before anything is written.
  - O(auth) is checked against the spec's C(authSpec) before anything is written, in check mode too - a spec with an
    empty C(authSpec) (Chatlio and other webhook sources) takes no base connection, O(auth.spec_name) must name one
    of its entries, and O(auth.params) must hold its required names, with values of the declared type and enum.
  - Name, description and credentials are updated with a JSON Patch request and C(If-Match), as the Chatlio tutorial's
    appendix describes; deletion is C(DELETE /connections/{id}).
  - Credentials cannot be read back from AEP, so they cannot be compared. With O(update_auth=on_create) (the default)
    they are sent only when the connection is created and the task stays idempotent. With O(update_auth=always) they are
    sent on every run, and the task reports C(changed) every time.
  - Credentials never appear in the result, the diff or error messages.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.state, aep.platform.state.description,
  aep.platform.state.identity, aep.platform.flowservice]
attributes:
  diff_mode:
    details: The diff shows name, description and the credentials; a credential value is never shown, a replaced one
      appears as C(replaced).
options:
  connection_spec_id:
    description:
      - Id of the source's connection spec. Required when the connection has to be created.
    type: str
  auth:
    description:
      - Credentials of the account, sent as C(auth) (C({specName, params})).
      - Required when the connection has to be created.
      - The whole option is C(no_log), so Ansible masks every value in it wherever it appears in the output; avoid
        short, common values (for example a description equal to a parameter value is masked too).
    type: dict
    suboptions:
      spec_name:
        description:
          - Name of the authentication type of the connection spec (C(auth.specName)), for example C(Basic Authentication).
        type: str
        required: true
        aliases: [specName]
      params:
        description:
          - Authentication parameters (C(auth.params)), for example a client id and secret. Never logged.
        type: dict
        required: true
  update_auth:
    description:
      - V(on_create) sends O(auth) only when the connection is created.
      - V(always) also replaces the credentials of an existing connection on every run (always reports C(changed)).
    type: str
    choices: [always, on_create]
    default: on_create
version_added: 0.1.0
seealso: [{module: aep.platform.base_connection_info}, {module: aep.platform.source_connection}]
'''

EXAMPLES = r'''
- name: HTTP API streaming account
  aep.platform.base_connection:
    name: Partner streaming account
    connection_spec_id: bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb
    auth:
      spec_name: Streaming Connection
      params:
        sourceId: partner
        dataType: xdm
        name: Partner streaming account
  register: account

- name: Rotate a credential
  aep.platform.base_connection:
    name: Partner streaming account
    auth:
      spec_name: Basic Authentication
      params:
        username: svc
        password: "{{ vault_password }}"
    update_auth: always

- name: Delete the account
  aep.platform.base_connection:
    name: Partner streaming account
    state: absent
'''

RETURN = r'''
base_connection:
  description: The base connection as AEP returns it, without credential values; C({}) after deletion.
  returned: always
  type: dict
  sample:
    id: 69f188b6-af07-4587-8061-e94d34637b41
    name: Partner streaming account
    connectionSpec:
      id: bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb
      version: '1.0'
    auth:
      specName: Streaming Connection
      params:
        dataType: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
        inletId: 2301a1f761f6d7bf62c5312c535e1076bbc7f14d728e63cdc9e1dc4e3b26ff9a
        inletUrl: https://dcs.adobedc.net/collection/2301a1f761f6d7bf62c5312c535e1076bbc7f14d728e63cdc9e1dc4e3b26ff9a
        authenticationRequired: false
    state: enabled
    etag: '"6802064a-0000-0200-0000-6387c6b90000"'
id:
  description: Id of the base connection; pass it to M(aep.platform.source_connection) as
    O(aep.platform.source_connection#module:base_connection_id). A placeholder in check mode for a new connection.
  returned: when the connection exists or would be created; with state=absent, when it was deleted (in check mode, would be)
  type: str
  sample: 69f188b6-af07-4587-8061-e94d34637b41
etag:
  description: Etag of the base connection after the task.
  returned: when the connection exists
  type: str
  sample: '"6802064a-0000-0200-0000-6387c6b90000"'
inlet_url:
  description:
    - The streaming inlet of the base connection (C(auth.params.inletUrl), set by AEP for the HTTP API source); data is posted
      there with the flow id in the C(x-adobe-flow-id) header or query. None for base connections without an inlet.
  returned: always
  type: str
  sample: https://dcs.adobedc.net/collection/2301a1f761f6d7bf62c5312c535e1076bbc7f14d728e63cdc9e1dc4e3b26ff9a
inlet_id:
  description: Id of that inlet (C(auth.params.inletId)); None without one.
  returned: always
  type: str
authentication_required:
  description: Whether every post to the inlet needs C(Authorization) C(Bearer <IMS access token>) (C(auth.params.authenticationRequired)).
  returned: always
  type: bool
  sample: false
diff:
  description:
    - The connection in the module's terms (name, description, credentials), before and after; a credential value
      shows as C(replaced), never in clear.
  returned: with C(--diff)
  type: dict
  sample:
    before: {name: Partner streaming account, auth: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER}
    after: {name: Partner streaming account, auth: replaced}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.base_connection import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
