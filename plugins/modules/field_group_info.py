#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: field_group_info
short_description: Read Adobe Experience Platform XDM field groups
description:
  - Read the tenant field groups of the Schema Registry (C(/tenant/fieldgroups)) in one sandbox.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.info, aep.platform.info.title]
version_added: 0.1.0
seealso: [{module: aep.platform.field_group}]
notes:
  - Field groups are returned as the Schema Registry stores them (C(application/vnd.adobe.xed+json)).
'''

EXAMPLES = r'''
- name: One field group by title
  aep.platform.field_group_info:
    title: Chatlio Fields
  register: aep_groups

- name: Its id
  ansible.builtin.debug:
    msg: "{{ aep_groups.field_groups[0]['$id'] }}"

- name: Every tenant field group of the sandbox
  aep.platform.field_group_info:
    sandbox: dev
'''

RETURN = r'''
field_groups:
  description: The matching tenant field groups, as the Schema Registry stores them (custom fields under C(definitions)).
  returned: always
  type: list
  elements: dict
  sample:
    - {$id: 'https://ns.adobe.com/acme/mixins/2f9ef1a9c4d1a7b3e0a6f7b2c9e1d3f4a5b6c7d8e9f0a1b2', title: Chatlio Fields,
       version: '1.0', 'meta:intendedToExtend': ['https://ns.adobe.com/xdm/context/experienceevent']}
count: {description: Length of RV(field_groups)., returned: always, type: int, sample: 1}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.field_group import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
