#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: mapping_set_info
short_description: Read Adobe Experience Platform Data Prep mapping sets
description:
  - Read the Data Prep mapping sets (C(/mappingSets)) of one sandbox, which map incoming data to XDM fields.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.info, aep.platform.info.name]
version_added: 0.1.0
seealso: [{module: aep.platform.mapping_set}]
notes:
  - Each mapping set is returned in its latest version; a flow refers to a mapping set by id and version.
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
mapping_sets:
  description: The matching mapping sets in their latest versions, as Data Prep returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - {id: 4b7188aad69c44529a5e674ab5d3568b, name: Chatlio mappings, version: 0,
       mappings: [{sourceType: text/x.schema-path, source: message, destination: _acme.message}]}
count: {description: Length of RV(mapping_sets)., returned: always, type: int, sample: 1}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.mapping_set import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
