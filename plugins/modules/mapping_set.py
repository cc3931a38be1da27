#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mapping_set
short_description: Manage Adobe Experience Platform Data Prep mapping sets
description:
  - Create or update a Data Prep mapping set (C(/mappingSets)) in one sandbox; a flow uses it to map incoming
    data to the fields of an XDM schema.
  - B(Identity.) The mapping set is identified by its O(name) within the sandbox (C(GET /mappingSets?name=), exact
    matches only), or by O(id) when given. A rerun with the same O(name) therefore never creates a second mapping
    set (O(on_duplicates) says what happens when the sandbox already holds several). Mapping sets created without
    a name (for example by hand) can only be managed with O(id). Should Data Prep ever not keep the name of a new
    mapping set, the module fails right after creating it and names the new id, so that a rerun cannot create a
    second one.
  - B(Comparison.) The mappings are compared as a set of (O(mappings[].source_type), O(mappings[].source),
    O(mappings[].destination)), plus O(mappings[].description) when you set one; their order and the fields Data
    Prep adds (ids, versions, legacy keys, timestamps) never cause a change. The output schema and, with O(id),
    the name are compared too (a rename makes a new version as well).
  - B(Update.) A change is a C(PUT), which makes a B(new version) of the same mapping set (same id, O(ignore:version)
    + 1). Flows refer to a mapping id B(and) version, so give the returned RV(version) to M(aep.platform.flow).
  - B(Validation.) Before anything is written, every destination is checked against the fields of the output schema
    (fetched resolved, C(application/vnd.adobe.xed-full+json; version=1)); a destination that is not in the schema
    fails with a message naming it.
  - B(No deletion.) Data Prep has no DELETE endpoint, so O(state=absent) changes nothing. It reports the mapping set
    it found with C(changed=false) and a warning; an unused mapping set is harmless.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.state, aep.platform.state.identity]
attributes:
  check_mode:
    details: Check mode reads only and predicts the result, including the version a change would make.
  diff_mode:
    support: full
    details: The diff shows name, schema_id and the sorted mappings.
