# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The options the Flow Service connection modules share.

    - ``aep.platform.flowservice``: ``connection_spec_version`` (base, source and target connections);
    - ``aep.platform.flowservice.recreate``: ``recreate`` (source and target connections).

    Fragments are plain string literals: ansible-test's yamllint reads them without running this file."""

    DOCUMENTATION = r'''
options:
  connection_spec_version:
    description:
      - Version of the connection spec (C(connectionSpec.version)).
    type: str
    default: '1.0'
'''

    RECREATE = r'''
options:
  recreate:
    description:
      - When the connection spec or its version of an existing connection differ, delete the connection and create it
        again (new id) instead of failing.
    type: bool
    default: false
'''
