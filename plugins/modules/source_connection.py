#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the aep.platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: source_connection
short_description: Manage Adobe Experience Platform source connections
description:
  - Create, update or delete a Flow Service source connection (C(/sourceConnections)) in one sandbox.
  - A source connection describes where data comes from, for example the Chatlio webhook source
    (connection spec C(073127a3-26e3-496c-9d94-9f48fb93fba8), no base connection).
  - The connection spec is checked with C(GET /connectionSpecs/{id}) before anything is written. A spec with
    C(authSpec) entries (the HTTP API) needs O(base_connection_id); without it the task fails before any write.
  - Only the options you set are compared with AEP; server-managed fields (etag, state, timestamps) are ignored.
    Updates are JSON Patch requests with C(If-Match); on a stale etag the module re-reads the object and retries once.
  - AEP cannot change the connection spec of an existing source connection (error 1414). Such a change fails
    with a clear message unless O(recreate=true), which deletes the connection and creates it again with a new id
    (AEP refuses to delete a connection that a flow still uses).
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.state, aep.platform.state.description,
  aep.platform.state.identity, aep.platform.flowservice, aep.platform.flowservice.recreate]
attributes:
  diff_mode:
    details: The diff shows name, description, the connection spec, provider_id, data_format, base_connection_id and params.
options:
  connection_spec_id:
    description:
      - Id of the source's connection spec, for example C(073127a3-26e3-496c-9d94-9f48fb93fba8) for Chatlio.
      - Required when the connection has to be created.
    type: str
  provider_id:
    description:
      - Provider id of the source (C(providerId)), for example C(521eee4d-8cbe-4906-bb48-fb6bd4450033) for streaming
        webhook sources. Not compared when omitted.
    type: str
  data_format:
    description:
      - Format of the incoming data, sent as C(data.format). Streaming sources such as webhooks (Chatlio, HTTP API)
        send V(json); file-based batch sources also know V(delimited) and V(parquet), tabular sources V(tabular)
        (the Flow Service API reference). Another value fails the task before any request.
    type: str
    choices: [json, delimited, parquet, tabular]
    default: json
  base_connection_id:
    description:
      - Id of the base connection (account) this source uses. Webhook sources such as Chatlio have none.
    type: str
  params:
    description:
      - Source-specific parameters (C(params)), compared key by key; keys you do not set are left alone.
    type: dict
version_added: 0.1.0
seealso: [{module: aep.platform.source_connection_info}, {module: aep.platform.flow}]
notes:
  - Adobe advises against changing connections that a flow already uses; create new ones and a new flow instead.
'''

EXAMPLES = r'''
- name: Chatlio source connection
  aep.platform.source_connection:
    name: Streaming Source Connection for Chatlio
    description: Chatlio webhook events
    connection_spec_id: 073127a3-26e3-496c-9d94-9f48fb93fba8
    provider_id: 521eee4d-8cbe-4906-bb48-fb6bd4450033
    data_format: json
  register: source

- name: Rename a connection known by id
  aep.platform.source_connection:
    id: "{{ source.id }}"
    name: Chatlio (EU)

- name: Remove the source connection
  aep.platform.source_connection:
    name: Streaming Source Connection for Chatlio
    state: absent
'''

RETURN = r'''
source_connection:
  description: The source connection as AEP returns it (predicted in check mode); C({}) after deletion.
  returned: always
  type: dict
  sample:
    id: 7689a40d-43eb-4f74-a3f1-092a55884f6c
    name: Streaming Source Connection for Chatlio
    description: Chatlio webhook events
    providerId: 521eee4d-8cbe-4906-bb48-fb6bd4450033
    connectionSpec:
      id: 073127a3-26e3-496c-9d94-9f48fb93fba8
      version: '1.0'
    data:
      format: json
    state: enabled
    etag: '"01013ed0-0000-0200-0000-63f314d00000"'
id:
  description: Id of the source connection; pass it to M(aep.platform.flow) in O(aep.platform.flow#module:source_connection_ids).
    In check mode a placeholder stands for a connection that would be created.
  returned: when the connection exists or would be created; with state=absent, when it was deleted (in check mode, would be)
  type: str
  sample: 7689a40d-43eb-4f74-a3f1-092a55884f6c
etag:
  description: Etag of the source connection after the task.
  returned: when the connection exists
  type: str
  sample: '"01013ed0-0000-0200-0000-63f314d00000"'
diff:
  description: The connection in the module's terms (name, description, provider, data format, params), before and after.
  returned: with C(--diff)
  type: dict
  sample: {before: {description: Chatlio webhook events}, after: {description: Chatlio webhook events (EU)}}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.source_connection import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
