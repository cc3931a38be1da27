# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The documentation every state module of an AEP object kind shares (one state machine, ``engine``).

    - ``aep.platform.state``: check mode and diff support, and the ``state`` and ``on_duplicates`` options
      (``mapping_set``, which cannot delete, says in its own ``state`` what V(absent) does there);
    - ``aep.platform.state.description``: the ``description`` option (every state module but ``mapping_set``);
    - ``aep.platform.state.identity``: ``name`` and ``id`` of an object found by name (Flow Service objects,
      datasets, mapping sets). Field groups and schemas are found by title and document their own.

    Fragments are plain string literals: ansible-test's yamllint reads them without running this file."""

    DOCUMENTATION = r'''
attributes:
  check_mode:
    details: Check mode reads only and predicts the result (a placeholder id for an object that would be created).
  diff_mode:
    support: full
options:
  state:
    description:
      - V(present) creates the object when it does not exist and updates the fields you set when they differ.
        Fields you do not set are left as they are.
      - V(absent) deletes the object when it exists. An object another object still uses (a connection in a dataflow,
        a base connection in a connection, a field group in a schema, a schema of a dataset or enabled for Profile,
        a dataset a target connection writes to) is not deleted; the task fails before the delete, in check mode
        too, and names what uses it. The result's C(id) is the id of the deleted (in check mode, to-be-deleted)
        object.
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
      - V(keep_oldest) does not ask who made the objects. When the duplicates were made by hand, it deletes the newer
        hand-made ones and then updates the kept one to what the task declares, replacing its hand-made content (a
        field group's fields, say). Look at the ids V(fail) lists before choosing it.
      - Concurrent runs of this collection never leave duplicates either way, whatever this option says; after
        a create the module looks again, and when another run made the same object meanwhile, the oldest wins
        and the run that lost deletes its own (a mapping set stays, with a warning).
    type: str
    choices: [fail, keep_oldest]
    default: fail
  remove_with:
    description:
      - With O(state=absent), the objects that later tasks of the play remove after this one, as an offboarding
        removes a whole onboarding (dataflow, connections, dataset, schema, field group). Ignored with
        O(state=present).
      - AEP refuses to delete an object another object uses, so a removal done task by task can stop half-way when
        an object outside the removal uses one of them (another dataset of the schema, another schema with the field
        group, another dataflow of a connection). With this option the whole removal is checked before this task's
        delete, with reads only and in check mode too; the task fails naming each object in the way, its users and
        the fix, and nothing is removed. A schema enabled for Profile among them fails the same way.
      - Every object of the removal must belong to it, not just share a name, that is a dataset of the removal's schema, a
        target connection of its dataset, a dataflow of its connections and mapping set, a source connection of its
        base connection, a schema with its field group (a relation is checked when O(remove_with) names the kind it
        refers to). An object that only shares a name (made by someone else, or by another onboarding) fails the
        task the same way, naming it and why; nothing is removed. A V(mapping_set) entry is never deleted (Data Prep
        has no DELETE); it names the mapping set the dataflow must use.
      - Objects that do not exist are skipped; every object with a given name counts.
    type: list
    elements: dict
    suboptions:
      kind:
        description:
          - The kind of object.
        type: str
        required: true
        choices: [flow, target_connection, source_connection, base_connection, dataset, schema, field_group, mapping_set]
      name:
        description:
          - Its name (the title of a schema or field group). Give O(remove_with[].name) or O(remove_with[].id).
        type: str
      id:
        description:
          - Its id (the C($id) of a schema or field group).
        type: str
      connection_spec_id:
        description:
          - For a V(source_connection), V(base_connection) or V(target_connection) entry, the connection spec the
            removal's connection is of. A connection of that name but of another connection spec is not the
            removal's, and the task fails naming it; nothing is removed.
        type: str
  predicted_absent_ids:
    description:
      - Ids of objects an earlier check-mode task of the play predicted to delete (the C(id) of its C(changed)
        V(absent) result). Check mode only, ignored otherwise.
      - Check mode deletes nothing, so the in-use checks of V(absent) and O(on_duplicates=keep_oldest) would still
        see those objects using this one and fail where the real run passes; users listed here do not count.
        Without it, a check-mode V(absent) of an object in use fails as the real run does.
    type: list
    elements: str
    default: []
'''

    DESCRIPTION = r'''
options:
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
