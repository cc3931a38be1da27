#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: field_group
short_description: Manage Adobe Experience Platform XDM field groups
description:
  - Create, update or delete a tenant field group in the Schema Registry (C(/tenant/fieldgroups)) of one sandbox.
  - You describe the custom fields as a flat list in O(fields); each O(fields[].name) is a dotted path below the
    tenant namespace C(_<tenant>), which the module reads from C(GET /stats). The module builds the XDM
    C(definitions) body, with C(meta:intendedToExtend) set from O(class_ids).
  - The field group is compared in these terms only (title, description when set, the set of classes, and the
    fields with their type, title, description, format and required flag). Field order, ids, versions and the
    metadata the Schema Registry adds never cause a change. When O(fields) is set it is authoritative, so fields
    that are in AEP but not in O(fields) are removed.
  - An update replaces the field group with C(PUT); its minor version increases.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.state, aep.platform.state.description]
attributes:
  diff_mode:
    details: The diff shows title, description, class_ids and the flat field list.
options:
  title:
    description:
      - Title of the field group, its identity within the sandbox (the Schema Registry assigns the C($id), returned
        as RV(id)). Titles are matched exactly.
      - A field group cannot be renamed with this module; a different title manages a different field group, and the
        old one stays until you remove it with O(state=absent).
      - Required unless O(id) is given. It must not be empty or only whitespace.
    type: str
  id:
    description:
      - C($id) of the field group. Selects it directly instead of by O(title), for example to choose one of several
        field groups with the same title.
    type: str
  class_ids:
    description:
      - C($id)s of the XDM classes the field group can extend (C(meta:intendedToExtend)), compared as a set.
      - Each class must exist; the module checks before writing.
      - When omitted, a new field group extends C(https://ns.adobe.com/xdm/context/experienceevent) and the classes
        of an existing one are neither compared nor changed.
    type: list
    elements: str
  fields:
    description:
      - The custom fields of the field group, all below the tenant namespace C(_<tenant>).
      - Parent objects of a dotted path are created implicitly; list a parent with O(fields[].type=object) to give it
        a title or description.
      - The list is authoritative when set. When omitted, a new field group has no fields and the fields of an
        existing one are neither compared nor changed.
      - An empty list fails the task before any request, in check mode too; a field group defines at least one field.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Dotted path of the field below C(_<tenant>), for example C(message) or C(visitor.email).
          - Each segment uses letters, digits, C(_) or C(-) and does not start with C(_). A leading C(_<tenant>.) is
            accepted and removed.
        type: str
        required: true
      type:
        description:
          - XDM type of the field. V(date) and V(date-time) are strings with that format.
          - V(array) is a list whose items have the type O(fields[].items); with O(fields[].items=object) the fields
            of each item are listed as C(<name>[].<field>), for example C(messages[].text), and nest further
            (C(orders[].lines[].sku)).
          - V(map) is an object with free keys whose values have the scalar type O(fields[].items) (XDM's
            C(additionalProperties)), for example visitor attributes.
        type: str
        choices: [string, integer, number, boolean, date, date-time, object, array, map]
        default: string
      title:
        description:
          - Display title of the field. Defaults to the last segment of O(fields[].name).
        type: str
      description:
        description:
          - Description of the field.
        type: str
      format:
        description:
          - Format of a V(string) field, for example V(email) or V(uri). Only valid with O(fields[].type=string).
        type: str
      required:
        description:
          - Whether records must carry the field (listed in the C(required) array of its parent object).
        type: bool
        default: false
      items:
        description:
          - With O(fields[].type=array), the type of its items (default V(string)); V(object) for items with fields.
          - With O(fields[].type=map), the type of its values (a scalar type, default V(string)).
        type: str
        choices: [string, integer, number, boolean, date, date-time, object]
      enum:
        description:
          - The allowed values of a V(string) field, compared as a set. Once the schema is in use, values may be
            added but not removed (see notes).
        type: list
        elements: str
  identity_namespaces:
    description:
      - Identity namespace codes (such as V(Email)) that a later task of the play gives the schema as
        O(aep.platform.schema#module:identities[].namespace). When the field group is to be created or changed, the
        module checks them against Identity Service before its write, so an unknown code fails before any write of
        the play, as the schema task would fail after the field group was written. Codes match exactly, case
        included; the error names the nearest known codes.
      - Read only when the field group would be written, so a converged run makes no extra request.
    type: list
    elements: str
version_added: 0.1.0
seealso: [{module: aep.platform.field_group_info}, {module: aep.platform.schema}]
notes:
  - Schema evolution as AEP enforces it. Once data has landed in a dataset of a schema that uses the field group, or
    the schema is enabled for Profile, only non-destructive changes are allowed. You may add optional fields and make
    required fields optional. Removing, renaming, moving or retyping a field, making it required or adding it as
    required, and narrowing its allowed values fail before any write, in check mode too. The message names each
    field, the kind of change, and the way forward. Add a new field (for example C(message_v2)) and map to it, or
    create a new field group and schema (C(<title> v2)) and switch the dataflow to them.
    Before any data landed the same changes are accepted.
  - The module tells whether a schema has data from Catalog, the C(lastBatchId) of its datasets. Those reads are
    made only when the change would be a breaking one.
  - The Schema Registry refuses to delete a field group that a schema still uses; remove it from the schema first.
  - A field that carries an identity descriptor of a schema (M(aep.platform.schema) O(aep.platform.schema#module:identities)).
    AEP refuses a change that would leave the descriptor pointing at no field. Removing, renaming or moving such a
    field (before any data) deletes its identity descriptor first, then updates the field group; the task warns, and
    the diff and RV(removed_identities) list the identities removed. Check mode predicts the same, with no write.
    Retyping such a field away from V(string) fails before any write (an identity field is a string).
'''

EXAMPLES = r'''
- name: Chatlio custom fields (ExperienceEvent)
  aep.platform.field_group:
    title: Chatlio Fields
    description: Fields of Chatlio webhook events
    fields:
      - name: message
        title: Message
      - name: UUID
        title: Visitor UUID
        required: true
      - name: chatlio_email
        format: email
      - name: channel_ID
      - name: slackchannel_ID
      - name: slackchannel_name
      - name: visitor
        type: object
        title: Visitor
      - name: visitor.createdAt
        type: date-time
  register: chatlio_fields

- name: Arrays and maps (a chat transcript)
  aep.platform.field_group:
    title: Chatlio Transcript Fields
    fields:
      - name: messages
        type: array
        items: object
      - name: messages[].text
      - name: messages[].sent_at
        type: date-time
      - name: tags
        type: array
        items: string
      - name: visitor_attributes
        type: map
        items: string

- name: Use its id in a schema
  aep.platform.schema:
    title: Chatlio Events
    field_groups:
      - "{{ chatlio_fields.id }}"

- name: Remove the field group
  aep.platform.field_group:
    title: Chatlio Fields
    state: absent
'''

RETURN = r'''
field_group:
  description:
    - The field group as the Schema Registry returns it (C(application/vnd.adobe.xed+json; version=1)); predicted in
      check mode; C({}) when absent.
  returned: always
  type: dict
  sample:
    $id: https://ns.adobe.com/acme/mixins/2f9ef1a9c4d1a7b3e0a6f7b2c9e1d3f4a5b6c7d8e9f0a1b2
    meta:altId: _acme.mixins.2f9ef1a9c4d1a7b3e0a6f7b2c9e1d3f4a5b6c7d8e9f0a1b2
    title: Chatlio Fields
    version: '1.1'
    meta:intendedToExtend:
      - https://ns.adobe.com/xdm/context/experienceevent
    definitions:
      customFields:
        type: object
        properties:
          _acme:
            type: object
            properties:
              message:
                type: string
                title: Message
    allOf:
      - $ref: '#/definitions/customFields'
id:
  description: C($id) of the field group (a placeholder of zeros when it would be created in check mode).
  returned: when the field group exists or would be created; with state=absent, when it was deleted (in check mode, would be)
  type: str
  sample: https://ns.adobe.com/acme/mixins/2f9ef1a9c4d1a7b3e0a6f7b2c9e1d3f4a5b6c7d8e9f0a1b2
alt_id:
  description: C(meta:altId) of the field group.
  returned: when the field group exists
  type: str
  sample: _acme.mixins.2f9ef1a9c4d1a7b3e0a6f7b2c9e1d3f4a5b6c7d8e9f0a1b2
version:
  description: Version of the field group, for example V(1.0), increased by every update.
  returned: when the field group exists
  type: str
  sample: '1.0'
etag:
  description: C(meta:registryMetadata.eTag) of the field group.
  returned: when the field group exists
  type: str
tenant_id:
  description: The tenant id of the organization; custom fields live below C(_<tenant_id>).
  returned: always
  type: str
  sample: acme
field_paths:
  description:
    - Every field of the field group as C({name, type}) with its full schema path below C(_<tenant_id>), and
      C(required=true) for a required field, as it is after the task, or would be in check mode. Fields of array
      items appear as C(list[].field).
    - Pass it to O(aep.platform.mapping_set#module:predicted_fields) and O(aep.platform.schema#module:predicted_fields),
      so that a check-mode run checks mappings and identities against the fields this task would add. In check mode
      the placeholder RV(id) of a new field group carries the fingerprint of these fields, by which the later tasks
      know that they are all of its fields.
  returned: always
  type: list
  elements: dict
  sample: [{name: _acme.message, type: string}]
removed_identities:
  description:
    - The identity descriptors deleted with the fields they were on (see notes), as C({schema, field, namespace,
      primary}); in check mode, those that would be.
  returned: when a removed field carried an identity
  type: list
  elements: dict
  sample: [{schema: Chatlio Events, field: _acme.chatlio_email, namespace: Email, primary: false}]
diff:
  description:
    - The field group in the module's terms (title, description, class_ids, fields), before and after the task.
    - With identities removed (RV(removed_identities)), C(before.identities) lists them and C(after.identities) is empty.
  returned: with C(--diff)
  type: dict
  sample:
    before: {title: Chatlio Fields, fields: [{name: message, type: string}]}
    after: {title: Chatlio Fields, fields: [{name: message, type: string}, {name: visitor.email, type: string, format: email}]}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.field_group import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
