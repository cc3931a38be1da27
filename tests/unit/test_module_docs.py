"""What users read: every module's DOCUMENTATION, EXAMPLES and RETURN agree with its argument spec.

For each module in ``plugins/modules``:

- DOCUMENTATION, EXAMPLES and RETURN parse as YAML; ``version_added`` and ``author`` are set;
- the documented options (the module's own plus those of its ``aep.platform.*`` doc fragments) are exactly
  the options of its argument spec (``inprocess.module_definition`` plus ``args.connection_spec``),
  down to suboptions, with the same type, default, choices, elements and ``required``;
- every EXAMPLES task calls ``aep.platform.<module>`` by FQCN or another real module, and uses only
  documented options of aep.platform modules (suboptions too where they are documented);
- state modules declare full check mode and diff support and the ``aep.platform.aep`` action group, and
  document the ``id`` and ``etag`` return values.
"""

import importlib
import os

import pytest
import yaml
from ansible.playbook.block import Block
from ansible.playbook.play import Play
from ansible.playbook.task import Task
from ansible.plugins.loader import action_loader, module_loader

from ansible_collections.aep.platform.plugins.module_utils.args import connection_spec
from ansible_collections.aep.platform.plugins.plugin_utils.inprocess import module_definition

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ALL_MODULES = sorted(n[:-3] for n in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                     if n.endswith('.py') and not n.startswith('_'))
# The modules of AEP objects (a ModuleDefinition, the connection options, the aep action group); the others run on the
# controller through an action plugin of their own (inlet_urls_file) and are checked by test_controller_module_docs.
CONTROLLER_MODULES = ['inlet_urls_file']
MODULES = [name for name in ALL_MODULES if name not in CONTROLLER_MODULES]
PREFIX = 'aep.platform.'
TASK_KEYWORDS = set(Task.fattributes) | {'local_action', 'with_items', 'with_dict', 'with_list'}
BLOCK_KEYWORDS = set(Block.fattributes)
PLAY_KEYWORDS = set(Play.fattributes)
BUILTIN_FRAGMENTS = ('ansible.builtin.action_common_attributes', 'ansible.builtin.action_common_attributes.actiongroups')


def _module_docs(name):
    module = importlib.import_module('ansible_collections.aep.platform.plugins.modules.' + name)
    return (yaml.safe_load(module.DOCUMENTATION), yaml.safe_load(module.EXAMPLES), yaml.safe_load(module.RETURN))


def _merged_docs(name):
    """DOCUMENTATION with its doc fragments merged in, as ansible-doc shows it."""
    from ansible.plugins.loader import fragment_loader
    from ansible.utils.plugin_docs import get_docstring
    path = os.path.join(ROOT, 'plugins', 'modules', name + '.py')
    return get_docstring(path, fragment_loader, collection_name='aep.platform', is_module=True)[0]


def _fragment_options(fragment):
    """The options of an ``aep.platform.<x>`` doc fragment (read from ``plugins/doc_fragments/<x>.py``)."""
    if fragment in BUILTIN_FRAGMENTS:
        return {}
    assert fragment.startswith(PREFIX), 'unknown doc fragment %s' % fragment
    name = fragment[len(PREFIX):]
    var = 'DOCUMENTATION'
    if '.' in name:
        name, var = name.split('.', 1)
        var = var.upper()
    module = importlib.import_module('ansible_collections.aep.platform.plugins.doc_fragments.' + name)
    return yaml.safe_load(getattr(module.ModuleDocFragment, var)).get('options') or {}


def documented_options(name):
    """The module's options merged with those of its fragments as Ansible merges them: the module's own keys of an
    option win over a fragment's (``mapping_set`` words ``state`` its own way and keeps the fragment's type)."""
    doc = _module_docs(name)[0]
    options = {}
    for fragment in doc.get('extends_documentation_fragment') or []:
        for key, value in _fragment_options(fragment).items():
            options.setdefault(key, dict(value or {}))
    for key, value in (doc.get('options') or {}).items():
        options[key] = dict(options.get(key) or {}, **(value or {}))
    return options


def spec_options(name):
    argument_spec = module_definition(name)[0]
    return connection_spec(argument_spec)


