"""Identity and Profile: Identity Service namespaces, Schema Registry identity descriptors, schema Profile enablement
(``meta:immutableTags: ["union"]``, one-way, needs a primary identity) and dataset Profile enablement (Catalog tags
``unifiedProfile`` / ``unifiedIdentity``, one-way)."""

from __future__ import annotations

import requests

from emulator_support import CHATLIO_PAYLOAD, ORG, TENANT, create_chatlio_flow

SR = "/data/foundation/schemaregistry"
IDNS = "/data/core/idnamespace/identities"
CATALOG = "/data/foundation/catalog"
XDM = {"Accept": "application/vnd.adobe.xdm+json"}
XED = {"Accept": "application/vnd.adobe.xed+json; version=1"}
UNION = [{"op": "add", "path": "/meta:immutableTags", "value": ["union"]}]


def quoted(resource_id: str) -> str:
    return requests.utils.quote(resource_id, safe="")


def xdm_error(response, status: int, code: str, title: str, detail: str, sub_errors=None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body == {"type": f"http://ns.adobe.com/aep/errors/{code}", "title": title, "status": status,
                    "report": {"registryRequestId": body["report"]["registryRequestId"],
                               "timestamp": body["report"]["timestamp"], "detailed-message": detail,
                               "sub-errors": sub_errors or []},
                    "detail": detail}


def identity(schema_id: str, field: str = "chatlio_email", namespace: str = "Email", primary: bool = True) -> dict:
    return {"@type": "xdm:descriptorIdentity", "xdm:sourceSchema": schema_id, "xdm:sourceVersion": 1,
            "xdm:sourceProperty": f"/_{TENANT}/{field}", "xdm:namespace": namespace, "xdm:property": "xdm:code",
            "xdm:isPrimary": primary}


# --- Identity Service namespaces ---------------------------------------------------------------------------

def test_standard_namespaces_and_a_custom_one(aep):
    listed = aep.get(IDNS)
    assert listed.status_code == 200
    by_code = {ns["code"]: ns for ns in listed.json()}
    assert {"CORE", "ECID", "Email", "Phone", "AdCloud"} <= set(by_code)
    assert by_code["ECID"] == {"updateTime": 1495153678000, "code": "ECID", "status": "ACTIVE",
                               "description": "ECID Namespace", "id": 4, "createTime": 1495153678000,
                               "idType": "COOKIE", "name": "ECID", "custom": False}
    assert "CRMID" not in by_code
    created = aep.post(IDNS, json={"name": "CRM ID", "code": "CRMID", "idType": "CROSS_DEVICE",
                                   "description": "CRM person id"})
    assert created.status_code == 200, created.text
    body = created.json()
    assert body == {"updateTime": body["createTime"], "code": "CRMID", "status": "ACTIVE",
                    "description": "CRM person id", "id": 10000000, "createTime": body["createTime"],
                    "idType": "CROSS_DEVICE", "name": "CRM ID", "custom": True}
    assert aep.get(f"{IDNS}/10000000").json() == body
    assert aep.get(IDNS).json()[-1] == body
    assert aep.get(IDNS, sandbox="dev").json()[-1]["code"] != "CRMID"  # custom namespaces are per sandbox
    duplicate = aep.post(IDNS, json={"name": "again", "code": "crmid", "idType": "CROSS_DEVICE"})
    assert duplicate.status_code == 409
    assert duplicate.json() == {"type": "/placeholder/type/uri", "status": 409, "title": "Conflict",
                                "detail": "An identity namespace with code 'crmid' already exists."}
    bad = aep.post(IDNS, json={"name": "x", "code": "X", "idType": "EMAILS"})
    assert bad.status_code == 400
    assert bad.json()["detail"] == ("'idType' must be one of COOKIE, CROSS_DEVICE, DEVICE, EMAIL, MOBILE, NON_PEOPLE, "
                                    "PHONE.")
    assert aep.get(f"{IDNS}/999").status_code == 404


# --- descriptors -------------------------------------------------------------------------------------------

def test_descriptor_crud(aep):
    scenario = create_chatlio_flow(aep)
    schema_id = scenario["schema_id"]
    created = aep.post(f"{SR}/tenant/descriptors", json=identity(schema_id))
    assert created.status_code == 201, created.text
    descriptor = created.json()
    descriptor_id = descriptor["@id"]
    assert len(descriptor_id) == 40
    assert descriptor == {"@id": descriptor_id, **identity(schema_id), "meta:containerId": "tenant", "imsOrg": ORG,
                          "version": "1", "meta:sandboxId": descriptor["meta:sandboxId"], "meta:sandboxType": "production"}
    assert aep.get(f"{SR}/tenant/descriptors/{descriptor_id}", headers=XDM).json() == descriptor
    links = aep.get(f"{SR}/tenant/descriptors", headers={"Accept": "application/vnd.adobe.xdm-link+json"})
    assert links.json() == {"xdm:descriptorIdentity": [f"/descriptors/{descriptor_id}"]}
    ids = aep.get(f"{SR}/tenant/descriptors", headers={"Accept": "application/vnd.adobe.xdm-id+json"})
    assert ids.json() == {"xdm:descriptorIdentity": [descriptor_id]}
    full = aep.get(f"{SR}/tenant/descriptors", headers=XDM, params={"property": f"xdm:sourceSchema=={schema_id}"})
    assert full.json() == {"xdm:descriptorIdentity": [descriptor]}
    assert aep.get(f"{SR}/tenant/descriptors", headers=XDM, params={"property": "xdm:sourceSchema==other"}).json() == {}
    v2 = aep.get(f"{SR}/tenant/descriptors", headers={"Accept": "application/vnd.adobe.xdm-v2+json"}).json()
    assert v2 == {"results": [descriptor], "_page": {"count": 1, "next": None}, "_links": {"next": None}}
    rendered = aep.get(f"{SR}/tenant/schemas/{quoted(schema_id)}",
                       headers={"Accept": "application/vnd.adobe.xed-full-desc+json; version=1"}).json()
    assert rendered["meta:descriptors"] == [descriptor]
    # update: the identity moves to the visitor UUID, in a custom namespace, not primary
    aep.post(IDNS, json={"name": "Chatlio visitor", "code": "ChatlioVisitor", "idType": "CROSS_DEVICE"})
    changed = identity(schema_id, "UUID", "ChatlioVisitor", primary=False)
    updated = aep.put(f"{SR}/tenant/descriptors/{descriptor_id}", json=changed)
    assert updated.status_code == 200 and updated.json() == {**descriptor, **changed}
    assert aep.get(f"{SR}/tenant/descriptors/{descriptor_id}", headers=XDM).json() == {**descriptor, **changed}
    assert aep.delete(f"{SR}/tenant/descriptors/{descriptor_id}").status_code == 204
    xdm_error(aep.get(f"{SR}/tenant/descriptors/{descriptor_id}", headers=XDM), 404, "XDM-1012-404",
              "Resource Not Found", f"Descriptor {descriptor_id} is not found")
    xdm_error(aep.get(f"{SR}/tenant/descriptors", headers={"Accept": "application/json"}), 400, "XDM-1006-400",
              "Accept header invalid", "The supplied Accept header is not valid: application/json - descriptors lists "
              "take application/vnd.adobe.xdm-link+json, xdm-id+json, xdm+json or xdm-v2+json")


def test_descriptor_refusals(aep):
    scenario = create_chatlio_flow(aep)
    schema_id = scenario["schema_id"]
    url = f"{SR}/tenant/descriptors"
    first = aep.post(url, json=identity(schema_id)).json()
    xdm_error(aep.post(url, json=identity(schema_id, "UUID", "ECID")), 400, "XDM-1023-400",
              "Duplicate primary identity",
              f"Schema {schema_id} already has a primary identity (/_{TENANT}/chatlio_email, descriptor {first['@id']}); "
              "a schema has at most one")
    xdm_error(aep.post(url, json=identity(schema_id, primary=False)), 400, "XDM-1023-400", "Duplicate descriptor",
              f"Field /_{TENANT}/chatlio_email of schema {schema_id} already has an identity descriptor ({first['@id']}); "
              "update that one instead")
    xdm_error(aep.post(url, json=identity(schema_id, "UUID", "CRMID", primary=False)), 400, "XDM-1000-400",
              "Bad Request", "'xdm:namespace' 'CRMID' is not an identity namespace of the sandbox (GET "
              "/data/core/idnamespace/identities lists them)")
    xdm_error(aep.post(url, json=identity(schema_id, "nope", primary=False)), 400, "XDM-1000-400", "Bad Request",
              f"'xdm:sourceProperty' /_{TENANT}/nope is not a field of schema {schema_id}")
    xdm_error(aep.post(url, json={**identity(schema_id, primary=False), "xdm:sourceProperty": f"/_{TENANT}"}), 400,
              "XDM-1000-400", "Bad Request",
              f"'xdm:sourceProperty' /_{TENANT} is of type object: an identity field must be a string")
    xdm_error(aep.post(url, json={**identity("https://ns.adobe.com/x/schemas/nope"), "xdm:isPrimary": False}), 400,
              "XDM-1000-400", "Bad Request",
              "'xdm:sourceSchema' must name a schema of the sandbox, got 'https://ns.adobe.com/x/schemas/nope'")
    xdm_error(aep.post(url, json={**identity(schema_id), "@type": "xdm:descriptorOneToOne"}), 400, "XDM-1000-400",
              "Bad Request", "Unsupported descriptor '@type' 'xdm:descriptorOneToOne': the emulator implements "
              "xdm:descriptorIdentity")
    xdm_error(aep.post(url, json={**identity(schema_id, "UUID", "ECID", False), "xdm:property": "code"}), 400,
              "XDM-1000-400", "Bad Request", "'xdm:property' must be 'xdm:code' or 'xdm:id', got 'code'")


# --- Profile: schema union tag ------------------------------------------------------------------------------

def test_union_needs_a_primary_identity_and_is_one_way(aep):
    scenario = create_chatlio_flow(aep)
    schema_id = scenario["schema_id"]
    schema_url = f"{SR}/tenant/schemas/{quoted(schema_id)}"
    xdm_error(aep.patch(schema_url, json=UNION), 400, "XDM-1022-400", "Primary identity required",
              f"Schema {schema_id} cannot be enabled for Profile: a schema of class "
              "https://ns.adobe.com/xdm/context/experienceevent needs a primary identity descriptor "
              "(xdm:descriptorIdentity with xdm:isPrimary true) first.")
    descriptor = aep.post(f"{SR}/tenant/descriptors", json=identity(schema_id)).json()
    enabled = aep.patch(schema_url, json=UNION)
    assert enabled.status_code == 200, enabled.text
    assert enabled.json()["meta:immutableTags"] == ["union"]
    assert aep.get(schema_url, headers=XED).json()["meta:immutableTags"] == ["union"]
    # enabling again is a no-op change, still accepted
    assert aep.patch(schema_url, json=[{"op": "replace", "path": "/meta:immutableTags", "value": ["union"]}]
                     ).status_code == 200
    removal = ("Profile enablement cannot be removed",
               f"Schema {schema_id} is enabled for Profile ('meta:immutableTags' contains 'union'); a schema enabled "
               "for Profile can never be disabled.",
               [{"field": "meta:immutableTags", "change": "unionRemoved", "message": "the 'union' tag cannot be removed"}])
    xdm_error(aep.patch(schema_url, json=[{"op": "remove", "path": "/meta:immutableTags"}]), 400, "XDM-1021-400",
              *removal)
    xdm_error(aep.patch(schema_url, json=[{"op": "replace", "path": "/meta:immutableTags", "value": []}]), 400,
              "XDM-1021-400", *removal)
    schema = aep.get(schema_url, headers=XED).json()
    xdm_error(aep.put(schema_url, json={"type": "object", "title": schema["title"], "allOf": schema["allOf"]}), 400,
              "XDM-1021-400", *removal)
    xdm_error(aep.delete(schema_url), 409, "XDM-1014-409", "Resource in use",
              f"{schema_id} cannot be deleted: it is enabled for Profile")
    # the primary identity stays
    guard = ("Primary identity required",
             f"Descriptor {descriptor['@id']} is the primary identity of schema {schema_id}, which is enabled for "
             "Profile: it cannot be deleted or changed")
    xdm_error(aep.delete(f"{SR}/tenant/descriptors/{descriptor['@id']}"), 400, "XDM-1022-400", *guard)
    xdm_error(aep.put(f"{SR}/tenant/descriptors/{descriptor['@id']}", json=identity(schema_id, primary=False)), 400,
              "XDM-1022-400", *guard)
    # Profile-enabled without data: breaking changes are refused too
    response = aep.patch(schema_url, json=[{"op": "remove", "path": "/allOf/1"}])
    assert response.status_code == 400
    assert response.json()["report"]["sub-errors"] == [
        {"field": f"_{TENANT}", "change": "removed", "message": f"Field '_{TENANT}' cannot be removed"}]
    assert response.json()["detail"].startswith(f"{schema_id} is in use (the schema is enabled for Profile)")


def test_union_tag_rules_on_create_and_field_groups(aep):
    scenario = create_chatlio_flow(aep)
    schema = aep.get(f"{SR}/tenant/schemas/{quoted(scenario['schema_id'])}", headers=XED).json()
    body = {"type": "object", "title": "With union", "allOf": schema["allOf"], "meta:immutableTags": ["union"]}
    response = aep.post(f"{SR}/tenant/schemas", json=body)
    assert response.status_code == 400 and response.json()["type"].endswith("XDM-1022-400")
    xdm_error(aep.post(f"{SR}/tenant/schemas", json={**body, "meta:immutableTags": ["profile"]}), 400, "XDM-1000-400",
              "Bad Request", "'meta:immutableTags' must be a list whose only allowed value is 'union'")
    xdm_error(aep.patch(f"{SR}/tenant/fieldgroups/{quoted(schema['refs'][1])}", json=UNION), 400, "XDM-1000-400",
              "Bad Request", "'meta:immutableTags' can only be set on schemas")


# --- Profile: dataset tags ----------------------------------------------------------------------------------

def test_dataset_profile_enablement_is_one_way(aep):
    scenario = create_chatlio_flow(aep)
    schema_id, dataset_id = scenario["schema_id"], scenario["dataset_id"]
    url = f"{CATALOG}/dataSets/{dataset_id}"
    on = {"tags": {"unifiedProfile": ["enabled:true"], "unifiedIdentity": ["enabled:true"]}}
    aep.post(f"{SR}/tenant/descriptors", json=identity(schema_id))
    assert aep.patch(f"{SR}/tenant/schemas/{quoted(schema_id)}", json=UNION).status_code == 200
    assert aep.patch(url, json=on).status_code == 200
    assert aep.get(url).json()[dataset_id]["tags"] == on["tags"]
    for change in ({"tags": {"unifiedProfile": ["enabled:false"], "unifiedIdentity": ["enabled:true"]}}, {"tags": {}},
                   [{"op": "remove", "path": "/tags/unifiedProfile"}]):
        response = aep.patch(url, json=change)
        assert response.status_code == 400
        assert response.json() == {"type": "/placeholder/type/uri", "status": 400, "title": "Bad Request",
                                   "detail": f"Dataset {dataset_id} is enabled for Profile ('tags.unifiedProfile' holds "
                                             "'enabled:true'): disabling it is not allowed. Create a new dataset for "
                                             "data that must not reach Profile."}
    identity_off = aep.patch(url, json={"tags": {"unifiedProfile": ["enabled:true"], "unifiedIdentity": []}})
    assert identity_off.status_code == 400
    assert "('tags.unifiedIdentity' holds 'enabled:true')" in identity_off.json()["detail"]
    # other tags can still change; data still lands
    more = {"tags": {**on["tags"], "team": ["chat"]}}
    assert aep.patch(url, json=more).status_code == 200
    assert requests.post(scenario["inlet_url"], json=CHATLIO_PAYLOAD).status_code == 200
    # a dataset created enabled is one-way too
    created = aep.post(f"{CATALOG}/dataSets", json={"name": "p", "schemaRef": {"id": schema_id}, **on})
    assert created.status_code == 201
    other = created.json()[0].split("/")[-1]
    assert aep.patch(f"{CATALOG}/dataSets/{other}", json={"tags": {}}).status_code == 400


def test_dataset_profile_tag_needs_the_schema_enabled_first(aep):
    """AEP enables a dataset for Profile only after its schema (emulator docs: "Dataset: Catalog tags")."""
    scenario = create_chatlio_flow(aep)
    schema_id, url = scenario["schema_id"], f"{CATALOG}/dataSets/{scenario['dataset_id']}"
    detail = (f"Schema {schema_id} of the dataset is not enabled for Profile ('meta:immutableTags' has no 'union'): "
              "enable the schema for Profile before the dataset.")
    for refused in (aep.patch(url, json={"tags": {"unifiedProfile": ["enabled:true"]}}),
                    aep.post(f"{CATALOG}/dataSets", json={"name": "p", "schemaRef": {"id": schema_id},
                                                          "tags": {"unifiedProfile": ["enabled:true"]}})):
        assert refused.status_code == 400
        assert refused.json() == {"type": "/placeholder/type/uri", "status": 400, "title": "Bad Request",
                                  "detail": detail}
    assert aep.get(url).json()[scenario["dataset_id"]]["tags"].get("unifiedProfile") is None
    assert aep.patch(url, json={"tags": {"unifiedProfile": ["enabled:false"]}}).status_code == 200  # not enabling
    aep.post(f"{SR}/tenant/descriptors", json=identity(schema_id))
    assert aep.patch(f"{SR}/tenant/schemas/{quoted(schema_id)}", json=UNION).status_code == 200
    assert aep.patch(url, json={"tags": {"unifiedProfile": ["enabled:true"]}}).status_code == 200
    # a dataset enabled for Profile may be deleted (AEP's dataset guide); its Profile-enabled schema may not
    assert aep.delete(f"/data/foundation/flowservice/flows/{scenario['flow_id']}").status_code == 204
    assert aep.delete(f"/data/foundation/flowservice/targetConnections/{scenario['target_id']}").status_code == 204
    assert aep.delete(url).status_code == 200
    assert aep.delete(f"{SR}/tenant/schemas/{quoted(schema_id)}").status_code == 409


def test_deleting_a_schema_deletes_its_descriptors(aep):
    scenario = create_chatlio_flow(aep)
    schema_id = scenario["schema_id"]
    descriptor = aep.post(f"{SR}/tenant/descriptors", json=identity(schema_id)).json()
    assert aep.delete(f"/data/foundation/flowservice/flows/{scenario['flow_id']}").status_code == 204
    assert aep.delete(f"{CATALOG}/dataSets/{scenario['dataset_id']}").status_code == 200
    assert aep.delete(f"{SR}/tenant/schemas/{quoted(schema_id)}").status_code == 204
    assert aep.get(f"{SR}/tenant/descriptors/{descriptor['@id']}", headers=XDM).status_code == 404
