#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: dataset
short_description: Manage Adobe Experience Platform datasets
description:
  - Create, update or delete a Catalog dataset (C(/dataSets)) in one sandbox.
  - The module compares the name, the description (when set), the schema and the tag keys you set (the values of
    each tag as a set). Tags you do not mention, for example ones AEP adds, are left alone. Updates are C(PATCH)
    requests with the differing fields only.
  - Before creating, the module checks that O(schema_id) is a well-formed C($id) of an existing schema.
  - AEP cannot move an existing dataset to another schema, so a different O(schema_id) fails with a message
    instead of changing anything.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.state, aep.platform.state.description,
  aep.platform.state.identity]
attributes:
  diff_mode:
    details: The diff shows name, description, schema_id and tags.
options:
  schema_id:
    description:
      - C($id) of the XDM schema of the dataset, sent as C(schemaRef) with content type
        C(application/vnd.adobe.xed+json;version=1).
      - Required to create the dataset.
    type: str
  tags:
    description:
      - Catalog tags, a dictionary of lists of strings, for example the key C(unifiedProfile) with the list
        C([enabled:true]). A single string is taken as a list of one.
      - Only the keys you set are compared and written; the order of the values does not matter.
    type: dict
  profile:
    description:
      - V(true) enables the dataset for Real-Time Customer Profile and Identity Service (the Catalog tags
        C(unifiedProfile) and C(unifiedIdentity) with C(enabled:true)). Enable its schema first
        (M(aep.platform.schema) O(aep.platform.schema#module:profile=true)). When the schema is not enabled the task
        fails before any write, in check mode too unless O(schema_profile_predicted=true).
      - One-way. V(false) on an enabled dataset fails clearly before any write. V(false) on a dataset that is not
        enabled changes nothing. Not managed when omitted; do not set those two tags in O(tags) as well.
    type: bool
  schema_profile_predicted:
    description:
      - Check mode only. V(true) says that an earlier check-mode task of the play predicted the schema's Profile
        enablement (pass the C(profile) result of M(aep.platform.schema)), so O(profile=true) is accepted although
        the schema is not enabled yet, with a warning. Without it, check mode fails as the real run would, also for
        a schema that an earlier check-mode task would create (a placeholder O(schema_id)), as a new schema is not
        enabled for Profile unless that task enables it.
      - Ignored outside check mode.
    type: bool
    default: false
version_added: 0.1.0
seealso: [{module: aep.platform.dataset_info}, {module: aep.platform.schema}, {module: aep.platform.target_connection}]
notes:
  - Deleting a dataset also deletes the data in it. The Schema Registry then lets you delete its schema.
'''

EXAMPLES = r'''
- name: Dataset for Chatlio events
  aep.platform.dataset:
    name: Chatlio Events
    description: Chatlio webhook events
    schema_id: "{{ chatlio_schema.id }}"
    tags:
      team:
        - marketing
    profile: true
  register: chatlio_dataset

- name: Target connection writing to it
  aep.platform.target_connection:
    name: Chatlio target
    connection_spec_id: c604ff05-7f1a-43c0-8e18-33bf874cb11c
    dataset_id: "{{ chatlio_dataset.id }}"
    schema_id: "{{ chatlio_schema.id }}"

- name: Delete the dataset and its data
  aep.platform.dataset:
    name: Chatlio Events
    state: absent
'''

RETURN = r'''
dataset:
  description: The dataset as Catalog returns it, with its id under C(id); predicted in check mode; C({}) when absent.
  returned: always
  type: dict
  sample:
    id: 5c8c3c555033b814b69f947f
    name: Chatlio Events
    description: Chatlio webhook events
    schemaRef:
      id: https://ns.adobe.com/acme/schemas/49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262
      contentType: application/vnd.adobe.xed+json;version=1
    tags:
      team:
        - marketing
    version: 1.0.0
profile:
  description: Whether the dataset is enabled for Profile after the task (predicted in check mode).
  returned: with O(state=present)
  type: bool
id:
  description: Id of the dataset (a placeholder of zeros when it would be created in check mode).
  returned: when the dataset exists or would be created; with state=absent, when it was deleted (in check mode, would be)
  type: str
  sample: 5c8c3c555033b814b69f947f
etag:
  description: Catalog datasets carry no etag, so this is null unless AEP returns one.
  returned: always
  type: str
diff:
  description: The dataset in the module's terms (name, description, schema_id, tags), before and after the task.
  returned: with C(--diff)
  type: dict
  sample:
    before: {name: Chatlio Events, tags: {team: [data]}}
    after: {name: Chatlio Events, tags: {team: [data, marketing]}}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.dataset import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
