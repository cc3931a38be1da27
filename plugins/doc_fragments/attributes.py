# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The shared parts of every module's documentation, as named fragments a module lists together (Ansible
    merges them; a module's own entries win). Each fragment says one thing, so nothing is written twice:

    - ``aep.platform.attributes``: the ``attributes`` of a module that writes (check mode predicts, diff shown);
    - ``aep.platform.attributes.read_only``: the ``attributes`` of a module that only reads;
    - ``aep.platform.attributes.state``: the ``state`` and ``on_duplicates`` options of every state module;
    - ``aep.platform.attributes.flowservice``: ``name``, ``id`` and ``description`` of every Flow Service object;
      ``aep.platform.attributes.flowservice_connection``: ``connection_spec_version`` of connections;
    - ``aep.platform.attributes.info`` / ``aep.platform.attributes.info_by_title``: ``name`` (or ``title``) and
      ``id`` of every ``*_info`` module of an AEP object kind (one implementation, ``engine.info``).

    Fragments are plain string literals (ansible-test's yamllint reads them without running this file).
    A state module lists ``aep.platform.connection``, ``aep.platform.attributes``, ``aep.platform.attributes.state``
    (and the Flow Service ones); an info module ``aep.platform.connection``, ``aep.platform.attributes.read_only``
    and ``aep.platform.attributes.info``."""

    DOCUMENTATION = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target, if not supported the
      action will be skipped.
    support: full
    details: Check mode reads only and predicts the result (a placeholder id for an object that would be created).
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
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

    READ_ONLY = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target, if not supported the
      action will be skipped.
    support: full
    details: The module only reads, so it runs normally in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details: The module only reads; there is never a change to show.
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

    STATE = r'''
options:
  state:
    description:
      - V(present) creates the object when it does not exist and updates the fields you set when they differ.
        Fields you do not set are left as they are.
      - V(absent) deletes the object when it exists. An object another object still uses (a connection in a dataflow,
        a base connection in a connection, a field group in a schema, a schema of a dataset or enabled for Profile)
        is not deleted; the task fails before the delete, in check mode too, and names what uses it.
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
        left in place and a warning names it. A removed (or, in check mode, a to-be-removed) duplicate makes the task
        C(changed), and the diff lists it under C(duplicates).
      - Concurrent runs of this collection never leave duplicates either way, whatever this option says; after
        a create the module looks again, and when another run made the same object meanwhile, the oldest wins
        and the run that lost deletes its own (a mapping set stays, with a warning).
    type: str
    choices: [fail, keep_oldest]
    default: fail
'''

    FLOWSERVICE = r'''
options:
  name:
    description:
      - Name of the object, its identity within the sandbox.
      - Required unless O(id) is given. With O(id), a different O(name) renames the object.
    type: str
  id:
    description:
      - Id (UUID) of an existing object. When set, the object is looked up by id instead of name, and an unknown id
        fails; the module never creates an object with a given id.
    type: str
  description:
    description:
      - Free-text description. Not compared when omitted.
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

    INFO = r'''
options:
  name:
    description:
      - Return only the objects with exactly this name (case, spaces and punctuation included). AEP does not make
        names unique, so there may be more than one.
      - Mutually exclusive with O(id).
    type: str
  id:
    description:
      - Return only the object with this id (in the format the matching state module takes for its O(id)). A missing id gives an empty list, not an error.
      - Mutually exclusive with O(name).
    type: str
notes:
  - Without O(name) and O(id), every object of the kind in the sandbox is returned; every page is read, so the
    list is complete.
'''

    INFO_BY_TITLE = r'''
options:
  title:
    description:
      - Return only the objects with exactly this title (case, spaces and punctuation included). AEP does not make
        titles unique, so there may be more than one.
      - Mutually exclusive with O(id).
    type: str
  id:
    description:
      - Return only the object with this id (its C($id), for example C(https://ns.adobe.com/<tenant>/schemas/<hash>)).
        A missing id gives an empty list, not an error.
      - Mutually exclusive with O(title).
    type: str
notes:
  - Without O(title) and O(id), every object of the kind in the sandbox is returned; every page is read, so the
    list is complete.
'''
