#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: schema
short_description: Manage Adobe Experience Platform XDM schemas
description:
  - Create, update or delete a tenant schema in the Schema Registry (C(/tenant/schemas)) of one sandbox.
  - A schema is one class (O(class_id)) plus field groups (O(field_groups)). The module compares the title, the
    description (when set), the class and the B(set) of field groups; their order and everything the Schema
    Registry adds (ids, versions, C(meta:*) fields) are ignored.
  - Before writing, the module checks that the class exists and that every field group id is well formed, exists
    (tenant or global container) and extends the class.
  - An update replaces the schema with C(PUT); its minor version increases. A new schema without O(description)
    gets an empty one, as the Schema Registry requires.
  - AEP cannot change the class of an existing schema, so a different O(class_id) fails before any write (create a new
    schema instead). To move the primary identity to another field, list the old primary too, with C(primary=false);
    a schema enabled for Profile keeps its primary identity.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.state, aep.platform.state.description]
attributes:
  diff_mode:
    details: The diff shows title, description, class_id and the sorted field group ids, plus identities and profile when
      they are managed and change.
options:
  title:
    description:
      - Title of the schema, its identity within the sandbox. Titles are matched exactly.
      - Required unless O(id) is given. It must not be empty or only whitespace.
    type: str
  id:
    description:
      - C($id) of the schema. Selects it directly instead of by O(title), for example to choose one of several
        schemas with the same title.
    type: str
  class_id:
    description:
      - C($id) of the XDM class of the schema.
      - When omitted, a new schema uses C(https://ns.adobe.com/xdm/context/experienceevent) and the class of an
        existing one is neither compared nor changed.
      - AEP may refuse to change the class of a schema that datasets already use.
    type: str
  field_groups:
    description:
      - C($id)s of the field groups of the schema (tenant ones, as returned by M(aep.platform.field_group), or
        standard ones such as C(https://ns.adobe.com/xdm/context/identitymap)). Compared as a set.
      - When set, field groups in AEP that are not listed here are removed from the schema. When omitted, a new
        schema has none and the field groups of an existing one are neither compared nor changed.
    type: list
    elements: str
  identities:
    description:
      - Identity descriptors (C(xdm:descriptorIdentity)) on fields of the schema, one per field. Each listed field
        gets its descriptor; descriptors of fields not listed are left alone. Not managed when omitted.
      - Checked before any write. The field must be a string field of the schema, or of its field groups when the
        schema is new, and at most one identity is primary.
      - When O(field_groups) drops a field group, the identity descriptors on its fields are deleted first (AEP
        refuses to leave a descriptor pointing at no field); the task warns and lists them in RV(removed_identities).
        Such a field must not be listed here any more (the task fails before any write, naming it).
    type: list
    elements: dict
    suboptions:
      field:
        description:
          - Dotted schema path of the field, for example C(_acme.chatlio_email).
        type: str
        required: true
      namespace:
        description:
          - Identity namespace code, a standard one such as V(Email), V(Phone), V(ECID), or a custom one of the
            sandbox. The Schema Registry checks it against Identity Service when the descriptor is written.
          - The module checks it first, before any write and in check mode too, whenever an identity is to be created
            or its namespace changed (one C(GET /data/core/idnamespace/identities); a converged run reads nothing).
            Codes match exactly, case included (V(Email), not V(email)). An unknown code fails the task with
            C(identities[N].namespace), the nearest known codes and the fix, creating the custom namespace first.
        type: str
        required: true
      primary:
        description:
          - Whether this is the schema's primary identity. Profile enablement of an ExperienceEvent or Individual
            Profile schema needs one.
        type: bool
        default: false
  profile:
    description:
      - V(true) enables the schema for Real-Time Customer Profile (the C(union) tag in C(meta:immutableTags)), after
        the identities are written. A schema of class ExperienceEvent or Individual Profile needs a primary identity
        first; the module fails before any write without one.
      - One-way. AEP never disables Profile on a schema, so V(false) on an enabled schema fails clearly before any
        write. V(false) on a schema that is not enabled changes nothing. Not managed when omitted.
      - A Profile-enabled schema is in use, so only non-destructive changes are allowed from then on (see notes).
    type: bool
  predicted_fields:
    description:
      - Check mode only (ignored otherwise). Fields an earlier check-mode task would add to the schema's field
        groups (RV(aep.platform.field_group#module:field_paths)), so that O(identities) on a new field are checked
        as the real run checks them, and RV(field_paths) holds them.
      - For a field group that an earlier check-mode task would create, identities are checked as in the real run
        when these are exactly its fields (its placeholder id carries their fingerprint); otherwise an identity field
        outside them is not checked, and the task says so in a warning.
    type: list
    elements: dict
version_added: 0.1.0
seealso: [{module: aep.platform.schema_info}, {module: aep.platform.field_group}, {module: aep.platform.dataset}]
notes:
  - Schema evolution as AEP enforces it. Once data has landed in a dataset of the schema (Catalog C(lastBatchId)), or
    the schema is enabled for Profile, dropping a field group from O(field_groups) fails before any write, in check
    mode too, because its fields would be removed. The way forward is a new schema (C(<title> v2)) that the
    dataflow is switched to (docs/onboarding.md).
  - The Schema Registry refuses to delete a schema that a dataset still uses; delete the dataset first.
'''

EXAMPLES = r'''
- name: Chatlio event schema
  aep.platform.schema:
    title: Chatlio Events
    description: Chatlio webhook events
    class_id: https://ns.adobe.com/xdm/context/experienceevent
    field_groups:
      - "{{ chatlio_fields.id }}"
  register: chatlio_schema

- name: The visitor email as primary identity, and the schema enabled for Profile (one-way)
  aep.platform.schema:
    title: Chatlio Events
    field_groups:
      - "{{ chatlio_fields.id }}"
    identities:
      - field: "_{{ chatlio_fields.tenant_id }}.chatlio_email"
        namespace: Email
        primary: true
    profile: true

- name: Dataset of that schema
  aep.platform.dataset:
    name: Chatlio Events
    schema_id: "{{ chatlio_schema.id }}"

- name: Remove the schema
  aep.platform.schema:
    title: Chatlio Events
    state: absent
'''

RETURN = r'''
schema:
  description:
    - The schema as the Schema Registry returns it (C(application/vnd.adobe.xed+json; version=1)), its class and field
      groups referenced in C(allOf); predicted in check mode; C({}) when absent.
  returned: always
  type: dict
  sample:
    $id: https://ns.adobe.com/acme/schemas/49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262
    meta:altId: _acme.schemas.49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262
    meta:class: https://ns.adobe.com/xdm/context/experienceevent
    title: Chatlio Events
    description: Chatlio webhook events
    version: '1.0'
    allOf:
      - $ref: https://ns.adobe.com/xdm/context/experienceevent
      - $ref: https://ns.adobe.com/acme/mixins/2f9ef1a9c4d1a7b3e0a6f7b2c9e1d3f4a5b6c7d8e9f0a1b2
id:
  description: C($id) of the schema (a placeholder of zeros when it would be created in check mode).
  returned: when the schema exists or would be created; with state=absent, when it was deleted (in check mode, would be)
  type: str
  sample: https://ns.adobe.com/acme/schemas/49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262
alt_id:
  description: C(meta:altId) of the schema.
  returned: when the schema exists
  type: str
  sample: _acme.schemas.49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262
version:
  description: Version of the schema, for example V(1.0), increased by every update.
  returned: when the schema exists
  type: str
  sample: '1.1'
etag:
  description: C(meta:registryMetadata.eTag) of the schema.
  returned: when the schema exists
  type: str
identities:
  description: The identity descriptors of the schema in the module's terms, after the task (predicted in check mode).
  returned: when O(identities) is set
  type: list
  elements: dict
  sample: [{field: _acme.chatlio_email, namespace: Email, primary: true}]
removed_identities:
  description:
    - The identity descriptors deleted because O(field_groups) dropped the field group of their field, as C({schema,
      field, namespace, primary}); in check mode, those that would be. They also appear in C(diff.before.identities).
  returned: when a dropped field group held an identity field
  type: list
  elements: dict
  sample: [{schema: Chatlio Events, field: _acme.chatlio_email, namespace: Email, primary: false}]
field_paths:
  description:
    - Check mode, when the schema would be created or changed, its fields after the task as C({name, type}) (and
      C(required=true) for a required field), that is the class's fields, the fields of its field groups, and for a field group
      that an earlier check-mode task would create, its fields given in O(predicted_fields). V([]) otherwise.
    - Pass it to O(aep.platform.mapping_set#module:predicted_fields), so that a check-mode mapping set on a schema
      that would be created checks its destinations as the real run does. The placeholder RV(id) of a new schema
      carries its class and the fingerprint of its field groups' fields, by which the mapping set knows that these are
      all of its fields.
  returned: with O(state=present)
  type: list
  elements: dict
  sample: [{name: _id, type: string, required: true}, {name: _acme.message, type: string}]
profile:
  description: Whether the schema is enabled for Profile after the task (predicted in check mode).
  returned: with O(state=present)
  type: bool
diff:
  description:
    - The schema in the module's terms (title, description, class_id, field_groups), before and after the task, plus
      C(identities) and C(profile) when they are managed and change.
  returned: with C(--diff)
  type: dict
  sample:
    before: {title: Chatlio Events, profile: false}
    after: {title: Chatlio Events, profile: true}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.schema import DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
