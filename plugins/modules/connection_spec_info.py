#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: connection_spec_info
short_description: Read Adobe Experience Platform connection specs (sources and destinations)
description:
  - Read connection specs (Flow Service C(/connectionSpecs)), the catalogue of sources and destinations.
  - Each entry gives what a streaming source preset needs, next to the spec as AEP returns it (RV(connection_specs[].spec)),
    namely the id and version, the provider id, whether a base connection is needed and which flow specs accept the spec.
  - Connection specs are the same in every sandbox; the sandbox header is still sent.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, aep.platform.attributes, aep.platform.info, aep.platform.info.name, aep.platform.info.specs]
options:
  with_flow_specs:
    description:
      - Also read the flow specs (one more listing) to fill RV(connection_specs[].flow_spec_ids).
    type: bool
    default: true
version_added: 0.1.0
seealso: [{module: aep.platform.flow_spec_info}, {module: aep.platform.source_connection},
  {module: aep.platform.base_connection}]
notes:
  - A connection spec needs a base connection (M(aep.platform.base_connection)) when its C(authSpec) has entries, as
    the HTTP API source (C(bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb), auth spec C(Streaming Connection)) does; webhook
    sources of the GenericStreamingAEP family (Chatlio, Customer.io, Pendo, Shopify Streaming) have none.
'''

EXAMPLES = r'''
- name: Find the Pendo connection spec by name
  aep.platform.connection_spec_info:
    name: Pendo
  register: pendo

- name: Show what a preset needs
  ansible.builtin.debug:
    msg: >-
      connection_spec_id={{ pendo.connection_specs[0].id }} version={{ pendo.connection_specs[0].version }}
      provider_id={{ pendo.connection_specs[0].provider_id }} flow specs={{ pendo.connection_specs[0].flow_spec_ids }}
      base connection={{ pendo.connection_specs[0].needs_base_connection }}

- name: Every connection spec of the catalogue
  aep.platform.connection_spec_info:
    with_flow_specs: false
  register: all_specs
'''

RETURN = r'''
connection_specs:
  description: The matching connection specs (sources and destinations), each a summary of what a preset needs plus the spec.
  returned: always
  type: list
  elements: dict
  contains:
    spec:
      description: The connection spec as AEP returns it, with its C(authSpec), C(sourceSpec) or C(targetSpec), and C(attributes).
      type: dict
    id:
      description: Id of the connection spec; a preset's C(source.connection_spec_id).
      type: str
      sample: 6ff5654f-19d5-427d-bd3e-c0ebc802389a
    name:
      description: Name of the spec, for example the source's product name.
      type: str
      sample: Pendo
    version:
      description: Version of the spec; a preset's C(source.connection_spec_version).
      type: str
      sample: "1.0"
    provider_id:
      description: Provider id (C(source.provider_id) of a preset).
      type: str
      sample: 521eee4d-8cbe-4906-bb48-fb6bd4450033
    category:
      description: C(attributes.category) of the spec.
      type: str
      sample: analytics
    is_source:
      description: Whether the spec makes source connections.
      type: bool
    is_target:
      description: Whether the spec makes target connections (destinations such as the data lake).
      type: bool
    needs_base_connection:
      description: Whether a source connection of this spec needs a base connection (C(authSpec) has entries).
      type: bool
      sample: false
    auth_spec_names:
      description: Names of the spec's authentication types (C(auth.spec_name) of M(aep.platform.base_connection)).
      type: list
      elements: str
      sample: [Streaming Connection]
    flow_spec_ids:
      description: Ids of the flow specs that accept this spec as a source; absent when O(with_flow_specs=false).
      type: list
      elements: str
      sample: [e77fde5a-22a8-11ed-861d-0242ac120002]
count: {description: Length of RV(connection_specs)., returned: always, type: int, sample: 1}
'''

from ansible_collections.aep.platform.plugins.module_utils.resources.specs import CONNECTION_DEFINITION as DEFINITION


def main():
    DEFINITION.run()


if __name__ == '__main__':
    main()