def _compare(doc_opts, spec_opts, where):
    """Differences between documented options and an argument spec, recursively (suboptions)."""
    problems = []
    for missing in sorted(set(spec_opts) - set(doc_opts)):
        problems.append('%s%s: in the argument spec but not documented' % (where, missing))
    for extra in sorted(set(doc_opts) - set(spec_opts)):
        problems.append('%s%s: documented but not in the argument spec' % (where, extra))
    for key in sorted(set(doc_opts) & set(spec_opts)):
        doc, spec = doc_opts[key] or {}, spec_opts[key] or {}
        path = '%s%s' % (where, key)
        if not doc.get('description'):
            problems.append('%s: no description' % path)
        for attr, default in (('type', 'str'), ('elements', None), ('choices', None), ('required', False),
                              ('default', None), ('aliases', None)):
            doc_value, spec_value = doc.get(attr, default), spec.get(attr, default)
            if attr in ('choices', 'aliases') and doc_value and spec_value:
                doc_value, spec_value = sorted(doc_value), sorted(spec_value)
            if doc_value != spec_value:
                problems.append('%s: %s is %r in the docs but %r in the spec' % (path, attr, doc_value, spec_value))
        sub_doc, sub_spec = doc.get('suboptions'), spec.get('options')
        if sub_doc or sub_spec:
            problems += _compare(sub_doc or {}, sub_spec or {}, path + '.')
    return problems


@pytest.mark.parametrize('name', MODULES)
def test_docs_parse_and_metadata(name):
    doc, examples, returns = _module_docs(name)
    assert doc['module'] == name
    assert doc.get('short_description')
    assert doc.get('description')
    assert str(doc.get('version_added') or '') == '0.1.0', '%s: version_added must be the collection version' % name
    assert doc.get('author'), '%s: author missing' % name
    assert isinstance(examples, list) and examples, '%s: EXAMPLES is empty' % name
    assert isinstance(returns, dict), '%s: RETURN must document the return values' % name
    for key, value in returns.items():
        assert value.get('description') and value.get('returned') and value.get('type'), \
            '%s: RETURN %s needs description, returned and type' % (name, key)


@pytest.mark.parametrize('name', MODULES)
def test_documented_options_match_argument_spec(name):
    problems = _compare(documented_options(name), spec_options(name), '')
    assert not problems, '%s:\n  %s' % (name, '\n  '.join(problems))


def _tasks(entries):
    """Every task of an EXAMPLES list (plays, blocks and plain tasks mixed)."""
    for entry in entries or []:
        if 'tasks' in entry or 'hosts' in entry:
            for section in ('pre_tasks', 'tasks', 'post_tasks', 'handlers'):
                yield from _tasks(entry.get(section))
        elif 'block' in entry:
            for section in ('block', 'rescue', 'always'):
                yield from _tasks(entry.get(section))
        else:
            yield entry


def _real_module(fqcn):
    if module_loader.find_plugin_with_context(fqcn).resolved:
        return True
    return action_loader.find_plugin_with_context(fqcn).resolved


def _unknown_keys(args, options, where):
    problems = []
    names = dict((alias, key) for key, doc in options.items() for alias in [key] + list((doc or {}).get('aliases') or []))
    for key, value in (args or {}).items():
        if key not in names:
            problems.append('%s%s: not an option' % (where, key))
            continue
        suboptions = (options[names[key]] or {}).get('suboptions')
        if not suboptions:
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                problems += _unknown_keys(item, suboptions, '%s%s.' % (where, key))
    return problems


@pytest.mark.parametrize('name', MODULES)
def test_examples_use_fqcn_and_documented_options(name):
    examples = _module_docs(name)[1]
    problems = []
    uses_self = False
    for task in _tasks(examples):
        label = task.get('name', '<unnamed task>')
        if not task.get('name'):
            problems.append('a task without a name')
        actions = [key for key in task if key not in TASK_KEYWORDS]
        if len(actions) != 1:
            problems.append('%s: expected one module per task, found %s' % (label, actions))
            continue
        action = actions[0]
        if action.count('.') < 2:
            problems.append('%s: %s is not a fully qualified collection name' % (label, action))
            continue
        if not action.startswith(PREFIX):
            if not _real_module(action):
                problems.append('%s: %s is not a known module' % (label, action))
            continue
        target = action[len(PREFIX):]
        if target not in MODULES:
            problems.append('%s: %s is not a module of this collection' % (label, action))
            continue
        uses_self = uses_self or target == name
        args = task[action]
        if args is not None and not isinstance(args, dict):
            problems.append('%s: %s arguments must be a mapping' % (label, action))
            continue
        problems += ['%s (%s): %s' % (label, action, p) for p in _unknown_keys(args, documented_options(target), '')]
    assert uses_self, '%s: no example uses aep.platform.%s' % (name, name)
    assert not problems, '%s EXAMPLES:\n  %s' % (name, '\n  '.join(problems))


