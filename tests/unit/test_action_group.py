"""meta/runtime.yml lists every module of AEP objects in the ``aep`` action group (those built on a ModuleDefinition,
which take the connection options), and nothing else: not the controller modules (inlet_urls_file)."""

import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_action_group_matches_modules():
    modules = []
    for name in sorted(os.listdir(os.path.join(ROOT, 'plugins', 'modules'))):
        if name.endswith('.py') and not name.startswith('_'):
            with open(os.path.join(ROOT, 'plugins', 'modules', name)) as handle:
                if 'DEFINITION' in handle.read():
                    modules.append(name[:-3])
    assert 'inlet_urls_file' not in modules and 'flow' in modules
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as handle:
        runtime = yaml.safe_load(handle)
    group = runtime['action_groups']['aep']
    missing = sorted(set(modules) - set(group))
    unknown = sorted(set(group) - set(modules))
    assert not missing and not unknown, (
        'meta/runtime.yml action group "aep" is out of date (missing: %s, no such module: %s); '
        'run: python scripts/gen_action_group.py --write' % (missing, unknown))
    assert group == sorted(group)


def test_requires_ansible():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as handle:
        assert yaml.safe_load(handle)['requires_ansible'] == '>=2.19.0'
