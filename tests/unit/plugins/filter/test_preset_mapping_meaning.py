"""The role's preset check refuses, before any request, mappings that can never fill their destination (issue 8
item 4: the type table of mapping_types, attribute paths judged by their value in sample_event, the _id and
timestamp every ExperienceEvent record needs), accepts nested, array and map destinations (item 7), and says what
is wrong with a blank name (item 8)."""

import copy
from pathlib import Path

import pytest
import yaml

from ansible_collections.aep.platform.plugins.filter import streaming_source_preset as f

PRESETS = Path(__file__).resolve().parents[4] / 'roles' / 'streaming_source' / 'vars' / 'presets'
CHATLIO = yaml.safe_load((PRESETS / 'chatlio.yml').read_text())['streaming_source_preset_data']
TRANSCRIPT = yaml.safe_load((PRESETS / 'chatlio_transcript.yml').read_text())['streaming_source_preset_data']
EXTRA_FIELDS = [{'name': 'obj', 'type': 'object'}, {'name': 'obj.a', 'type': 'string'}, {'name': 'count', 'type': 'integer'},
                {'name': 'messages', 'type': 'array', 'items': 'object'}, {'name': 'messages[].text', 'type': 'string'},
                {'name': 'visitor_attributes', 'type': 'map', 'items': 'string'}, {'name': 'visitor.email2', 'type': 'string'}]


def problems(*mappings, fields=None):
    preset = copy.deepcopy(CHATLIO)
    preset['schema']['fields'] += copy.deepcopy(EXTRA_FIELDS if fields is None else fields)
    preset['mappings'] += list(mappings)
    return f.check_preset(preset)


def m(source, destination, source_type=None):
    return dict({'source': source, 'destination': destination}, **({'source_type': source_type} if source_type else {}))


@pytest.mark.parametrize('mapping, expected', [
    (m('message', '{tenant}.obj'), "mappings[8] (message -> {tenant}.obj): destination '{tenant}.obj' is of type object and "
                                   "cannot hold the string value of ATTRIBUTE source 'message'"),
    (m('abc', '{tenant}.count', 'STATIC'), "mappings[8] (abc -> {tenant}.count): destination '{tenant}.count' is of type integer and "
                                           "the constant 'abc' does not convert to it"),
    (m("'not a date'", '{tenant}.obj.a', 'EXPRESSION'), None),  # a string into a string: fine
    (m('message', '{tenant}.messages'), "mappings[8] (message -> {tenant}.messages): destination '{tenant}.messages' is of type "
                                        "array and cannot hold the string value of ATTRIBUTE source 'message'"),
    (m('channelId', '{tenant}.visitor_attributes'), "mappings[8] (channelId -> {tenant}.visitor_attributes): destination "
                                                    "'{tenant}.visitor_attributes' is of type map and cannot hold the string value"),
    (m('visitor', '{tenant}.obj.a'), "mappings[8] (visitor -> {tenant}.obj.a): destination '{tenant}.obj.a' is of type string and "
                                     "cannot hold the object value of ATTRIBUTE source 'visitor'"),
    (m('visitor', '{tenant}.obj'), None),  # an object of the payload mapped as a whole
    (m('visitor.email', '{tenant}.visitor.email2'), None),  # item 7: a nested field, its parent implied
    (m('visitor.UUID', '{tenant}.visitor_attributes.uuid'), None),  # a map key
    (m('unknown.path', '{tenant}.obj'), None),  # not in sample_event: the payload decides
])
def test_mappings_are_checked_for_meaning(mapping, expected):
    found = problems(mapping)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(expected), found
        assert 'every record would fail mapping' in found[0]


def test_array_items_into_a_scalar_and_paired_items():
    preset = copy.deepcopy(TRANSCRIPT)
    preset['mappings'].append(m('messages[*].text', '{tenant}.UUID'))
    found = f.check_preset(preset)
    assert len(found) == 1 and found[0].startswith(
        "mappings[10] (messages[*].text -> {tenant}.UUID): destination '{tenant}.UUID' is of type string and cannot hold the "
        "array of items of 'messages[*].text'"), found
    preset['mappings'][-1] = m('messages[0].text', '{tenant}.UUID')  # one item: legal
    assert f.check_preset(preset) == []


def test_an_experience_event_without_id_and_timestamp_is_refused():
    preset = copy.deepcopy(CHATLIO)
    preset['mappings'] = [x for x in preset['mappings'] if x['destination'] not in ('_id', 'timestamp')]
    found = f.check_preset(preset)
    assert found == [
        "mappings: every record needs '_id', 'timestamp' and no mapping fills them (the class "
        "https://ns.adobe.com/xdm/context/experienceevent or the field requires it; AEP generates no value); every record would "
        "fail with \"Required field '_id' is missing\". Add {source_type: EXPRESSION, source: 'uuid()', destination: _id} and "
        "{source_type: EXPRESSION, source: 'now()', destination: timestamp}"]


def test_a_required_field_must_be_mapped():
    found = problems(fields=[{'name': 'ticket', 'type': 'string', 'required': True}])
    assert len(found) == 1 and found[0].startswith("mappings: every record needs '{tenant}.ticket'"), found


@pytest.mark.parametrize('destination, first', [
    ('{tenant}.visitor.emai', "'visitor.emai' is not a field the preset declares"),
    ('{tenant}.messages[*].txt', "'messages[*].txt' is not a field the preset declares"),
])
def test_nested_destinations_must_be_declared(destination, first):
    found = problems(m('message', destination))
    assert len(found) == 1 and found[0].startswith('mappings[8].destination: ' + first), found


@pytest.mark.parametrize('value, what', [('  ', "only whitespace ('  ')"), ('', 'empty'), (None, 'null'), (3, 'a number'),
                                         (['x'], 'a list')])
def test_a_bad_name_says_what_it_is(value, what):
    (problem,) = f.check_names({'flow': value}, 'Ansible', 'Chatlio')[1]
    assert problem == ("streaming_source_names.flow: must be a non-empty name; it is %s: set a name or remove the key to use "
                       "'Ansible Chatlio Streaming Dataflow'" % what)
