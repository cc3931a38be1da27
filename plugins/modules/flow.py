#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the aep.platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: flow
short_description: Manage Adobe Experience Platform dataflows
description:
  - Create, update, enable, disable or delete a Flow Service dataflow (C(/flows)) that connects source connections
    to target connections through a Data Prep mapping set.
  - Before anything is written the module checks the flow spec (C(GET /flowSpecs/{id})), the format of every id, and
    that the source connections, target connections and mapping set exist in the sandbox. In check mode, ids that an
    earlier check-mode task only predicted are accepted, so a whole play can be previewed; they carry the facts the
    checks need (connection specs, what a source sends, the target's and the mapping set's schema). A placeholder id
    that carries none (all zeros) leaves those checks undone, and the task says so in a warning.
  - Only the options you set are compared. Connection id lists are compared without regard to order, and the mapping
    version C(0) equals C("0").
  - Name, description and mapping are updated with a JSON Patch request and C(If-Match) (re-read and retried once on a
    stale etag). O(enabled) is applied with C(POST /flows/{id}/action?op=enable|disable).
  - The source and target connection ids are updated with the same PATCH. AEP does not let a flow change its flow
    spec; such a change fails with a clear message unless O(recreate=true), which deletes the flow and creates it
    again (new id and new inlet URL).
  - Returns the streaming inlet URL and the webhook URL to configure in the source (for Chatlio, the webhook URL). A
    webhook source's flow has its own inlet (C(options.inletUrl)); an HTTP API source's inlet belongs to its base
    connection (C(auth.params.inletUrl)), read with one more C(GET /connections/{id}).
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.state, aep.platform.state.description,
  aep.platform.state.identity]
attributes:
  diff_mode:
    details: The diff shows name, description, the flow spec, the source and target connection ids, the mapping and the
      enabled state.
