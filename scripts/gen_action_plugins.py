#!/usr/bin/env python
"""Write (or --check) one in-process action plugin per module in plugins/modules.

Each plugins/action/<module>.py is a two-line subclass of InProcessActionModule, so a module's logic
runs in the controller process when the connection is local (see plugins/plugin_utils/inprocess.py).
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = '''# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs M(aep.platform.{name}) in the controller process; see plugins/plugin_utils/inprocess.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.plugin_utils.inprocess import InProcessActionModule


class ActionModule(InProcessActionModule):
    """In-process runner of aep.platform.{name}."""
'''


def aep_modules():
    """The modules of AEP objects: those built on a ModuleDefinition (``DEFINITION``). A module that runs on the
    controller only (``inlet_urls_file``) has an action plugin of its own and takes no connection options."""
    return sorted(p.stem for p in (ROOT / 'plugins/modules').glob('*.py')
                  if p.stem != '__init__' and 'DEFINITION' in p.read_text())


def controller_modules():
    """The modules that run on the controller through an action plugin of their own."""
    return sorted(p.stem for p in (ROOT / 'plugins/modules').glob('*.py')
                  if p.stem != '__init__' and 'DEFINITION' not in p.read_text())


def expected():
    modules = aep_modules()
    return {ROOT / 'plugins/action' / (m + '.py'): TEMPLATE.format(name=m) for m in modules}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--check', action='store_true', help='fail when a plugin is missing or stale')
    args = parser.parse_args()
    wanted = expected()
    stale = [p for p, text in wanted.items() if not p.exists() or p.read_text() != text]
    own = set((ROOT / 'plugins/action' / (m + '.py')) for m in controller_modules())
    extra = [p for p in (ROOT / 'plugins/action').glob('*.py') if p not in wanted and p not in own]
    if args.check:
        for path in stale + extra:
            print('out of date: %s (run scripts/gen_action_plugins.py)' % path.relative_to(ROOT))
        return 1 if stale or extra else 0
    for path in stale:
        path.write_text(wanted[path])
    for path in extra:
        path.unlink()
    return 0


if __name__ == '__main__':
    sys.exit(main())
