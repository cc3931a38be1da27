"""JSON Patch (RFC 6902) as AEP's services accept it: ``add``, ``replace`` and ``remove`` (what Flow Service
documents; Catalog and Schema Registry use the same subset here).

The operations are applied by the ``jsonpatch``/``jsonpointer`` libraries; this module only checks the body's
shape first, so every refusal is a :class:`PatchError` with a message in AEP's words."""

from __future__ import annotations

from typing import Any

import jsonpatch
import jsonpointer


class PatchError(ValueError):
    """``unsupported`` is True for a valid but unsupported op (e.g. ``move``)."""

    def __init__(self, message: str, unsupported: bool = False):
        super().__init__(message)
        self.unsupported = unsupported


SUPPORTED = frozenset({"add", "replace", "remove"})
KNOWN = SUPPORTED | {"move", "copy", "test"}


def apply_patch(doc: dict, operations: Any) -> dict:
    """A patched deep copy of ``doc`` (``doc`` is left unchanged); raises :class:`PatchError`."""
    if not isinstance(operations, list) or not operations:
        raise PatchError("The patch body must be a non-empty JSON array of operations.")
    normalised = [_checked(operation) for operation in operations]
    try:
        return jsonpatch.JsonPatch(normalised).apply(doc, in_place=False)
    except (jsonpatch.JsonPatchConflict, jsonpointer.JsonPointerException, IndexError, KeyError, TypeError):
        path = _failing_path(doc, normalised)
        raise PatchError(f"Missing field {path}") from None
    except jsonpatch.JsonPatchException as exc:
        raise PatchError(f"Invalid patch: {exc}") from None


def _checked(operation: Any) -> dict:
    if not isinstance(operation, dict) or "op" not in operation or "path" not in operation:
        raise PatchError("Each patch operation needs 'op' and 'path'.")
    op = str(operation["op"]).lower()
    if op not in KNOWN:
        raise PatchError(f"Unknown patch operation '{operation['op']}'.")
    if op not in SUPPORTED:
        raise PatchError(f"Patch operation '{op}' is not supported.", unsupported=True)
    if op != "remove" and "value" not in operation:
        raise PatchError(f"Operation '{op}' needs a 'value'.")
    path = operation["path"]
    if not isinstance(path, str) or not path.startswith("/") or path == "/":
        raise PatchError(f"Invalid patch path '{path}'.")
    for token in path[1:].split("/"):
        if "~" in token.replace("~0", "").replace("~1", ""):
            raise PatchError(f"Invalid patch path '{path}'.")
    return {**operation, "op": op}


def _failing_path(doc: dict, operations: list[dict]) -> str:
    """The path of the first operation that cannot be applied (for the error message)."""
    current = doc
    for operation in operations:
        try:
            current = jsonpatch.JsonPatch([operation]).apply(current, in_place=False)
        except Exception:  # noqa: BLE001 - any failure names this operation
            return operation["path"]
    return operations[-1]["path"]
