#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the aep.platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: source_connection_info
short_description: Read Adobe Experience Platform source connections
description:
  - Read the source connections (C(/sourceConnections)) of one sandbox, which tell a dataflow where its data comes
    from.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.info, aep.platform.info.name]
version_added: 0.1.0
seealso: [{module: aep.platform.source_connection}]
notes:
  - A source connection names its connection spec in C(connectionSpec) and its account, when it has one, in
    C(baseConnectionId); webhook sources such as Chatlio have none.
'''

EXAMPLES = r'''
- name: Find the Chatlio source connection by name
  aep.platform.source_connection_info:
    name: Streaming Source Connection for Chatlio
  register: found

- name: Show its connection spec
  ansible.builtin.debug:
    msg: "{{ found.source_connections[0].connectionSpec.id }}"
  when: found.count == 1
'''

RETURN = r'''
source_connections:
  description: The matching source connections as AEP returns them (C(connectionSpec), C(data.format), C(params), ...).
  returned: always
  type: list
  elements: dict
  sample: [{id: 7689a40d-43eb-4f74-a3f1-092a55884f6c, name: Streaming Source Connection for Chatlio}]
count: {description: Length of RV(source_connections)., returned: always, type: int, sample: 1}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.source_connection import INFO_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
