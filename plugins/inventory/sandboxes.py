# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: sandboxes
short_description: One inventory host per Adobe Experience Platform sandbox
description:
  - Lists the sandboxes of an AEP organization through the Sandbox Management API and adds one host per
    sandbox, so a rollout to every (development) sandbox needs no hand-written host list.
  - Every host is named after its sandbox and gets the variables C(aep_sandbox) (the sandbox name, used as
    the C(x-sandbox-name) header), C(aep_sandbox_type), C(aep_sandbox_title), C(aep_sandbox_state),
    C(aep_sandbox_region), C(aep_sandbox_is_default), C(ansible_connection=local) and, by default,
    C(ansible_python_interpreter) set to the Python that runs Ansible.
  - Every host is in the group named by O(group); O(compose), O(groups) and O(keyed_groups) add more.
  - The configuration file must be named C(aep.sandboxes.yml), C(aep.sandboxes.yaml), C(aep_sandboxes.yml)
    or C(aep_sandboxes.yaml) (any prefix before it, for example C(dev.aep.sandboxes.yml)).
  - The connection options are those of the modules (the C(aep.platform.connection) fragment and the module
    utilities' C(CONNECTION_SPEC)). An option that the file does not set takes its C(AEP_*) environment variable,
    then its default. O(client_id) and O(org_id) are required, from the file or the environment. O(sandbox) is
    not used; the plugin lists every sandbox of the organization.
  - String options may be Jinja2 templates, for example one that reads a secret with the C(ansible.builtin.env) lookup.
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, ansible.builtin.constructed, ansible.builtin.inventory_cache]
options:
  plugin:
    description: Marks this file as a configuration of this plugin.
    type: str
    required: true
    choices: [aep.platform.sandboxes]
  client_id:
    required: false
  org_id:
    required: false
  types:
    description: Only sandboxes of these types. Empty means every type.
    type: list
    elements: str
    choices: [production, development]
    default: []
  name_pattern:
    description: Only sandboxes whose name matches this regular expression (Python C(re.search)).
    type: str
  exclude:
    description: Names of sandboxes to leave out.
    type: list
    elements: str
    default: []
  states:
    description: Only sandboxes in these states (V(active), V(creating), V(resetting), V(deleting), V(failed), ...).
      Empty means every state.
    type: list
    elements: str
    default: [active]
  group:
    description: Group that every sandbox host joins (the onboarding playbooks target V(aep_sandboxes)).
    type: str
    default: aep_sandboxes
  set_python_interpreter:
    description: Set C(ansible_python_interpreter) on every host to the Python running Ansible, which has
      the collection's requirements installed.
    type: bool
    default: true
version_added: 0.1.0
'''

EXAMPLES = r'''
# inventories/dynamic/aep.sandboxes.yml -- credentials from AEP_CLIENT_ID, AEP_CLIENT_SECRET, AEP_ORG_ID
plugin: aep.platform.sandboxes
types: [development]
name_pattern: '^(dev|qa)-'
exclude: [dev-scratch]
keyed_groups:
  - key: aep_sandbox_type
    prefix: aep
compose:
  aep_sandbox_label: aep_sandbox_title | lower

# Every active sandbox, against the local emulator
# plugin: aep.platform.sandboxes
# platform_url: http://127.0.0.1:8787
# ims_url: http://127.0.0.1:8787
# client_id: aep-emulator-client
# client_secret: aep-emulator-secret
# org_id: 0123456789ABCDEF01234567@AdobeOrg

