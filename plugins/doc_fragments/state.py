# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

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
'''
