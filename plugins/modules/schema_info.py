#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: schema_info
short_description: Read Adobe Experience Platform XDM schemas
description:
  - Read the tenant schemas of the Schema Registry (C(/tenant/schemas)) in one sandbox, for example to find the
    C($id) a dataset needs.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.info, aep.platform.info.title]
version_added: 0.1.0
seealso: [{module: aep.platform.schema}]
notes:
  - Schemas are returned as the Schema Registry stores them (C(application/vnd.adobe.xed+json), references not
    resolved).
'''

EXAMPLES = r'''
- name: The Chatlio schema
  aep.platform.schema_info:
    title: Chatlio Events
  register: aep_schemas

- name: Fail when it is missing
  ansible.builtin.assert:
    that: aep_schemas.schemas | length == 1

- name: Every tenant schema of the sandbox
  aep.platform.schema_info:
'''

RETURN = r'''
schemas:
  description: The matching tenant schemas; C(allOf) lists the class and the field groups by C($ref).
  returned: always
  type: list
  elements: dict
  sample:
    - {$id: 'https://ns.adobe.com/acme/schemas/49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262', title: Chatlio Events,
       'meta:class': 'https://ns.adobe.com/xdm/context/experienceevent'}
count: {description: Length of RV(schemas)., returned: always, type: int, sample: 1}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.schema import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
