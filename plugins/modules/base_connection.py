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
  - Name, description and O(auth) are updated with a JSON Patch request and C(If-Match), as the Chatlio tutorial's
    appendix and the Flow Service "Update accounts" tutorial describe; deletion is C(DELETE /connections/{id}). An
    update of O(auth) is one C(replace) of C(/auth/params) with the whole parameter object, the form AEP documents,
    made of the parameters AEP holds (its own C(inletId) and C(inletUrl) included), with O(auth.params) and
    O(auth.credentials) applied.
  - O(auth.params) holds the parameters that are not secrets (for the HTTP API C(dataType),
    C(authenticationRequired), C(sourceId), C(name)). AEP returns them, so each one set is compared with what AEP
    holds (the others are left alone), shown in the result and the diff, and updated when it differs; a parameter
    AEP does not return readable is sent but cannot be compared.
  - O(auth.credentials) holds the secrets. AEP does not return them in a usable form, so they cannot be compared.
    With O(update_auth=on_create) (the default) they are sent when the connection is created, and again only when
    O(auth.params) changes (AEP replaces the parameters as a whole, so the credentials of such a connection must be
    given then; the module says so before writing). With O(update_auth=always) they are sent on every run, and the
    task reports C(changed) every time.
  - Credentials never appear in the result, the diff or error messages.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.state, aep.platform.state.description,
  aep.platform.state.identity, aep.platform.flowservice]
attributes:
  diff_mode:
    details: The diff shows name, description, the authentication type and the O(auth.params) the task sets; credentials
      are never shown, sent ones appear as C(set) (create) or C(replaced).
options:
  connection_spec_id:
    description:
      - Id of the source's connection spec. Required when the connection has to be created.
    type: str
  auth:
    description:
      - The account's authentication, sent as C(auth) (C({specName, params})).
      - Required when the connection has to be created.
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
          - The authentication parameters that are not secrets (part of C(auth.params)), for example C(dataType) and
            C(authenticationRequired) of the HTTP API. They are shown in the result and the diff, compared and updated.
          - A secret here is refused before any request, and must be given in O(auth.credentials) instead. A secret is a
            parameter named like one (C(password), C(clientSecret), C(apiKey), C(token) ...) or one the connection spec's
            C(authSpec) declares with the format C(password).
        type: dict
      credentials:
        description:
          - The secret authentication parameters (merged into C(auth.params) when sent), for example a password or
            client secret. C(no_log), never compared, never shown; see O(update_auth).
        type: dict
  update_auth:
    description:
      - V(on_create) sends O(auth.credentials) when the connection is created, and when a change of O(auth.params)
        replaces the parameters.
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
        authenticationRequired: true
  register: account

- name: Rotate a credential
  aep.platform.base_connection:
    name: Partner streaming account
    auth:
      spec_name: Basic Authentication
      params:
        username: svc
      credentials:
        password: "{{ vault_password }}"
    update_auth: always

- name: Delete the account
  aep.platform.base_connection:
    name: Partner streaming account
    state: absent
'''

RETURN = r'''
base_connection:
  description:
    - The base connection as AEP returns it (predicted in check mode); a credential value (one of O(auth.credentials),
      one named like a secret, or one AEP masks) shows as C(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER). C({}) after deletion.
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
        dataType: xdm
        sourceId: partner
        name: Partner streaming account
        inletId: 2301a1f761f6d7bf62c5312c535e1076bbc7f14d728e63cdc9e1dc4e3b26ff9a
        inletUrl: https://dcs.adobedc.net/collection/2301a1f761f6d7bf62c5312c535e1076bbc7f14d728e63cdc9e1dc4e3b26ff9a
        authenticationRequired: true
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
  sample: true
diff:
  description:
    - The connection in the module's terms (name, description, connection spec, and O(auth) as the authentication type
      and the O(auth.params) the task sets), before and after; credentials show as C(set) or C(replaced) when sent,
      never in clear.
  returned: with C(--diff)
  type: dict
  sample:
    before: {name: Partner streaming account, auth: {spec_name: Streaming Connection, params: {authenticationRequired: false}}}
    after: {name: Partner streaming account, auth: {spec_name: Streaming Connection, params: {authenticationRequired: true}}}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.base_connection import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
