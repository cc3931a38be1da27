# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """``state`` and ``on_duplicates``, and the ``attributes`` of every state module (no
    ``ansible.builtin.action_common_attributes`` needed)."""

    DOCUMENTATION = r'''
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
