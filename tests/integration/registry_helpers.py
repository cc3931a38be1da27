"""Helpers for the field_group / schema / dataset / mapping_set integration tests.

Setup and drift go straight through the emulator's API (as another tool or a person in the UI would);
the module under test runs through ansible-playbook (``harness.run_playbook``).
"""
from urllib.parse import quote

from harness import _checked, run_playbook

TENANT = "emulated"
EXPERIENCE_EVENT = "https://ns.adobe.com/xdm/context/experienceevent"
PROFILE = "https://ns.adobe.com/xdm/context/profile"
SR = "/data/foundation/schemaregistry"
RAW = {"Accept": "application/vnd.adobe.xed+json; version=1"}
JSON = {"Accept": "application/json"}


def module_task(module, args, name="task", register=None):
    task = {"name": name, "aep.platform." + module: dict((k, v) for k, v in args.items() if v is not None)}
    if register:
        task["register"] = register
    return task


def run_one(emulator, module, args, check=False, diff=False, sandbox="prod"):
    """Run one task of ``module`` and return its result (a harness.TaskResult)."""
    run = run_playbook(emulator, [module_task(module, args)], check=check, diff=diff, sandbox=sandbox)
    assert len(run) == 1, run.stdout + run.stderr
    return run[0]


def write_summary(emulator):
    return ["%s %s" % (w["method"], w["path"]) for w in emulator.writes()]


def assert_failed_without_writes(emulator, result, *needles):
    """The task failed with a message containing every needle, no traceback, and wrote nothing."""
    assert result.failed, result
    msg = result.get("msg", "")
    for needle in needles:
        assert needle in msg, "%r not in %r" % (needle, msg)
    assert "Traceback" not in msg and "Traceback" not in str(result.get("module_stderr", ""))
    assert emulator.writes() == [], write_summary(emulator)


# --- Schema Registry -------------------------------------------------------------------------------------

def sr_path(kind, resource_id=None, container="tenant"):
    path = "%s/%s/%s" % (SR, container, kind)
    return path + "/" + quote(resource_id, safe="") if resource_id else path


def api_field_group(emulator, title, fields=("message",), classes=(EXPERIENCE_EVENT,), sandbox="prod"):
    """A tenant field group with string fields, made through the API; returns the resource."""
    props = dict((f, {"type": "string", "title": f}) for f in fields)
    return _checked(emulator.api("POST", sr_path("fieldgroups"), sandbox=sandbox, headers=JSON, json={
        "type": "object", "title": title, "description": title, "meta:intendedToExtend": list(classes),
        "definitions": {"custom": {"properties": {"_" + TENANT: {"type": "object", "properties": props}}}},
        "allOf": [{"$ref": "#/definitions/custom"}]}), 201)


def api_schema(emulator, title, groups=(), class_id=EXPERIENCE_EVENT, sandbox="prod"):
    return _checked(emulator.api("POST", sr_path("schemas"), sandbox=sandbox, headers=JSON, json={
        "type": "object", "title": title, "description": title,
        "allOf": [{"$ref": class_id}] + [{"$ref": g} for g in groups]}), 201)


def sr_get(emulator, kind, resource_id, sandbox="prod"):
    """The tenant resource (raw), or None on 404."""
    resp = emulator.api("GET", sr_path(kind, resource_id), sandbox=sandbox, headers=RAW)
    if resp.status_code == 404:
        return None
    return _checked(resp, 200)


def sr_put(emulator, kind, resource_id, body, sandbox="prod"):
    return _checked(emulator.api("PUT", sr_path(kind, resource_id), sandbox=sandbox, headers=JSON, json=body), 200)


def user_body(resource):
    keys = ("type", "title", "description", "definitions", "allOf", "meta:intendedToExtend", "required")
    return dict((k, resource[k]) for k in keys if k in resource)


def tenant_props(field_group):
    """The properties below ``_<tenant>`` of a field group resource (all definitions merged)."""
    props = {}
    for definition in field_group.get("definitions", {}).values():
        props.update(definition["properties"].get("_" + TENANT, {}).get("properties", {}))
    return props


# --- Catalog and Data Prep -------------------------------------------------------------------------------

def dataset_get(emulator, dataset_id, sandbox="prod"):
    resp = emulator.api("GET", "/data/foundation/catalog/dataSets/" + dataset_id, sandbox=sandbox)
    if resp.status_code == 404:
        return None
    return _checked(resp, 200)[dataset_id]


def dataset_patch(emulator, dataset_id, body, sandbox="prod"):
    return _checked(emulator.api("PATCH", "/data/foundation/catalog/dataSets/" + dataset_id, sandbox=sandbox,
                                 json=body), 200)


def mapping_get(emulator, mapping_id, sandbox="prod"):
    resp = emulator.api("GET", "/data/foundation/conversion/mappingSets/" + mapping_id, sandbox=sandbox)
    if resp.status_code == 404:
        return None
    return _checked(resp, 200)


def mapping_put(emulator, mapping_id, body, sandbox="prod"):
    return _checked(emulator.api("PUT", "/data/foundation/conversion/mappingSets/" + mapping_id, sandbox=sandbox,
                                 json=body), 200)


def mapping_triples(mapping_set):
    return sorted((m.get("source"), m.get("destination")) for m in mapping_set["mappings"])
