"""Unit tests of ``preflight.not_owned``: an object of a removal (an offboarding) belongs to the removal's chain, not
just to its name (breaker4 finding 1: a dataset of another schema, named like the role's, was deleted)."""

import pytest

from ansible_collections.aep.platform.plugins.module_utils.errors import InputError

from ansible_collections.aep.platform.plugins.module_utils.resources import preflight

SCHEMA = 'https://ns.adobe.com/_t/schemas/ours'
OTHER_SCHEMA = 'https://ns.adobe.com/_t/schemas/theirs'
GROUP = 'https://ns.adobe.com/_t/mixins/ours'
EVENT = 'https://ns.adobe.com/xdm/context/experienceevent'
ALL = [{'kind': k, 'name': k.replace('_', ' ').title()} for k in
       ('target_connection', 'source_connection', 'base_connection', 'mapping_set', 'dataset', 'schema', 'field_group')]


def chain():
    """The objects one onboarding makes, as (kind, object) pairs, every relation pointing inside the chain."""
    return [
        ('flow', {'id': 'f1', 'name': 'Flow', 'sourceConnectionIds': ['s1'], 'targetConnectionIds': ['t1'],
                  'transformations': [{'name': 'Mapping', 'params': {'mappingId': 'm1', 'mappingVersion': 0}}]}),
        ('target_connection', {'id': 't1', 'name': 'Target Connection', 'params': {'dataSetId': 'd1'}}),
        ('source_connection', {'id': 's1', 'name': 'Source Connection', 'baseConnectionId': 'b1'}),
        ('base_connection', {'id': 'b1', 'name': 'Base Connection'}),
        ('mapping_set', {'id': 'm1', 'name': 'Mapping Set'}),
        ('dataset', {'id': 'd1', 'name': 'Dataset', 'schemaRef': {'id': SCHEMA}}),
        ('schema', {'$id': SCHEMA, 'title': 'Schema', 'allOf': [{'$ref': EVENT}, {'$ref': GROUP}]}),
        ('field_group', {'$id': GROUP, 'title': 'Field Group'}),
    ]


def replaced(members, kind, obj):
    return [(k, obj if k == kind else o) for k, o in members]


def test_the_chain_of_one_onboarding_is_owned():
    assert preflight.not_owned(chain(), ALL) == []


def test_a_schema_may_hold_other_field_groups_and_use_meta_extends():
    schema = {'$id': SCHEMA, 'title': 'Schema', 'meta:extends': [EVENT, GROUP, 'https://ns.adobe.com/_t/mixins/x'],
              'allOf': [{'$ref': EVENT}]}
    assert preflight.not_owned(replaced(chain(), 'schema', schema), ALL) == []


@pytest.mark.parametrize('kind, obj, expected', [
    ('dataset', {'id': 'dx', 'name': 'Dataset', 'schemaRef': {'id': OTHER_SCHEMA}},
     "dataset 'Dataset' (dx) is of schema %s, not the schema 'Schema' of this removal (%s)" % (OTHER_SCHEMA, SCHEMA)),
    ('target_connection', {'id': 'tx', 'name': 'Target Connection', 'params': {'dataSetId': 'dz'}},
     "target connection 'Target Connection' (tx) writes to dataset dz, not the dataset 'Dataset' of this removal (d1)"),
    ('source_connection', {'id': 'sx', 'name': 'Source Connection', 'baseConnectionId': 'bz'},
     "source connection 'Source Connection' (sx) uses base connection bz, not the base connection 'Base Connection'"),
    ('schema', {'$id': OTHER_SCHEMA, 'title': 'Schema', 'allOf': [{'$ref': EVENT}]},
     "schema 'Schema' (%s) does not have the field group 'Field Group' of this removal (%s)" % (OTHER_SCHEMA, GROUP)),
])
def test_an_object_that_only_shares_a_name_is_not_owned(kind, obj, expected):
    members = replaced(chain(), kind, obj)
    # the flow and dataset etc. that pointed at the replaced object now point outside: keep only the replaced one's
    problems = [p for p in preflight.not_owned(members, ALL) if p.startswith(kind.replace('_', ' ') + ' ')]
    assert len(problems) == 1 and problems[0].startswith(expected), problems