# Then: ansible-inventory -i inventories/dynamic/aep.sandboxes.yml --graph
#       ansible-playbook -i inventories/dynamic/aep.sandboxes.yml playbooks/onboard_chatlio.yml
'''

import re
import sys

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.aep.platform.plugins.module_utils.client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    AepClient,
    AepError,
)
from ansible_collections.aep.platform.plugins.module_utils.errors import InputError
from ansible_collections.aep.platform.plugins.module_utils.args import CONNECTION_RULES, CONNECTION_SPEC
from ansible_collections.aep.platform.plugins.module_utils.resources.sandbox import list_sandboxes

FILE_SUFFIXES = ('aep.sandboxes.yml', 'aep.sandboxes.yaml', 'aep_sandboxes.yml', 'aep_sandboxes.yaml')


def select_sandboxes(sandboxes, types=None, name_pattern=None, exclude=None, states=None):
    """The sandboxes that pass every filter, sorted by name."""
    pattern = re.compile(name_pattern) if name_pattern else None
    excluded = set(exclude or [])
    selected = []
    for sandbox in sandboxes:
        name = sandbox.get('name')
        if not name or name in excluded:
            continue
        if types and sandbox.get('type') not in types:
            continue
        if states and sandbox.get('state', 'active') not in states:
            continue
        if pattern and not pattern.search(name):
            continue
        selected.append(sandbox)
    return sorted(selected, key=lambda s: s['name'])


def host_vars(sandbox):
    """The inventory variables of one sandbox host."""
    return {
        'aep_sandbox': sandbox['name'],
        'aep_sandbox_type': sandbox.get('type'),
        'aep_sandbox_title': sandbox.get('title'),
        'aep_sandbox_state': sandbox.get('state'),
        'aep_sandbox_region': sandbox.get('region'),
        'aep_sandbox_is_default': bool(sandbox.get('isDefault', False)),
        'ansible_connection': 'local',
    }


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'aep.platform.sandboxes'

    def verify_file(self, path):
        if not super(InventoryModule, self).verify_file(path):
            return False
        return path.endswith(FILE_SUFFIXES)

    def connection_params(self):
        """The connection options, resolved as a module resolves them from ``args.CONNECTION_SPEC``: the value
        set in the file (templated), else the ``AEP_*`` environment variable, else the default; checked for
        type, ``required`` and ``CONNECTION_RULES``. Raises AnsibleParserError naming the option."""
        given = {}
        for name in CONNECTION_SPEC:
            value, origin = self.get_option_and_origin(name)
            if origin == 'default':
                continue  # the spec's fallback (the environment) comes before the default
            if isinstance(value, str) and self.templar.is_possibly_template(value):
                value = self.templar.template(value)
            given[name] = value
        result = ArgumentSpecValidator(CONNECTION_SPEC, **CONNECTION_RULES).validate(given)
        if result.error_messages:
            raise AnsibleParserError('aep.platform.sandboxes: %s (set them in the file or as AEP_* environment variables)'
                                     % '; '.join(result.error_messages))
        return result.validated_parameters

    def _fetch(self):
        if not HAS_REQUESTS:
            raise AnsibleError('The aep.platform.sandboxes inventory plugin needs the Python library requests: %s'
                               % to_native(REQUESTS_IMPORT_ERROR))
        params = self.connection_params()
        try:
            # the token is used for this listing only, so the play's shared token store is not involved
            return list_sandboxes(AepClient.from_params(params, token_store=None))
        except InputError as err:
            raise AnsibleParserError('aep.platform.sandboxes: %s' % to_native(err))
        except AepError as err:
            # AepError text is already redacted by the client.
            raise AnsibleParserError('aep.platform.sandboxes: cannot list the sandboxes: %s' % to_native(err))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)

        cache_key = self.get_cache_key(path)
        use_cache = self.get_option('cache') and cache
        update_cache = self.get_option('cache') and not cache
        sandboxes = None
        if use_cache:
            try:
                sandboxes = self._cache[cache_key]
            except KeyError:
                update_cache = True
        if sandboxes is None:
            sandboxes = self._fetch()
        if update_cache:
            self._cache[cache_key] = sandboxes

        try:
            selected = select_sandboxes(sandboxes, types=self.get_option('types'),
                                        name_pattern=self.get_option('name_pattern'),
                                        exclude=self.get_option('exclude'), states=self.get_option('states'))
        except re.error as err:
            raise AnsibleParserError('aep.platform.sandboxes: name_pattern is not a valid regular expression: %s'
                                     % to_native(err))
        self._populate(selected)

    def _populate(self, sandboxes):
        group = self.get_option('group')
        if group:
            self.inventory.add_group(group)
        strict = self.get_option('strict')
        for sandbox in sandboxes:
            host = self.inventory.add_host(sandbox['name'], group=group or None)
            variables = host_vars(sandbox)
            if self.get_option('set_python_interpreter'):
                variables['ansible_python_interpreter'] = sys.executable
            for key, value in variables.items():
                self.inventory.set_variable(host, key, value)
            hostvars = self.inventory.get_host(host).get_vars()
            self._set_composite_vars(self.get_option('compose'), hostvars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), hostvars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), hostvars, host, strict=strict)