options:
  state:
    description:
      - V(present) creates the mapping set when it does not exist, and makes a new version when the name, the output
        schema or the mappings you set differ.
      - V(absent) deletes nothing, because Data Prep cannot delete mapping sets; the module only reports and warns.
  schema_id:
    description:
      - C($id) of the output XDM schema, sent as C(outputSchema.schemaRef) with content type
        C(application/vnd.adobe.xed-full+json;version=1). Required to create the mapping set.
      - It must be the schema of the flow's target dataset, or the flow is refused.
    type: str
  mappings:
    description:
      - The complete list of mappings. Required to create the mapping set; not compared when omitted.
      - Mappings in AEP that are not listed here are removed by the update.
    type: list
    elements: dict
    suboptions:
      source:
        description:
          - The input attribute path (V(ATTRIBUTE)), the expression (V(EXPRESSION)), or the constant (V(STATIC)).
        type: str
        required: true
        aliases: [sourceAttribute]
      destination:
        description:
          - Dotted path of the XDM field to fill, for example C(_acme.message), C(_id) or C(timestamp).
        type: str
        required: true
        aliases: [destinationXdmPath]
      source_type:
        description:
          - How O(mappings[].source) is read.
        type: str
        choices: [ATTRIBUTE, EXPRESSION, STATIC]
        default: ATTRIBUTE
        aliases: [sourceType]
      description:
        description:
          - Description of the mapping. Compared only when set.
        type: str
  predicted_fields:
    description:
      - Check mode only (ignored otherwise). Fields the output schema will have when an earlier task of the play
        adds them, each a dict with C(name), the dotted schema path such as C(_acme.message), C(type), such as
        C(string), and C(required=true) for a required field. Pass RV(aep.platform.field_group#module:field_paths)
        of the field group task, or RV(aep.platform.schema#module:field_paths) of the schema task.
      - In check mode the destinations are checked against the live schema plus these, so a preview that adds a
        field and maps it passes exactly as the real run will.
      - For a schema that would be created in the same check-mode run (a placeholder O(schema_id)), the destinations
        (existence and type) and the required fields are checked as the real run checks them when these are exactly
        the fields of the schema's field groups (with or without the class's fields), as the placeholder carries the
        fingerprint of those fields, and its class. Otherwise the schema's fields cannot be known in check mode, and
        the task passes with a warning naming the destinations it did not check.
    type: list
    elements: dict
version_added: 0.1.0
seealso: [{module: aep.platform.mapping_set_info}, {module: aep.platform.flow}]
notes:
  - The legacy keys of the AEP tutorials, C(sourceAttribute) and C(destinationXdmPath), are accepted as aliases.
    Their C(identity) and C(version) keys are not options; remove them.
  - Destinations are checked for meaning before any write, in check mode too. A destination must be a field of
    the schema (array items as C(items[0].sku) or C(items[*].sku) for every item, map keys as
    C(identityMap.Email)). The tenant namespace object C(_<tenant>) itself is refused, and so is a value of a
    known type that can never fit the field (a constant or a C(concat) expression into an object, map or array field, a
    boolean into a number, an array into a string). Such a mapping would make every record fail mapping. An
    V(ATTRIBUTE) source may be an object or an array mapped as a whole onto an object or array field.
  - Arrays use Data Prep's path syntax. C(messages[*].text) as source and C(_acme.messages[*].text) as destination
    fill the destination item by item from the source.
  - An XDM ExperienceEvent schema requires C(_id) and C(timestamp); map them, for example with EXPRESSION sources that
    call the Data Prep functions C(uuid) and C(now), as in the examples.
  - A mapping set that leaves a required field of the schema (C(_id), C(timestamp), a field group's required field)
    unmapped is refused before any write, in check mode too; AEP generates no value for it, so every record would fail.
  - The type of a source is known for a constant (V(STATIC), or an EXPRESSION that is one literal such as V('abc')), a
    calculated field (the result type of its outermost function, a comparison is a boolean) and an item path with
    more C([*]) than its destination (an array). A constant must convert to the field's type (V(abc) into an integer
    field, V(not a date) into C(timestamp) are refused). The full table is in the emulator's
    C(emulator/docs/schemaregistry-dataprep.md), section "Mappings checked for meaning".
'''

EXAMPLES = r'''
- name: Chatlio mapping set
  aep.platform.mapping_set:
    name: Chatlio mappings
    schema_id: "{{ chatlio_schema.id }}"
    mappings:
      - source: visitor.UUID
        destination: "_{{ chatlio_fields.tenant_id }}.UUID"
      - source: message
        destination: "_{{ chatlio_fields.tenant_id }}.message"
      - source: uuid()
        source_type: EXPRESSION
        destination: _id
      - source: now()
        source_type: EXPRESSION
        destination: timestamp
  register: chatlio_mapping

- name: Flow using this version of the mapping set
  aep.platform.flow:
    name: Chatlio dataflow
    flow_spec_id: e77fde5a-22a8-11ed-861d-0242ac120002
    source_connection_ids: ["{{ source.id }}"]
    target_connection_ids: ["{{ target.id }}"]
    mapping_id: "{{ chatlio_mapping.id }}"
    mapping_version: "{{ chatlio_mapping.version }}"
    # in check mode, accept the version this mapping set task predicted (and only it)
    mapping_version_predicted: "{{ chatlio_mapping.version_predicted }}"

- name: A preview (--check) that adds a field and maps it passes as the real run will
  aep.platform.mapping_set:
    name: Chatlio mappings
    schema_id: "{{ chatlio_schema.id }}"
    predicted_fields: "{{ chatlio_fields.field_paths }}"
    mappings:
      - {source: "messages[*].text", destination: "_{{ chatlio_fields.tenant_id }}.messages[*].text"}
      - {source: uuid(), source_type: EXPRESSION, destination: _id}
      - {source: now(), source_type: EXPRESSION, destination: timestamp}

- name: Tutorial-style mappings are accepted as they are
  aep.platform.mapping_set:
    name: Chatlio mappings (legacy keys)
    schema_id: "{{ chatlio_schema.id }}"
    mappings:
      - sourceAttribute: slackChannelId
        destinationXdmPath: _acme.slackchannel_ID
      - sourceAttribute: chatId  # the payload's own event id and time
        destinationXdmPath: _id
      - sourceAttribute: createdAt
        destinationXdmPath: timestamp
'''

RETURN = r'''
mapping_set:
  description: The latest version of the mapping set as Data Prep returns it; predicted in check mode; C({}) when absent.
  returned: always
  type: dict
  sample:
    id: 4b7188aad69c44529a5e674ab5d3568b
    name: Chatlio mappings
    version: 1
    outputSchema:
      schemaRef:
        id: https://ns.adobe.com/acme/schemas/49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262
        contentType: application/vnd.adobe.xed-full+json;version=1
    mappings:
      - sourceType: text/x.schema-path
        source: message
        destination: _acme.message
        sourceAttribute: message
        destinationXdmPath: _acme.message
id:
  description: Id of the mapping set (a placeholder of zeros when it would be created in check mode).
  returned: when the mapping set exists or would be created; with state=absent, when it exists (Data Prep has no delete, it stays)
  type: str
  sample: 4b7188aad69c44529a5e674ab5d3568b
version:
  description: Version of the mapping set (V(0) when created, + 1 for every update). Pass it to the flow.
  returned: when the mapping set exists or would be created
  type: int
  sample: 1
version_predicted:
  description:
    - True in check mode when RV(version) is a prediction, the version the real run would make (created, or the latest
      + 1 after an update), which does not exist yet. False otherwise.
    - Pass it to O(aep.platform.flow#module:mapping_version_predicted) with RV(version), so that a check-mode flow
      accepts exactly that version.
  returned: with O(state=present)
  type: bool
  sample: true
etag:
  description: Data Prep has no etag, so this is always null.
  returned: always
  type: str
msg:
  description: With O(state=absent), what was (not) done.
  returned: when O(state=absent)
  type: str
  sample: "Data Prep has no DELETE: mapping set 4b7188aad69c44529a5e674ab5d3568b was left in place and nothing was changed"
diff:
  description: The mapping set in the module's terms (name, schema_id, mappings), before and after the task.
  returned: with C(--diff)
  type: dict
  sample:
    before: {mappings: [{source: message, destination: _acme.message, source_type: ATTRIBUTE}]}
    after: {mappings: [{source: message, destination: _acme.text, source_type: ATTRIBUTE}]}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.mapping_set import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
