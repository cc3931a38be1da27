#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: dataset_info
short_description: Read Adobe Experience Platform datasets
description:
  - Read Catalog datasets (C(/dataSets)) of one sandbox.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.info, aep.platform.info.name]
version_added: 0.1.0
seealso: [{module: aep.platform.dataset}]
notes:
  - Each dataset is the Catalog object with its id added under C(id).
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
datasets:
  description: The matching Catalog datasets, each with its id added under C(id); an empty list when none matches.
  returned: always
  type: list
  elements: dict
  sample:
    - {id: 5c8c3c555033b814b69f947f, name: Chatlio Events, tags: {team: [data]},
       schemaRef: {id: 'https://ns.adobe.com/acme/schemas/49cecec83dd1a8da1aef4a96c67c06654e8c337a0a3b4262'}}
count: {description: Length of RV(datasets)., returned: always, type: int, sample: 1}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.dataset import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
