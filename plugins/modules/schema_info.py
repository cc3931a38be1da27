#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: schema_info
short_description: Read Adobe Experience Platform XDM schemas
version_added: 0.1.0
description:
  - Returns tenant schemas of the Schema Registry in one sandbox, by O(title), by O(id), or all of them
    (following every page).
  - Schemas are returned as the Schema Registry stores them (C(application/vnd.adobe.xed+json), references not
    resolved).
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.attributes.read_only,
  aep.platform.attributes.info, aep.platform.attributes.info_title]
seealso:
  - module: aep.platform.schema
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
count:
  description: Number of schemas returned.
  returned: always
  type: int
  sample: 1
schemas:
  description: The matching schemas; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  sample:
    - $id: https://ns.adobe.com/acme/schemas/49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262
      meta:altId: _acme.schemas.49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262
      title: Chatlio Events
      version: '1.0'
      meta:class: https://ns.adobe.com/xdm/context/experienceevent
      allOf:
        - $ref: https://ns.adobe.com/xdm/context/experienceevent
        - $ref: https://ns.adobe.com/acme/mixins/2f9ef1a9c4d1a7b3e0a6f7b2c9e1d3f4a5b6c7d8e9f0a1b2
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.schema import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
