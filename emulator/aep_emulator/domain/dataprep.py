"""How the core reads Data Prep mapping sets (store kind ``mappingSets``, written by :mod:`dataprep`):
the latest version document with every version under ``versions`` (keyed by the version as a string)."""

from __future__ import annotations

from typing import Any

KIND = "mappingSets"


def find_version(store, org: str, sandbox: str, mapping_id: str, version: Any) -> dict | None:
    """The mapping set document at ``version`` (None = latest), or None when either is unknown."""
    doc = store.get(KIND, org, sandbox, mapping_id)
    if doc is None:
        return None
    key = str(doc.get("version")) if version is None else str(version)
    fallback = doc if str(doc.get("version")) == key else None
    return (doc.get("versions") or {}).get(key, fallback)


def output_schema_id(mapping_set: dict) -> str | None:
    output = mapping_set.get("outputSchema") or {}
    return (output.get("schemaRef") or {}).get("id") or output.get("id") or mapping_set.get("xdmSchema")
