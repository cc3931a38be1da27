#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: dataset_info
short_description: Read Adobe Experience Platform datasets
version_added: 0.1.0
description:
  - Returns Catalog datasets of one sandbox, by O(name), by O(id), or all of them (following every page).
  - Each dataset is the Catalog object with its id added under C(id).
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.attributes.read_only,
  aep.platform.attributes.info, aep.platform.attributes.info_name]
seealso:
  - module: aep.platform.dataset
'''

EXAMPLES = r'''
- name: The Chatlio dataset
  aep.platform.dataset_info:
    name: Chatlio Events
  register: aep_datasets

- name: Its schema
  ansible.builtin.debug:
    msg: "{{ aep_datasets.datasets[0].schemaRef.id }}"

- name: One dataset by id
  aep.platform.dataset_info:
    id: 5c8c3c555033b814b69f947f
'''

RETURN = r'''
count:
  description: Number of datasets returned.
  returned: always
  type: int
  sample: 1
datasets:
  description: The matching datasets; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 5c8c3c555033b814b69f947f
      name: Chatlio Events
      description: Chatlio webhook events
      schemaRef:
        id: https://ns.adobe.com/acme/schemas/49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262
        contentType: application/vnd.adobe.xed+json;version=1
      tags:
        team:
          - data
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.dataset import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
