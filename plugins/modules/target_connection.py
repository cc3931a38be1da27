#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the aep.platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: target_connection
short_description: Manage Adobe Experience Platform target connections (data lake)
description:
  - Create, update or delete a Flow Service target connection (C(/targetConnections)) that points a dataflow at a
    dataset in the data lake.
  - Before anything is written, the connection spec is checked with C(GET /connectionSpecs/{id}) and the dataset with
    the Catalog (C(GET /dataSets/{id})); a missing dataset fails with a message naming it.
  - O(schema_id) defaults to the schema of the dataset, so a target connection always matches its dataset.
  - Only the options you set are compared; updates are JSON Patch requests with C(If-Match) (re-read and retried once
    on a stale etag).
  - The connection spec of an existing connection cannot be changed in AEP; such a change fails unless
    O(recreate=true).
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.state, aep.platform.state.description,
  aep.platform.state.identity, aep.platform.flowservice, aep.platform.flowservice.recreate]
attributes:
  diff_mode:
    details: The diff shows the dataset, schema and data format fields, the connection spec, the name and the description.
options:
  connection_spec_id:
    description:
      - Connection spec of the target. The default is the data lake.
    type: str
    default: c604ff05-7f1a-43c0-8e18-33bf874cb11c
  dataset_id:
    description:
      - Id of the Catalog dataset that receives the data (C(params.dataSetId)), 24 hexadecimal characters.
      - Required when the connection has to be created.
    type: str
  schema_id:
    description:
      - C($id) of the XDM schema of the data (C(data.schema.id)). Defaults to the schema of O(dataset_id).
      - In check mode, for a dataset that an earlier check-mode task would create, it is checked against the schema
        that placeholder O(dataset_id) carries (with a warning when it carries none).
    type: str
  schema_version:
    description:
      - Content type and version of the schema reference (C(data.schema.version)).
    type: str
    default: application/vnd.adobe.xed-full+json;version=1
  data_format:
    description:
      - Format of the data (C(data.format)), V(json) for streaming sources, V(parquet_xdm) for batch ingestion into
        the data lake. Another value fails the task before any request.
    type: str
    choices: [json, parquet_xdm, delimited, parquet, tabular]
    default: json
version_added: 0.1.0
seealso: [{module: aep.platform.target_connection_info}, {module: aep.platform.dataset}, {module: aep.platform.flow}]
'''

EXAMPLES = r'''
- name: Data lake target for the Chatlio dataset
  aep.platform.target_connection:
    name: Streaming Target Connection for Chatlio
    description: Chatlio events into the data lake
    dataset_id: "{{ dataset.id }}"
    schema_id: "{{ schema.id }}"
  register: target

- name: Remove it
  aep.platform.target_connection:
    name: Streaming Target Connection for Chatlio
    state: absent
'''

RETURN = r'''
target_connection:
  description: The target connection as AEP returns it, C(params.dataSetId) naming the dataset (predicted in check mode);
    C({}) after deletion.
  returned: always
  type: dict
  sample:
    id: f7be8ab6-e5ea-4405-83b9-200cdfb2a9e5
    name: Streaming Target Connection for Chatlio
    connectionSpec:
      id: c604ff05-7f1a-43c0-8e18-33bf874cb11c
      version: '1.0'
    data:
      format: json
      schema:
        id: https://ns.adobe.com/acme/schemas/49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262
        version: application/vnd.adobe.xed-full+json;version=1
    params:
      dataSetId: 63ef7df781f14a1bd02a7e49
    etag: '"7f0072bc-0000-0200-0000-63f314a50000"'
id:
  description: Id of the target connection; pass it to M(aep.platform.flow) in O(aep.platform.flow#module:target_connection_ids).
    A placeholder in check mode when the connection would be created.
  returned: when the connection exists or would be created; with state=absent, when it was deleted (in check mode, would be)
  type: str
  sample: f7be8ab6-e5ea-4405-83b9-200cdfb2a9e5
etag:
  description: Etag of the target connection after the task.
  returned: when the connection exists
  type: str
  sample: '"7f0072bc-0000-0200-0000-63f314a50000"'
diff:
  description: The connection in the module's terms (name, description, dataset, schema, data format), before and after.
  returned: with C(--diff)
  type: dict
  sample: {before: {dataset_id: 63ef7df781f14a1bd02a7e49}, after: {dataset_id: 63ef7e0e5bd26b1bd0e3d9bc}}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.target_connection import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
