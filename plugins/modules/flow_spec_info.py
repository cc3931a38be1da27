#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: flow_spec_info
short_description: Read Adobe Experience Platform flow specs (dataflow types)
description:
  - Read flow specs (Flow Service C(/flowSpecs)), the dataflow types, also by the source connection spec they accept
    (O(source_connection_spec_id)).
  - Each entry says which source and target connection specs the flow spec accepts and whether it takes a Mapping
    (Data Prep mapping set), next to the spec as AEP returns it (RV(flow_specs[].spec)).
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.info, aep.platform.info.name, aep.platform.info.specs]
options:
  source_connection_spec_id:
    description:
      - Return only the flow specs whose C(sourceConnectionSpecIds) hold this connection spec id.
      - Mutually exclusive with O(id) and O(name).
    type: str
version_added: 0.1.0
seealso: [{module: aep.platform.connection_spec_info}, {module: aep.platform.flow}]
notes:
  - The HTTP API source has two flow specs, one for raw JSON with a Mapping (RV(flow_specs[].supports_mapping) true)
    and one for XDM payloads without transformations; pick the one that matches the preset's mappings.
'''

EXAMPLES = r'''
- name: Flow specs that accept the HTTP API source
  aep.platform.flow_spec_info:
    source_connection_spec_id: bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb
  register: http_flows

- name: The one that takes a mapping
  ansible.builtin.debug:
    msg: "{{ http_flows.flow_specs | selectattr('supports_mapping') | map(attribute='id') | first }}"
'''

RETURN = r'''
flow_specs:
  description: The matching flow specs, each a summary plus the spec itself.
  returned: always
  type: list
  elements: dict
  contains:
    spec:
      description: The flow spec as AEP returns it.
      type: dict
    id:
      description: Flow spec id (C(flow.flow_spec_id) of a preset).
      type: str
      sample: e77fde5a-22a8-11ed-861d-0242ac120002
    name:
      description: Name of the flow spec.
      type: str
      sample: GenericStreamingAEP
    version:
      description: Version (C(flow.flow_spec_version) of a preset).
      type: str
      sample: "1.0"
    source_connection_spec_ids:
      description: Connection specs accepted as sources.
      type: list
      elements: str
    target_connection_spec_ids:
      description: Connection specs accepted as targets.
      type: list
      elements: str
    transformation_names:
      description: Names of the transformations the flow spec accepts.
      type: list
      elements: str
      sample: [Mapping]
    supports_mapping:
      description: Whether a dataflow of this spec takes a Mapping (so the preset may have C(mappings)).
      type: bool
      sample: true
count: {description: Length of RV(flow_specs)., returned: always, type: int, sample: 1}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.specs import FLOW_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
