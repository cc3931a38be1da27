# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The documentation every ``*_info`` module of an AEP object kind shares (one implementation, ``engine.info``).

    - ``aep.platform.info``: the attributes of a module that only reads, the ``id`` filter, and the note that
      the list is complete;
    - ``aep.platform.info.name`` or ``aep.platform.info.title``: the filter by identity;
    - ``aep.platform.info.specs``: ``cache`` of the connection and flow spec info modules.

    Fragments are plain string literals: ansible-test's yamllint reads them without running this file."""

    DOCUMENTATION = r'''
attributes:
  check_mode:
    details: The module only reads, so it runs normally in check mode.
  diff_mode:
    support: N/A
    details: The module only reads; there is never a change to show.
options:
  id:
    description:
      - Return only the object with this id, in the format of the C(id) option of the matching state module (the
        C($id) for field groups and schemas). A missing id gives an empty list, not an error.
    type: str
notes:
  - Without a filter, every object of the kind in the sandbox is returned; every page is read, so the list is
    complete.
'''

    NAME = r'''
options:
  name:
    description:
      - Return only the objects with exactly this name (case, spaces and punctuation included). AEP does not make
        names unique, so there may be more than one.
      - Mutually exclusive with O(id).
    type: str
'''

    TITLE = r'''
options:
  title:
    description:
      - Return only the objects whose title is this exact text; titles are not unique either, and a
        difference in case, spaces or punctuation is a different title. Mutually exclusive with O(id).
    type: str
'''

    SPECS = r'''
options:
  cache:
    description:
      - Keep a spec read by O(id) for 24 hours in the per-user cache directory (the one of the shared token cache,
        E(AEP_TOKEN_CACHE_DIR)), so later runs do not read it again. Specs are catalogue data that AEP rarely changes;
        an unknown id is never cached.
    type: bool
    default: false
'''
