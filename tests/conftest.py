"""Make the repository importable as ``ansible_collections.aep.platform`` for pytest.

The collection is reached through ``.collections/ansible_collections/aep/platform -> ../../..`` (created
here when missing; ``.collections`` is git-ignored). When the repository is itself checked out at
``.../ansible_collections/aep/platform`` (as ``ansible-test units`` and the community's CI lay it out), that
tree is used instead, and nothing is installed when ansible-test has installed its own collection loader. The pytest-ansible plugin is told to only inject
that path (``--ansible-unit-inject-only``), so it installs Ansible's collection loader on it instead of
building its own ``collections/`` symlink tree inside the repository.
"""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IN_COLLECTION_TREE = ROOT.replace(os.sep, '/').endswith('/ansible_collections/aep/platform')
COLLECTIONS = os.path.dirname(os.path.dirname(os.path.dirname(ROOT))) if IN_COLLECTION_TREE else os.path.join(ROOT, '.collections')
LINK = os.path.join(COLLECTIONS, 'ansible_collections', 'aep', 'platform')


def _ensure_link():
    if IN_COLLECTION_TREE or os.path.lexists(LINK):
        return
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    try:
        os.symlink(os.path.join('..', '..', '..'), LINK)
    except FileExistsError:  # created meanwhile by a parallel worker
        pass


def _install_collection_loader():
    """Import ``ansible_collections.*`` through Ansible's loader (as ansible-test units does), before any
    test module or conftest imports collection code."""
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    if any(isinstance(finder, _AnsibleCollectionFinder) for finder in sys.meta_path):
        return  # ansible-test units installed its own
    _AnsibleCollectionFinder(paths=[COLLECTIONS])._install()


_ensure_link()
os.environ['ANSIBLE_COLLECTIONS_PATH'] = COLLECTIONS
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
_install_collection_loader()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    if hasattr(config.option, 'ansible_unit_inject_only'):
        config.option.ansible_unit_inject_only = True