def _is_state_module(name):
    return 'state' in module_definition(name)[0]


@pytest.mark.parametrize('name', MODULES)
def test_attributes(name):
    doc = _module_docs(name)[0]
    merged = _merged_docs(name)
    fragments = doc.get('extends_documentation_fragment') or []
    attributes = merged.get('attributes') or {}
    assert 'aep.platform.connection' in fragments, name
    for key in ('check_mode', 'diff_mode', 'platform', 'action_group'):  # from ansible.builtin or our fragments
        assert (attributes.get(key) or {}).get('description'), '%s: attributes.%s has no description' % (name, key)
    assert attributes.get('check_mode', {}).get('support') == 'full', '%s: check_mode support must be full' % name
    group = attributes.get('action_group') or {}
    assert group.get('support') == 'full' and 'aep.platform.aep' in (group.get('membership') or []), \
        '%s: attributes.action_group must list aep.platform.aep' % name
    if _is_state_module(name):
        state = documented_options(name).get('state') or {}
        assert state.get('choices') == ['present', 'absent'] and state.get('default') == 'present', \
            '%s: state modules document state (the aep.platform.attributes.state fragment, or their own words)' % name
        assert attributes.get('diff_mode', {}).get('support') == 'full', '%s: diff_mode support must be full' % name
    else:
        assert attributes.get('diff_mode', {}).get('support') in ('none', 'N/A'), \
            '%s: a module without state makes no change to diff' % name


@pytest.mark.parametrize('name', [m for m in MODULES if not m.endswith('_info') and m not in ('token', 'inlet_post')])
def test_state_module_returns_id_and_etag(name):
    assert _is_state_module(name)
    returns = _module_docs(name)[2]
    for key in ('id', 'etag', 'diff', name):
        assert key in returns, '%s: RETURN must document %s' % (name, key)


# One house style, and every shared text written once (doc fragments, ``plugins/doc_fragments/*.py``).
HOUSE_ORDER = ['module', 'short_description', 'description', 'author', 'extends_documentation_fragment', 'attributes',
               'options', 'version_added', 'seealso', 'notes']
AUTHOR = 'aep.platform maintainers (@aep-platform)'
FRAGMENTS_DIR = os.path.join(ROOT, 'plugins', 'doc_fragments')
LONG = 80


def _fragment_docs():
    """Every named fragment of the collection: ``{'aep.platform.<file>[.<var>]': parsed YAML}``."""
    docs = {}
    for filename in sorted(os.listdir(FRAGMENTS_DIR)):
        if not filename.endswith('.py') or filename.startswith('_'):
            continue
        name = filename[:-3]
        cls = importlib.import_module('ansible_collections.aep.platform.plugins.doc_fragments.' + name).ModuleDocFragment
        for var in sorted(v for v in vars(cls) if v.isupper()):
            text = getattr(cls, var)
            assert isinstance(text, str), '%s.%s must be a plain string literal (yamllint reads it as such)' % (name, var)
            docs[PREFIX + name + ('' if var == 'DOCUMENTATION' else '.' + var.lower())] = yaml.safe_load(text)
    return docs


def _texts(options, where):
    """(text, place) of every option description of ``options`` (suboptions too), whole and bullet by bullet.

    A bullet shorter than ``LONG`` characters is left out: a one-sentence convention such as "Required when the
    connection has to be created." may recur; a whole description or a longer passage is shared text."""
    for key, doc in (options or {}).items():
        description = (doc or {}).get('description') or []
        bullets = [' '.join(text.split()) for text in ([description] if isinstance(description, str) else description)]
        yield ' '.join(bullets), '%s%s' % (where, key)
        for text in bullets:
            if len(text) >= LONG and len(bullets) > 1:
                yield text, '%s%s' % (where, key)
        yield from _texts((doc or {}).get('suboptions'), '%s%s.' % (where, key))


