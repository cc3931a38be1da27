#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mapping_set_info
short_description: Read Adobe Experience Platform Data Prep mapping sets
version_added: 0.1.0
description:
  - Returns Data Prep mapping sets of one sandbox, by O(name), by O(id), or all of them (following every page).
  - Each mapping set is returned in its latest version.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.attributes.read_only,
  aep.platform.attributes.info, aep.platform.attributes.info_name]
seealso:
  - module: aep.platform.mapping_set
'''

EXAMPLES = r'''
- name: The Chatlio mapping set
  aep.platform.mapping_set_info:
    name: Chatlio mappings
  register: aep_mappings

- name: Its id and latest version
  ansible.builtin.debug:
    msg: "{{ aep_mappings.mapping_sets[0].id }} v{{ aep_mappings.mapping_sets[0].version }}"

- name: One mapping set by id
  aep.platform.mapping_set_info:
    id: 4b7188aad69c44529a5e674ab5d3568b
'''

RETURN = r'''
count:
  description: Number of mapping sets returned.
  returned: always
  type: int
  sample: 1
mapping_sets:
  description: The matching mapping sets (latest versions); an empty list when none matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 4b7188aad69c44529a5e674ab5d3568b
      name: Chatlio mappings
      version: 0
      outputSchema:
        schemaRef:
          id: https://ns.adobe.com/acme/schemas/49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262
          contentType: application/vnd.adobe.xed-full+json;version=1
      mappings:
        - sourceType: text/x.schema-path
          source: message
          destination: _acme.message
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.mapping_set import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
