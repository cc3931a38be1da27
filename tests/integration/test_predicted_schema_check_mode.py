"""A mapping set on a schema that only an earlier check-mode task predicted (breaker report 3, ph.yml and ph2.yml):
check mode checks its destinations (existence, type, required fields) against the fields of the predicted schema, as
the real run checks them against the schema it created. The fields travel as the ``field_paths`` result of the schema
or field group task, wired to the mapping set's ``predicted_fields``; the schema's placeholder id carries the
fingerprint of its field groups' fields (``engine.fields_fact``), so the mapping set knows that they are all of them.
Unwired, check mode cannot know the fields and says so in a warning."""
import pytest

from harness import run_playbook

FIELDS = [{"name": "note2", "type": "string"}, {"name": "count", "type": "integer"}]
BAD_DESTINATION = "_emulated.nonexistent"


def playbook(mappings, predicted=None, fields=None):
    """ph.yml/ph2.yml: field group -> schema -> mapping set, each on the id the task before returned."""
    fields = FIELDS if fields is None else fields
    mapping_set = {"name": "ph map", "schema_id": "{{ sa.id }}", "mappings": mappings}
    schema = {"title": "ph schema", "field_groups": ["{{ fg2.id }}"]}
    if predicted:
        mapping_set["predicted_fields"] = "{{ %s.field_paths }}" % predicted
    if predicted == "sa":  # the schema's field_paths hold a predicted field group's fields when it is given them
        schema["predicted_fields"] = "{{ fg2.field_paths }}"
    return [
        {"aep.platform.field_group": {"title": "ph FG2", "fields": fields}, "register": "fg2"},
        {"aep.platform.schema": schema, "register": "sa"},
        {"aep.platform.mapping_set": mapping_set, "register": "ms"},
    ]


def mappings(*extra):
    return [{"source": "uuid()", "source_type": "EXPRESSION", "destination": "_id"},
            {"source": "now()", "source_type": "EXPRESSION", "destination": "timestamp"}] + list(extra)


REFUSED = {
    # ph.yml, wired to the schema's prediction: a destination that is no field of the schema
    "destination_not_in_the_schema_schema_fields": (
        mappings({"source": "note", "destination": BAD_DESTINATION}), "sa", BAD_DESTINATION),
    # ph2.yml: the same, wired to the field group's prediction (the class's fields come from the class)
    "destination_not_in_the_schema_field_group_fields": (
        mappings({"source": "note", "destination": BAD_DESTINATION}), "fg2", BAD_DESTINATION),
    # the type rules of mapping_types: a text constant into an integer field
    "destination_of_another_type": (
        mappings({"source": "many", "source_type": "STATIC", "destination": "_emulated.count"}), "sa", "_emulated.count"),
    # a required field of the class (ExperienceEvent timestamp) that no mapping fills
    "required_field_unfilled": (
        [mappings()[0], {"source": "note", "destination": "_emulated.note2"}], "fg2", "'timestamp'"),
}


def _failed(run):
    failed = [r for r in run.results if r.failed]
    assert len(failed) == 1, run.stdout + run.stderr
    return failed[0]


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_bad_mapping_on_a_predicted_schema_fails_check_mode_as_the_real_run(emulator, case):
    maps, predicted, text = REFUSED[case]
    tasks = playbook(maps, predicted)
    check = run_playbook(emulator, tasks, check=True)
    assert emulator.writes() == []
    failed = _failed(check)
    assert len(check.results) == 3, check.stdout  # the field group and schema pass, the mapping set fails
    assert failed["msg"].startswith("mappings"), failed["msg"]
    assert text in failed["msg"], failed["msg"]

    emulator.clear_log()
    real = run_playbook(emulator, tasks)
    real_failed = _failed(real)
    assert len(real.results) == 3, real.stdout
    assert real_failed["msg"].startswith("mappings") and text in real_failed["msg"], real_failed["msg"]
    assert len(emulator.writes()) == 2  # the field group and the schema; the mapping set wrote nothing


@pytest.mark.parametrize("predicted", ["sa", "fg2"])
def test_good_mapping_on_a_predicted_schema_passes_check_mode_and_the_real_run(emulator, predicted):
    tasks = playbook(mappings({"source": "note", "destination": "_emulated.note2"},
                              {"source": "n", "destination": "_emulated.count"}), predicted)
    check = run_playbook(emulator, tasks, check=True)
    assert check.rc == 0 and [r.changed for r in check.results] == [True, True, True], check.stdout
    assert not check[-1].get("warnings"), check[-1].get("warnings")
    assert check[-1]["version_predicted"] is True
    assert emulator.writes() == []
    real = run_playbook(emulator, tasks)
    assert real.rc == 0 and [r.changed for r in real.results] == [True, True, True], real.stdout
    assert emulator.api("GET", "/data/foundation/conversion/mappingSets/%s" % real[-1]["id"]).status_code == 200


def test_schema_check_mode_returns_the_predicted_fields(emulator):
    check = run_playbook(emulator, playbook(mappings(), "sa"), check=True)
    paths = dict((f["name"], f["type"]) for f in check[1]["field_paths"])
    assert paths["_emulated.note2"] == "string" and paths["_emulated.count"] == "integer"
    assert paths["_id"] == "string" and paths["timestamp"] == "date-time"  # the class's fields
    assert {"name": "timestamp", "type": "date-time", "required": True} in check[1]["field_paths"]


def test_unwired_prediction_warns_that_the_destinations_are_not_checked(emulator):
    """ph.yml as the breaker wrote it: no predicted_fields. The schema's fields are not known to the mapping set task,
    so check mode passes with a warning naming the destination it did not check (the real run fails on it)."""
    tasks = playbook(mappings({"source": "note", "destination": BAD_DESTINATION}))
    check = run_playbook(emulator, tasks, check=True)
    assert check.rc == 0, check.stdout
    warnings = " ".join(check[-1].get("warnings") or [])
    assert BAD_DESTINATION in warnings and "predicted_fields" in warnings, warnings
    assert emulator.writes() == []


def test_predicted_fields_that_are_not_all_the_fields_warn(emulator):
    """predicted_fields that leave out a field of the field group do not add up to the schema's fields fact: check mode
    cannot tell a missing destination from a field it was not told about, and warns instead of passing silently."""
    tasks = playbook(mappings({"source": "note", "destination": "_emulated.note2"}))
    tasks[2]["aep.platform.mapping_set"]["predicted_fields"] = "{{ fg2.field_paths[:1] }}"
    check = run_playbook(emulator, tasks, check=True)
    assert check.rc == 0, check.stdout
    assert "are not known here" in " ".join(check[-1].get("warnings") or []), check[-1]


def test_dataset_for_profile_on_a_schema_the_play_creates_without_profile(emulator):
    """The same kind on the dataset: a schema that an earlier check-mode task creates is not enabled for Profile unless
    that task enables it, so a dataset with profile: true on it fails check mode as the real run fails."""
    tasks = playbook(mappings())[:2] + [
        {"aep.platform.dataset": {"name": "ph ds", "schema_id": "{{ sa.id }}", "profile": True}, "register": "ds"}]
    check = run_playbook(emulator, tasks, check=True)
    assert emulator.writes() == []
    failed = _failed(check)
    assert len(check.results) == 3 and failed["msg"].startswith("profile: schema "), failed["msg"]
    real = run_playbook(emulator, tasks)
    real_failed = _failed(real)
    assert len(real.results) == 3 and real_failed["msg"].startswith("profile: schema "), real_failed["msg"]
