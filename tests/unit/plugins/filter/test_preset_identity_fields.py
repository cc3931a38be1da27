"""The preset's identities name declared string fields (issue 8, gap 2 through the role): a preset that drops an
identity's field but keeps the identity fails before any request, instead of the field group task removing the
field with its descriptor and the schema task failing afterwards (and check mode passing)."""

from ansible_collections.aep.platform.plugins.filter.streaming_source_preset import check_identities, check_preset

FIELDS = [{"name": "email", "type": "string"}, {"name": "visitor.age", "type": "integer"}]


def problems(identities):
    out = []
    check_identities(identities, dict((f["name"], f["type"]) for f in FIELDS) | {"visitor": "object"}, out)
    return out


def test_identities_on_declared_string_fields_pass():
    assert problems([{"field": "{tenant}.email", "namespace": "Email", "primary": True},
                     {"field": "identityMap", "namespace": "ECID"}]) == []  # class fields are the schema task's


def test_an_identity_whose_field_is_gone_or_not_a_string_is_a_problem():
    assert problems([{"field": "{tenant}.chatlio_email", "namespace": "Email"},
                     {"field": "{tenant}.visitor.age", "namespace": "Phone"},
                     {"field": "{tenant}.visitor", "namespace": "Phone"}]) == [
        "schema.identities[0].field: '{tenant}.chatlio_email' is not a field the preset declares (schema.fields); "
        "declare it, or remove the identity too when you remove the field",
        "schema.identities[1].field: '{tenant}.visitor.age' is a field of type integer; an identity is a string field",
        "schema.identities[2].field: '{tenant}.visitor' is a field of type object; an identity is a string field"]


def test_check_preset_reports_it():
    spec = {"schema": {"class_id": "https://ns.adobe.com/xdm/context/experienceevent", "fields": FIELDS,
                       "identities": [{"field": "{tenant}.gone", "namespace": "Email"}]}}
    assert any(p.startswith("schema.identities[0].field: '{tenant}.gone'") for p in check_preset(spec))
