#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the aep.platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: target_connection_info
short_description: Read Adobe Experience Platform target connections
description:
  - Read the target connections (C(/targetConnections)) of one sandbox; each points dataflows at a dataset.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.info, aep.platform.info.name]
version_added: 0.1.0
seealso: [{module: aep.platform.target_connection}]
notes:
  - Each target connection names the dataset it writes to in C(params.dataSetId).
'''

EXAMPLES = r'''
- name: Every target connection of the sandbox
  aep.platform.target_connection_info:
  register: targets

- name: Datasets that receive streamed data
  ansible.builtin.debug:
    msg: "{{ targets.target_connections | map(attribute='params.dataSetId') | list }}"
'''

RETURN = r'''
target_connections:
  description: The matching target connections as AEP returns them; C(params.dataSetId) is the dataset written to.
  returned: always
  type: list
  elements: dict
  sample: [{id: f7be8ab6-e5ea-4405-83b9-200cdfb2a9e5, params: {dataSetId: 63ef7df781f14a1bd02a7e49}}]
count: {description: Length of RV(target_connections)., returned: always, type: int, sample: 2}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.target_connection import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
