# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The shared parts of the modules' documentation, as small named fragments that a module lists together.

    Each fragment documents one thing, and nothing is written in two of them. Ansible merges the fragments a
    module lists (``extends_documentation_fragment``), and the module's own entries win, so one attribute can
    take its description from one fragment and its support from another:

    - ``aep.platform.attributes``: every module. The descriptions of the four attributes, and the
      ``platform`` and ``action_group`` support that every module shares;
    - ``aep.platform.attributes.writes`` or ``aep.platform.attributes.read_only``: the ``check_mode`` and
      ``diff_mode`` support of a module that writes (check mode predicts, the diff is shown) or only reads.
      A module that is neither (``token``, ``inlet_post``) sets those two itself;
    - ``aep.platform.attributes.state``: the ``state``, ``on_duplicates`` and ``description`` options of a
      state module;
    - ``aep.platform.attributes.identity``: ``name`` and ``id`` of an object found by name (Flow Service
      objects, datasets, mapping sets); field groups and schemas are found by title and document their own;
    - ``aep.platform.attributes.flowservice_connection``: ``connection_spec_version`` of the Flow Service
      connections; ``aep.platform.attributes.recreate_connection``: ``recreate`` of source and target connections;
    - ``aep.platform.attributes.info`` with ``aep.platform.attributes.info_name`` or
      ``aep.platform.attributes.info_title``: the ``id`` and the ``name`` (or ``title``) filters of an
      ``*_info`` module (one implementation, ``engine.info``);
    - ``aep.platform.attributes.spec_cache``: ``cache`` of the connection and flow spec info modules.

    Fragments are plain string literals: ansible-test's yamllint reads them without running this file."""

    DOCUMENTATION = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target, if not supported the
      action will be skipped.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: all
  action_group:
    description: Action is part of action_group(s), for convenient setting of module_defaults.
    support: full
    membership:
      - aep.platform.aep
'''

    WRITES = r'''
attributes:
  check_mode:
    details: Check mode reads only and predicts the result (a placeholder id for an object that would be created).
  diff_mode:
    support: full
'''

    READ_ONLY = r'''
attributes:
  check_mode:
    details: The module only reads, so it runs normally in check mode.
  diff_mode:
    support: N/A
    details: The module only reads; there is never a change to show.
'''

    STATE = r'''
options:
  state:
    description:
      - V(present) creates the object when it does not exist and updates the fields you set when they differ.
        Fields you do not set are left as they are.
      - V(absent) deletes the object when it exists.
    type: str
    choices: [present, absent]
    default: present
  on_duplicates:
    description:
      - What to do when more than one object in the sandbox carries the name (or title) you gave. AEP does not
        make names unique, so duplicates come from concurrent runs of older versions or from objects made by hand.
      - V(fail) stops with an error that lists their ids, oldest first; pass O(id) to choose one.
      - V(keep_oldest) uses the oldest object and deletes the newer ones (in check mode it only says so). Where
        AEP cannot delete (a mapping set has no DELETE) or refuses to (the object is in use), the newer object is
        left in place and a warning names it.
      - Concurrent runs of this collection never leave duplicates either way, whatever this option says; after
        a create the module looks again, and when another run made the same object meanwhile, the oldest wins
        and the run that lost deletes its own (a mapping set stays, with a warning).
    type: str
    choices: [fail, keep_oldest]
    default: fail
  description:
    description:
      - Free-text description of the object. Not compared when omitted.
    type: str
'''

    IDENTITY = r'''
options:
  name:
    description:
      - Name of the object, its identity within the sandbox.
      - Required unless O(id) is given. With O(id), a different O(name) renames the object.
    type: str
  id:
    description:
      - Id of an existing object, in the format of its kind (a UUID for Flow Service objects, 24 hexadecimal
        characters for a dataset, 32 for a mapping set). When set, the object is looked up by id instead of name,
        and an unknown id fails; the module never creates an object with a given id.
    type: str
'''

    FLOWSERVICE_CONNECTION = r'''
options:
  connection_spec_version:
    description:
      - Version of the connection spec (C(connectionSpec.version)).
    type: str
    default: '1.0'
'''

    RECREATE_CONNECTION = r'''
options:
  recreate:
    description:
      - When the connection spec or its version of an existing connection differ, delete the connection and create it
        again (new id) instead of failing.
    type: bool
    default: false
'''

    INFO = r'''
options:
  id:
    description:
      - Return only the object with this id, in the format the matching state module takes for its O(id). A
        missing id gives an empty list, not an error.
    type: str
notes:
  - Without a filter, every object of the kind in the sandbox is returned; every page is read, so the list is
    complete.
'''

    INFO_NAME = r'''
options:
  name:
    description:
      - Return only the objects with exactly this name (case, spaces and punctuation included). AEP does not make
        names unique, so there may be more than one.
      - Mutually exclusive with O(id).
    type: str
'''

    INFO_TITLE = r'''
options:
  title:
    description:
      - Return only the objects whose title is this exact text; titles are not unique either, and a
        difference in case, spaces or punctuation is a different title. Mutually exclusive with O(id).
    type: str
'''

    SPEC_CACHE = r'''
options:
  cache:
    description:
      - Keep a spec read by O(id) for 24 hours in the per-user cache directory (the one of the shared token cache,
        E(AEP_TOKEN_CACHE_DIR)), so later runs do not read it again. Specs are catalogue data that AEP rarely changes;
        an unknown id is never cached.
    type: bool
    default: false
'''