@pytest.mark.parametrize('name', MODULES)
def test_house_style(name):
    module = importlib.import_module('ansible_collections.aep.platform.plugins.modules.' + name)
    assert module.DOCUMENTATION.startswith('\nmodule: %s\n' % name), '%s: DOCUMENTATION starts with module:' % name
    doc = _module_docs(name)[0]
    keys = list(doc)
    assert keys == [k for k in HOUSE_ORDER if k in doc], '%s: keys %s, house order %s' % (name, keys, HOUSE_ORDER)
    assert doc['author'] == AUTHOR, '%s: author must be the one line %r' % (name, AUTHOR)
    fragments = doc['extends_documentation_fragment']
    assert fragments[:2] == [PREFIX + 'connection', PREFIX + 'attributes'], \
        '%s: every module lists aep.platform.connection and aep.platform.attributes first' % name
    known = set(_fragment_docs())
    assert set(fragments) <= known, '%s: unknown fragments %s' % (name, sorted(set(fragments) - known))
    for key in ('platform', 'action_group'):  # said once, in aep.platform.attributes
        assert key not in (doc.get('attributes') or {}), '%s: attributes.%s comes from aep.platform.attributes' % (name, key)


@pytest.mark.parametrize('name', MODULES)
def test_module_kind_uses_its_fragments(name):
    """A state module lists aep.platform.state (mapping_set, which cannot delete, documents its own state); an
    ``*_info`` module of an object kind lists aep.platform.info and the fragment of its identity filter."""
    fragments = _module_docs(name)[0]['extends_documentation_fragment']
    spec = spec_options(name)
    if 'state' in spec and name != 'mapping_set':
        assert PREFIX + 'state' in fragments, name
    if name.endswith('_info') and 'id' in spec:
        identity = 'title' if 'title' in spec else 'name'
        assert PREFIX + 'info' in fragments and PREFIX + 'info.' + identity in fragments, name
        returns = _module_docs(name)[2]
        assert 'count' in returns and any(value.get('type') == 'list' for value in returns.values()), \
            '%s: an info module returns its list and count' % name


def test_no_description_is_written_twice():
    """An option's description (a module's own, or a fragment's) stands in one place only: shared text is a fragment."""
    seen, problems = {}, []
    places = [('fragment %s' % name, doc.get('options')) for name, doc in _fragment_docs().items()]
    places += [('module %s' % name, _module_docs(name)[0].get('options')) for name in MODULES]
    for where, options in places:
        for text, key in _texts(options, ''):
            if len(text) < 40:  # short phrases such as "Id of the flow." may recur
                continue
            if text in seen and seen[text] != '%s %s' % (where, key):
                problems.append('%s %s repeats %s: %s' % (where, key, seen[text], text))
            seen.setdefault(text, '%s %s' % (where, key))
    assert not problems, '\n'.join(problems)


def test_fragments_say_each_attribute_once():
    """No two fragments give the same attribute the same field (description, support, details, ...)."""
    owner, problems = {}, []
    for name, doc in _fragment_docs().items():
        for attribute, fields in ((doc or {}).get('attributes') or {}).items():
            for field in fields:
                key = (attribute, field)
                if key in owner and not {owner[key], name} <= {PREFIX + 'state', PREFIX + 'info'}:
                    problems.append('%s.%s in %s and %s' % (attribute, field, owner[key], name))
                owner.setdefault(key, name)
    assert not problems, problems


def test_every_module_is_an_aep_module_or_a_controller_module():
    for name in ALL_MODULES:
        module = importlib.import_module('ansible_collections.aep.platform.plugins.modules.' + name)
        assert hasattr(module, 'DEFINITION') != (name in CONTROLLER_MODULES), name


@pytest.mark.parametrize('name', CONTROLLER_MODULES)
def test_controller_module_docs(name):
    """A controller module: the house order and author, docs that match the ARGUMENT_SPEC its action plugin
    validates with, examples with documented options, check mode and diff, and no connection options."""
    module = importlib.import_module('ansible_collections.aep.platform.plugins.modules.' + name)
    doc, examples, returns = _module_docs(name)
    assert doc['module'] == name and doc['author'] == AUTHOR and str(doc['version_added']) == '0.1.0'
    assert list(doc) == [k for k in HOUSE_ORDER if k in doc], list(doc)
    assert examples and returns and all(v.get('description') and v.get('returned') and v.get('type') for v in returns.values())
    problems = _compare(doc.get('options') or {}, module.ARGUMENT_SPEC, '')
    assert not problems, problems
    assert doc['attributes']['check_mode']['support'] == 'full' and doc['attributes']['diff_mode']['support'] == 'full'
    for task in _tasks(examples):
        args = task.get('aep.platform.' + name)
        if isinstance(args, dict):
            assert set(args) <= set(module.ARGUMENT_SPEC), args
