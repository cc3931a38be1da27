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
  - A key of the file that is not an option of this plugin (a typo such as C(type) for O(types)) fails the inventory
    source, as does a value outside an option's choices, so that a misconfigured file never reads as an empty inventory.
  - When the organization's sandboxes are listed but none passes the filters, the inventory source fails (see
    O(allow_empty)).
  - The repository's C(ansible.cfg) sets C([inventory] any_unparsed_is_failed = true), so an inventory source that
    fails (wrong credential, bad option) stops C(ansible-playbook) and C(ansible-inventory) with an error instead of a
    warning followed by C(no hosts matched).
author: aep.platform maintainers (@aep-platform)
extends_documentation_fragment: [aep.platform.connection, ansible.builtin.constructed, ansible.builtin.inventory_cache]
options:
  plugin:
    description: Marks this file as a configuration of this plugin.
    type: str
    required: true
    choices: [aep.platform.sandboxes]
  types:
    description:
      - Only sandboxes of these types. Empty means every type.
      - Another value fails the inventory source, naming the option and the valid values.
    type: list
    elements: str
    choices: [production, development]
    default: []
  name_pattern:
    description:
      - Only sandboxes whose name matches this regular expression (Python C(re.search)).
      - A pattern that does not compile fails the inventory source, naming the option.
    type: str
  exclude:
    description: Names of sandboxes to leave out.
    type: list
    elements: str
    default: []
  states:
    description:
      - Only sandboxes in these states (the C(state) of the Sandbox Management API). Empty means every state.
      - Another value fails the inventory source, naming the option and the valid values.
    type: list
    elements: str
    choices: [active, creating, resetting, deleting, deleted, failed]
    default: [active]
  group:
    description: Group that every sandbox host joins (the onboarding playbooks target V(aep_sandboxes)).
    type: str
    default: aep_sandboxes
  allow_empty:
    description:
      - What happens when the organization's sandboxes are listed but none passes the filters (O(types), O(states),
        O(name_pattern), O(exclude)).
      - V(false) fails the inventory source, naming the filters and how many sandboxes were listed, so that a filter
        typo never gives a green run on no host. V(true) accepts an empty inventory, with a warning.
    type: bool
    default: false
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
from ansible.utils.display import Display

from ansible_collections.aep.platform.plugins.module_utils.client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    AepClient,
    AepError,
)
from ansible_collections.aep.platform.plugins.module_utils.errors import InputError
from ansible_collections.aep.platform.plugins.module_utils.args import CONNECTION_RULES, CONNECTION_SPEC
from ansible_collections.aep.platform.plugins.module_utils.resources.sandbox import list_sandboxes
from ansible_collections.aep.platform.plugins.module_utils.runner import check_connection, failure_kwargs

FILE_SUFFIXES = ('aep.sandboxes.yml', 'aep.sandboxes.yaml', 'aep_sandboxes.yml', 'aep_sandboxes.yaml')
_NAME = 'aep.platform.sandboxes'
display = Display()


def unknown_keys(config, options):
    """The keys of the configuration file ``config`` (a dict) that are not documented options, sorted."""
    return sorted(str(key) for key in config if key not in options)


def unknown_keys_message(path, keys, options):
    """The error for ``unknown_keys``: each key with the closest option when there is one, and the valid keys."""
    import difflib
    parts = []
    for key in keys:
        close = difflib.get_close_matches(key, list(options), n=1)
        parts.append('%s%s' % (key, ' (did you mean %s?)' % close[0] if close else ''))
    return ('%s: %s: unknown option%s %s; remove %s or use one of the options of the plugin: %s'
            % (_NAME, path, 's' if len(keys) > 1 else '', ', '.join(parts), 'them' if len(keys) > 1 else 'it',
               ', '.join(sorted(options))))


def compile_name_pattern(name_pattern):
    """``name_pattern`` compiled (None when unset); AnsibleParserError naming the option when it does not compile."""
    if name_pattern in (None, ''):
        return None
    try:
        return re.compile(name_pattern)
    except re.error as err:
        raise AnsibleParserError('%s: name_pattern: %r is not a valid Python regular expression (%s); fix it, for example '
                                 "'^(dev|qa)-' for the names that start with dev- or qa-" % (_NAME, name_pattern, to_native(err)))


def select_sandboxes(sandboxes, types=None, name_pattern=None, exclude=None, states=None):
    """The sandboxes that pass every filter, sorted by name."""
    pattern = compile_name_pattern(name_pattern)
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

    NAME = _NAME

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
        try:
            check_connection(result.validated_parameters)
        except InputError as err:
            raise AnsibleParserError('aep.platform.sandboxes: %s' % to_native(err))
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
            # AepError text is already redacted by the client; the hint names the options and variables to check
            raise AnsibleParserError('aep.platform.sandboxes: cannot list the sandboxes: %s'
                                     % to_native(failure_kwargs(err, None, params)['msg']))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        unknown = unknown_keys(config, self._options)
        if unknown:
            raise AnsibleParserError(unknown_keys_message(path, unknown, self._options))
        compile_name_pattern(self.get_option('name_pattern'))  # before any request

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

        filters = dict(types=self.get_option('types'), name_pattern=self.get_option('name_pattern'),
                       exclude=self.get_option('exclude'), states=self.get_option('states'))
        selected = select_sandboxes(sandboxes, **filters)
        if not selected:
            message = ('%s: %s: none of the %d sandboxes of the organization passes the filters (%s), so the inventory '
                       'is empty; fix the filters (the sandboxes and their type and state: GET /sandbox-management/sandboxes),'
                       ' or set allow_empty: true to accept an empty inventory'
                       % (_NAME, path, len(sandboxes), ', '.join('%s=%s' % (k, v) for k, v in filters.items() if v) or 'none'))
            if not self.get_option('allow_empty'):
                raise AnsibleParserError(message)
            display.warning(message)
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
