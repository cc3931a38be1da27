"""JSON Patch (RFC 6902) ``add``, ``replace`` and ``remove`` — what Flow Service documents."""

from __future__ import annotations

import copy
from typing import Any


class PatchError(ValueError):
    """``unsupported`` is True for a valid but unsupported op (e.g. ``move``)."""

    def __init__(self, message: str, unsupported: bool = False):
        super().__init__(message)
        self.unsupported = unsupported


SUPPORTED = {"add", "replace", "remove"}
KNOWN = SUPPORTED | {"move", "copy", "test"}


def apply_patch(doc: dict, operations: Any) -> dict:
    """A patched deep copy of ``doc``."""
    if not isinstance(operations, list) or not operations:
        raise PatchError("The patch body must be a non-empty JSON array of operations.")
    result = copy.deepcopy(doc)
    for operation in operations:
        _apply_one(result, operation)
    return result


def _apply_one(doc: dict, operation: Any) -> None:
    if not isinstance(operation, dict) or "op" not in operation or "path" not in operation:
        raise PatchError("Each patch operation needs 'op' and 'path'.")
    op = str(operation["op"]).lower()
    if op not in KNOWN:
        raise PatchError(f"Unknown patch operation '{operation['op']}'.")
    if op not in SUPPORTED:
        raise PatchError(f"Patch operation '{op}' is not supported.", unsupported=True)
    if op != "remove" and "value" not in operation:
        raise PatchError(f"Operation '{op}' needs a 'value'.")
    parent, key = _locate(doc, operation["path"])
    if op == "add":
        _add(parent, key, copy.deepcopy(operation["value"]))
    elif op == "replace":
        _require(parent, key, operation["path"])
        parent[_index(parent, key)] = copy.deepcopy(operation["value"])
    else:
        _require(parent, key, operation["path"])
        del parent[_index(parent, key)]


def _locate(doc: dict, path: str) -> tuple[Any, str]:
    if not isinstance(path, str) or not path.startswith("/") or path == "/":
        raise PatchError(f"Invalid patch path '{path}'.")
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]
    node: Any = doc
    for part in parts[:-1]:
        try:
            node = node[_index(node, part)]
        except (KeyError, IndexError, TypeError):
            raise PatchError(f"Missing field {path}") from None
        if not isinstance(node, (dict, list)):
            raise PatchError(f"Missing field {path}")
    return node, parts[-1]


def _index(node: Any, key: str) -> Any:
    if isinstance(node, list):
        if not key.isdigit():
            raise PatchError(f"Invalid array index '{key}'.")
        return int(key)
    return key


def _require(node: Any, key: str, path: str) -> None:
    exists = (isinstance(node, dict) and key in node) or (
        isinstance(node, list) and key.isdigit() and int(key) < len(node))
    if not exists:
        raise PatchError(f"Missing field {path}")


def _add(node: Any, key: str, value: Any) -> None:
    if isinstance(node, dict):
        node[key] = value
    elif key == "-":
        node.append(value)
    else:
        index = _index(node, key)
        if index > len(node):
            raise PatchError(f"Array index {index} out of range.")
        node.insert(index, value)
