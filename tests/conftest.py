"""Make the repository importable as ``ansible_collections.aep.platform`` for pytest."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(ROOT, '.collections')
LINK = os.path.join(COLLECTIONS, 'ansible_collections', 'aep', 'platform')

if not os.path.lexists(LINK):
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    try:
        os.symlink(os.path.join('..', '..', '..'), LINK)
    except FileExistsError:  # created meanwhile by a parallel worker
        pass

if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