@pytest.mark.parametrize('change, words', [
    ({'targetConnectionIds': ['t2']}, "writes to target connection t2, not the target connection 'Target Connection'"),
    ({'sourceConnectionIds': ['s2']}, "reads from source connection s2, not the source connection 'Source Connection'"),
    ({'transformations': [{'name': 'Mapping', 'params': {'mappingId': 'm2'}}]},
     "maps with mapping set m2, not the mapping set 'Mapping Set' of this removal (m1)"),
])
def test_a_dataflow_switched_to_other_objects_is_not_owned(change, words):
    flow = dict(chain()[0][1], **change)
    problems = preflight.not_owned(replaced(chain(), 'flow', flow), ALL)
    assert len(problems) == 1 and problems[0].startswith("flow 'Flow' (f1) " + words), problems


def test_a_kind_named_but_not_found_owns_nothing():
    """The role's schema is gone (never made): a dataset of the role's name belongs to no schema of the removal."""
    members = [(k, o) for k, o in chain() if k != 'schema']
    problems = preflight.not_owned(members, ALL)
    assert problems == ["dataset 'Dataset' (d1) is of schema %s, not the schema 'Schema' of this removal (none exists)"
                        % SCHEMA], problems


def test_a_relation_is_checked_only_when_remove_with_names_its_kind():
    """A module user's partial remove_with: the dataflow's mapping set and the dataset's schema are not named."""
    named = [e for e in ALL if e['kind'] not in ('mapping_set', 'schema')]
    members = [(k, o) for k, o in chain() if k not in ('mapping_set', 'schema')]
    members = replaced(members, 'dataset', {'id': 'd1', 'name': 'Dataset', 'schemaRef': {'id': OTHER_SCHEMA}})
    assert preflight.not_owned(members, named) == []


def test_ids_name_the_removal_too():
    named = [{'kind': 'dataset', 'id': 'd1'}]
    members = [('target_connection', {'id': 't1', 'name': 'T', 'params': {'dataSetId': 'd9'}}),
               ('dataset', {'id': 'd1', 'name': 'Dataset', 'schemaRef': {'id': SCHEMA}})]
    assert preflight.not_owned(members, named) == [
        "target connection 'T' (t1) writes to dataset d9, not the dataset d1 of this removal (d1)"]


def test_a_connection_of_another_connection_spec_is_not_owned():
    named = [{'kind': 'source_connection', 'name': 'S', 'connection_spec_id': 'AAAA'},
             {'kind': 'target_connection', 'name': 'T', 'connection_spec_id': 'cccc'}]
    members = [('source_connection', {'id': 's1', 'name': 'S', 'connectionSpec': {'id': 'aaaa', 'version': '1.0'}}),
               ('target_connection', {'id': 't1', 'name': 'T', 'connectionSpec': {'id': 'dddd'}}),
               ('source_connection', {'id': 's2', 'name': 'S'})]
    assert preflight.not_owned(members, named) == [
        "target connection 'T' (t1) is of connection spec dddd, not cccc (connection_spec_id)",
        "source connection 'S' (s2) is of connection spec none, not aaaa (connection_spec_id)"]


def test_check_absent_checks_the_first_connection_s_own_spec():
    """The task's own object (``current``) is checked against its ``connection_spec_id`` option; no request is made
    for an empty removal but the in-use reads, which a client stub answers with nothing."""
    class Client(object):
        def list(self, *args, **kwargs):
            return []
    current = {'id': 't1', 'name': 'T', 'connectionSpec': {'id': 'other'}}
    params = {'state': 'absent', 'connection_spec_id': 'mine', 'remove_with': [{'kind': 'dataset', 'name': 'D'}]}
    with pytest.raises(InputError) as err:
        preflight.check_absent(Client(), 'target_connection', current, params, False)
    assert "target connection 'T' (t1) is of connection spec other, not mine" in str(err.value)
    assert 'Nothing was removed' in str(err.value) and 'streaming_source_names' in str(err.value)
