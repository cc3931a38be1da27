"""The streaming_source_preset filter: preset layout, overrides and names checked offline, each problem naming its key."""

import copy
from pathlib import Path

import pytest
import yaml

from ansible_collections.aep.platform.plugins.filter import streaming_source_preset as f

PRESETS = Path(__file__).resolve().parents[4] / 'roles' / 'streaming_source' / 'vars' / 'presets'
CHATLIO = yaml.safe_load((PRESETS / 'chatlio.yml').read_text())['streaming_source_preset_data']


@pytest.mark.parametrize('path', sorted(PRESETS.glob('*.yml')), ids=lambda p: p.stem)
def test_every_shipped_preset_is_valid_and_documents_its_record(path):
    result = f.load_and_check(str(path))
    assert result['problems'] == []
    assert result['preset']['expected_record'] and result['preset']['sample_event']
    assert result['names']['flow'] == 'Ansible %s Streaming Dataflow' % result['preset']['label']


def problems(change):
    preset = copy.deepcopy(CHATLIO)
    change(preset)
    return f.check_preset(preset)


def test_missing_misspelt_and_mistyped_keys():
    assert problems(lambda p: p.pop('smoke')) == ['smoke: missing; add the smoke test']
    found = problems(lambda p: p.update(labl=p.pop('label')))
    assert any(m.startswith('labl: unknown key (did you mean label?)') for m in found)
    assert any(m.startswith('label: missing') for m in found)
    assert problems(lambda p: p['source'].update(connection_spec_id=7))[0].startswith('source.connection_spec_id: must be a non-empty string')
    assert problems(lambda p: p['flow'].update(flow_spec_id='x'))[0].startswith("flow.flow_spec_id: 'x' is not a spec id")


def test_mappings_destinations_and_smoke_paths():
    found = problems(lambda p: p['mappings'].append({'source': 'a', 'destination': '{tenant}.b'}))
    assert found == ["mappings[8].destination: 'b' is not a field the preset declares (schema.fields: UUID, channel_ID, chatlio_email, "
                     "message, slackchannel_ID, slackchannel_name); declare it or fix the destination"]
    assert problems(lambda p: p['mappings'][0].update(source_type='CONST'))[0].startswith("mappings[0].source_type: 'CONST'")
    assert 'smoke.marker_source' in problems(lambda p: p['smoke'].update(marker_source='visitor'))[0]
    assert problems(lambda p: p['smoke'].update(marker_destination='{tenant}.message'))[0].startswith('smoke.marker_destination: no mapping')


def test_data_type_must_match_the_mappings():
    def xdm(p):
        p['source']['base_connection'] = {'data_type': 'xdm'}
    assert problems(xdm) == ['source.base_connection.data_type: xdm payloads are not mapped; remove the mappings or use raw']


def test_names_overrides_and_prefix(tmp_path):
    path = tmp_path / 'p.yml'
    path.write_text(yaml.safe_dump({'streaming_source_preset_data': CHATLIO}))
    result = f.load_and_check(str(path), overrides={'mappings': CHATLIO['mappings'] + [{'source': 'x'}]}, names={'flow': '', 'nope': 'x'}, prefix=' ')
    assert result['problems'] == [
        'streaming_source_preset_overrides: mappings[8].destination: missing; a mapping needs a source and a destination',
        "streaming_source_prefix: must be a non-empty single-line text (it starts every object name; default Ansible); it is only "
        "whitespace (' ')",
        "streaming_source_names.flow: must be a non-empty name; it is empty: set a name or remove the key to use '  Chatlio Streaming Dataflow'",
        'streaming_source_names.nope: unknown object; known: field_group, schema, dataset, base_connection, source_connection, '
        'target_connection, mapping_set, flow',
    ]
    assert f.load_and_check(str(tmp_path / 'missing.yml'))['problems'][0].startswith('preset ')
    assert 'must be a mapping' in f.load_and_check(str(path), overrides='x')['problems'][0]


def test_merge_is_recursive_and_replaces_lists():
    assert f.merge({'a': {'b': 1, 'c': [1]}}, {'a': {'c': [2]}}) == {'a': {'b': 1, 'c': [2]}}
