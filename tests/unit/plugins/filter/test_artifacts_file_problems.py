"""aep.platform.artifacts_file_problems: the artifacts file the role writes after provisioning is checked before any
request (breaker report, item 9): usable paths give no problem and leave no trace; unusable ones name the path and
the fix."""

import os

import pytest

from ansible_collections.aep.platform.plugins.filter.artifacts_file_problems import artifacts_file_problems


def test_no_path_means_no_artifacts_file_and_no_problem():
    assert artifacts_file_problems('') == [] and artifacts_file_problems(None) == [] and artifacts_file_problems('  ') == []


@pytest.mark.parametrize('content', [None, '', '{}', '{"dev": {"inlet_url": "x"}}'])
def test_a_usable_path_has_no_problem_and_leaves_nothing_behind(tmp_path, content):
    path = tmp_path / 'artifacts' / 'deeper' / 'inlet_urls.json'  # directories created by the role later
    if content is not None:
        path.parent.mkdir(parents=True)
        path.write_text(content)
    before = sorted(p.name for p in tmp_path.rglob('*'))
    assert artifacts_file_problems(str(path)) == []
    assert sorted(p.name for p in tmp_path.rglob('*')) == before


@pytest.mark.parametrize('content, what', [('[1]', 'holds a JSON list, not an object'), ('{oops', 'does not hold JSON'),
                                           ('"x"', 'holds a JSON str, not an object'),
                                           ('{"dev": "x"}', 'the entry of dev is a JSON str, not an object'),
                                           ('{"version": 3, "sandboxes": {}}', 'is version 3 of the artifacts file'),
                                           ('{"version": 2, "sandboxes": {"dev": {"f": 1}}}', 'sandboxes.dev is not an object')])
def test_content_that_is_not_an_object_is_a_problem(tmp_path, content, what):
    path = tmp_path / 'inlet_urls.json'
    path.write_text(content)
    problems = artifacts_file_problems(str(path))
    assert len(problems) == 1 and problems[0].startswith('artifacts file %s: %s' % (path, what)), problems
    assert 'aep_artifacts_file' in problems[0]
    assert path.read_text() == content


def test_a_directory_or_a_file_in_the_way_is_a_problem(tmp_path):
    assert artifacts_file_problems(str(tmp_path))[0] == 'artifacts file %s: is a directory; set aep_artifacts_file (or ' \
        'streaming_source_artifacts_file) to a writable path, or to "" for no artifacts file' % tmp_path
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    problems = artifacts_file_problems(str(blocker / 'a' / 'inlet_urls.json'))
    assert len(problems) == 1 and '%s is not a directory' % blocker in problems[0], problems


@pytest.mark.skipif(os.geteuid() == 0, reason='root writes into read-only-mode directories')
def test_a_directory_without_write_permission_is_a_problem(tmp_path):
    locked = tmp_path / 'locked'
    locked.mkdir()
    locked.chmod(0o500)
    try:
        problems = artifacts_file_problems(str(locked / 'inlet_urls.json'))
    finally:
        locked.chmod(0o700)
    assert problems and 'does not accept new files' in problems[0], problems


def test_a_filesystem_that_refuses_files_is_a_problem_even_for_root():
    problems = artifacts_file_problems('/proc/aep-artifacts.json')
    assert problems and problems[0].startswith('artifacts file /proc/aep-artifacts.json: its directory /proc does not accept new files')