options:
  flow_spec_id:
    description:
      - Id of the flow spec of the dataflow. The default is the id of C(GenericStreamingAEP), the spec of webhook
        sources such as Chatlio. The spec must exist; the module checks it with C(GET /flowSpecs/{id}).
      - AEP cannot change the flow spec of an existing flow; see O(recreate).
    type: str
    default: e77fde5a-22a8-11ed-861d-0242ac120002
  flow_spec_version:
    description:
      - Version of the flow spec.
    type: str
    default: '1.0'
  source_connection_ids:
    description:
      - Ids of the source connections of the flow, for example RV(aep.platform.source_connection#module:id). Order does
        not matter. Each must exist in the sandbox; the module checks before writing.
      - Required when the flow has to be created.
    type: list
    elements: str
  target_connection_ids:
    description:
      - Ids of the target connections (RV(aep.platform.target_connection#module:id)), where the data goes; checked and
        compared like O(source_connection_ids), and required with them on create.
    type: list
    elements: str
  mapping_id:
    description:
      - Id of the Data Prep mapping set applied to incoming data (32 hexadecimal characters), sent as the C(Mapping)
        transformation; for example RV(aep.platform.mapping_set#module:id). It must exist in the sandbox.
      - Omit it when the incoming data is already XDM and needs no mapping.
    type: str
  mapping_version:
    description:
      - Version of the mapping set.
      - When omitted, an existing flow that already uses O(mapping_id) keeps its version; otherwise the mapping set's
        latest version is used.
      - In check mode a version that does not exist yet is accepted only with O(mapping_version_predicted=true),
        and only the version after the latest. Any other missing version fails, in check mode as in the real run.
    type: int
  mapping_version_predicted:
    description:
      - Set it to the RV(aep.platform.mapping_set#module:version_predicted) result of the mapping set task that gave
        O(mapping_version). In check mode that task predicts the version its real run would make (the latest + 1)
        before it exists; this option lets the flow accept exactly that version as the real run would, and check
        the rest of the flow against it.
      - Without it, a version the mapping set does not have fails in check mode exactly as in the real run (the
        message says the mapping set has no version N and names the latest). Outside check mode it has no effect.
    type: bool
    default: false
  enabled:
    description:
      - V(true) enables the flow, V(false) disables it. Not managed when omitted (a new flow is enabled by AEP).
    type: bool
  recreate:
    description:
      - When the flow spec of an existing flow differs, delete the flow and create it again instead of failing. The new
        flow has a new id and a new webhook URL.
    type: bool
    default: false
version_added: 0.1.0
seealso: [{module: aep.platform.flow_info}, {module: aep.platform.flow_run_info},
  {module: aep.platform.source_connection}, {module: aep.platform.target_connection},
  {module: aep.platform.mapping_set}]
notes:
  - A disabled streaming flow keeps its inlet URL.
'''

EXAMPLES = r'''
- name: Chatlio dataflow
  aep.platform.flow:
    name: Streaming Dataflow for Chatlio
    description: Chatlio webhook to the data lake
    source_connection_ids:
      - "{{ source.id }}"
    target_connection_ids:
      - "{{ target.id }}"
    mapping_id: "{{ mapping.id }}"
    mapping_version: "{{ mapping.version }}"
    mapping_version_predicted: "{{ mapping.version_predicted }}"
    enabled: true
  register: flow

- name: Show the URL to paste into Chatlio's webhook settings
  ansible.builtin.debug:
    msg: "{{ flow.webhook_url }}"

- name: Pause ingestion
  aep.platform.flow:
    name: Streaming Dataflow for Chatlio
    enabled: false

- name: Delete the dataflow
  aep.platform.flow:
    name: Streaming Dataflow for Chatlio
    state: absent
'''

RETURN = r'''
flow:
  description: The flow as AEP returns it (predicted in check mode); C({}) after deletion.
  returned: always
  type: dict
  sample:
    id: d947e6a9-ea53-42c4-985c-c9379265491f
    name: Streaming Dataflow for Chatlio
    flowSpec:
      id: e77fde5a-22a8-11ed-861d-0242ac120002
      version: '1.0'
    state: enabled
    sourceConnectionIds: [7689a40d-43eb-4f74-a3f1-092a55884f6c]
    targetConnectionIds: [f7be8ab6-e5ea-4405-83b9-200cdfb2a9e5]
    transformations:
      - name: Mapping
        params:
          mappingId: 4b7188aad69c44529a5e674ab5d3568b
          mappingVersion: 0
    options:
      inletUrl: https://dcs.adobedc.net/collection/e71b6a6cd7270388674f8ab68ee438da58ba4434dea63cc547ee21547275923c
    etag: '"9b012541-0000-0200-0000-63f316430000"'
id:
  description: Id of the dataflow, also the C(x-adobe-flow-id) of RV(webhook_url); a placeholder in check mode for a new flow.
  returned: when the flow exists or would be created; with state=absent, when it was deleted (in check mode, would be)
  type: str
  sample: d947e6a9-ea53-42c4-985c-c9379265491f
etag:
  description: Etag of the dataflow after the task.
  returned: when the flow exists
  type: str
  sample: '"9b012541-0000-0200-0000-63f316430000"'
inlet_url:
  description:
    - Streaming inlet URL of the flow, its own C(options.inletUrl) (webhook sources such as Chatlio), or for an HTTP API
      source the C(auth.params.inletUrl) of the base connection behind its source connection (one more GET).
    - Null only when the flow does not exist yet (check mode) or has no inlet.
  returned: when state is present
  type: str
  sample: https://dcs.adobedc.net/collection/e71b6a6cd7270388674f8ab68ee438da58ba4434dea63cc547ee21547275923c
webhook_url:
  description:
    - RV(inlet_url) with C(?x-adobe-flow-id=<flow id>), the URL a webhook source such as Chatlio (or an HTTP API client)
      posts to. Null when RV(inlet_url) is, or when the flow does not exist yet (check mode).
  returned: when state is present
  type: str
  sample: https://dcs.adobedc.net/collection/e71b6a6c...923c?x-adobe-flow-id=d947e6a9-ea53-42c4-985c-c9379265491f
diff:
  description: The flow in the module's terms (spec, connections, mapping and enabled state), before and after the task.
  returned: with C(--diff)
  type: dict
  sample: {before: {enabled: true, mapping_version: 0}, after: {enabled: false, mapping_version: 1}}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.flow import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
