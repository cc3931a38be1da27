"""Domain rules called directly, without a server: filters parse each clause by its operator, JSON Patch
through the jsonpatch library with AEP's subset, the fault model."""

import pytest

from aep_emulator.core.errors import ApiError
from aep_emulator.domain import catalog, flowquery, hooks, patch, xdm

DOCS = [{"id": "1", "name": "Chatlio (beta", "n": 5, "tags": ["a"]},
        {"id": "2", "name": "Chatlio [beta]", "n": 10},
        {"id": "3", "name": "Other, Inc.", "n": 7}]


def ids(docs):
    return [d["id"] for d in docs]


@pytest.mark.parametrize("expression, expected", [
    ("name==Chatlio (beta", ["1"]),
    ("name==Chatlio [beta],Chatlio (beta", ["1", "2"]),
    ("name!=Chatlio (beta", ["2", "3"]),
    ("name==Other, Inc.", []),  # every comma separates values: "Other" or " Inc."
    ("n>6", ["2", "3"]),
    ("n<=7", ["1", "3"]),
    ("tags", ["1"]),
    ("name==.*", []),
])
def test_flow_service_property_clause(expression, expected):
    clause = flowquery.parse_property(expression)
    assert ids([d for d in DOCS if clause(d)]) == expected


@pytest.mark.parametrize("expression, code", [("name==a~b", "1440-400"), ("~name", "1440-400"), ("==x", "1400-400")])
def test_flow_service_property_refusals(expression, code):
    with pytest.raises(ApiError) as caught:
        flowquery.parse_property(expression)
    assert caught.value.body["type"].endswith(code)


@pytest.mark.parametrize("expression, expected", [
    ("Chatlio (beta", ["1"]), ("Chatlio*", ["1", "2"]), ("*beta*", ["1", "2"]), ("Chatlio ?beta]", []),
    ("!Other*", ["1", "2"]), ("!Other, Inc.", []), ("Other, Inc.", []), ("Other", []), ("Other*", ["3"]),
])
def test_catalog_name_filter(expression, expected):
    matches = catalog.name_filter(expression)
    assert ids([d for d in DOCS if matches(d["name"])]) == expected


@pytest.mark.parametrize("expression, expected", [
    ("name==Other, Inc.", ["3"]), ("name~^Chatlio \\[", ["2"]), ("n>=7", ["2", "3"]), ("n==5", ["1"]),
    ("tags", ["1"]), ("!tags", ["2", "3"]), ("name<D", ["1", "2"]),
])
def test_catalog_property_filter(expression, expected):
    matches = catalog.property_filter(expression)
    assert ids([d for d in DOCS if matches(d)]) == expected


@pytest.mark.parametrize("expression", ["name~Chatlio (beta", "name~[", "!name==x", "na me==x", ""])
def test_catalog_property_filter_refusals(expression):
    with pytest.raises(ApiError) as caught:
        catalog.property_filter(expression)
    assert caught.value.status == 400


def test_schema_registry_clauses():
    items = [{"title": "Chatlio (beta", "meta:intendedToExtend": ["x"]}, {"title": "b"}]
    assert xdm.resources_matching(items, "title==Chatlio (beta") == [items[0]]
    assert xdm.resources_matching(items, "title~^Chat") == [items[0]]
    assert xdm.resources_matching(items, "meta:intendedToExtend==x") == [items[0]]
    assert xdm.resources_matching(items, "title!=b,title") == [items[0]]
    with pytest.raises(xdm.XdmError) as caught:
        xdm.resources_matching(items, "title~Chatlio (beta")
    assert caught.value.status == 400


def test_patch_applies_add_replace_remove_on_a_copy():
    doc = {"name": "a", "params": {"x": 1}, "list": [1, 2]}
    patched = patch.apply_patch(doc, [{"op": "replace", "path": "/name", "value": "b"},
                                      {"op": "add", "path": "/params/y", "value": 2},
                                      {"op": "remove", "path": "/params/x"},
                                      {"op": "add", "path": "/list/-", "value": 3},
                                      {"op": "add", "path": "/a~1b", "value": True}])
    assert patched == {"name": "b", "params": {"y": 2}, "list": [1, 2, 3], "a/b": True}
    assert doc == {"name": "a", "params": {"x": 1}, "list": [1, 2]}


@pytest.mark.parametrize("operations, message, unsupported", [
    ([{"op": "move", "from": "/a", "path": "/b"}], "Patch operation 'move' is not supported.", True),
    ([{"op": "replace", "path": "/missing", "value": 1}], "Missing field /missing", False),
    ([{"op": "add", "path": "/params/deep/x", "value": 1}], "Missing field /params/deep/x", False),
    ([{"op": "add", "path": "/list/9", "value": 1}], "Missing field /list/9", False),
    ([{"op": "add", "path": "/name"}], "Operation 'add' needs a 'value'.", False),
    ([{"op": "jump", "path": "/name"}], "Unknown patch operation 'jump'.", False),
    ([{"op": "add", "path": "name", "value": 1}], "Invalid patch path 'name'.", False),
    ([], "The patch body must be a non-empty JSON array of operations.", False),
    ({"op": "add"}, "The patch body must be a non-empty JSON array of operations.", False),
])
def test_patch_refusals(operations, message, unsupported):
    with pytest.raises(patch.PatchError) as caught:
        patch.apply_patch({"name": "a", "params": {}, "list": [1]}, operations)
    assert str(caught.value) == message and caught.value.unsupported is unsupported


def test_fault_model_counts_down_and_matches_by_method_and_path():
    faults = hooks.Faults()
    faults.add(hooks.parse_fault({"method": "post", "path": "/flows$", "count": 2, "commit_delay_ms": 10}))
    assert faults.take("GET", "/x/flows") is None
    first = faults.take("POST", "/x/flows")
    assert first.commit_delay_ms == 10 and first.method == "POST"
    assert faults.take("POST", "/x/flows") is first
    assert faults.take("POST", "/x/flows") is None and faults.active() == []
