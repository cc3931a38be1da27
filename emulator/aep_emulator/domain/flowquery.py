"""Flow Service list queries: ``property`` filters, ``orderby``, ``limit``, ``continuationToken``, ``count``.

- ``property=<path><op><v1>,<v2>``: ops ``==``, ``!=``, ``>``, ``<``, ``>=``, ``<=``; a comma list is an OR;
  repeated ``property`` parameters are ANDed; paths are dotted, ``[]`` walks an array
  (``inheritedAttributes.targetConnections[].connectionSpec.id==X``). A bare path means "exists".
- ``orderby=name`` / ``+name`` / ``-createdAt`` (comma-separated keys allowed).
- ``continuationToken`` is an opaque offset into the filtered, ordered result."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Protocol
from urllib.parse import urlencode

import orjson

from aep_emulator.core.errors import flow_error

DEFAULT_LIMIT = 100  # [UNVERIFIED] AEP's default page size for Flow Service lists
MAX_LIMIT = 1000
_OPS = ("==", "!=", ">=", "<=", ">", "<")
_ORDER_KEY = re.compile(r"^[+-]?[A-Za-z_$][\w.$\[\]]*$")

Predicate = Callable[[dict], bool]


class QueryParams(Protocol):
    """A multi-dict of query parameters (what ``starlette.datastructures.QueryParams`` is)."""

    def get(self, key: str, default: Any = None) -> Any:
        """The last value of ``key`` or ``default``."""

    def getlist(self, key: str) -> list[str]:
        """Every value of ``key``."""

    def multi_items(self) -> Iterable[tuple[str, str]]:
        """Every (key, value) pair in order."""

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is present."""


def run_query(docs: list[dict], params: QueryParams, path: str) -> dict:
    """Filter, sort and page ``docs`` as Flow Service does; ``path`` is the list path (e.g. ``/flows``)."""
    predicates = [parse_property(p) for p in params.getlist("property")]
    docs = [d for d in docs if all(pred(d) for pred in predicates)]
    if params.get("count", "").lower() == "true":
        if "limit" in params:
            raise flow_error("1401-400", "The query parameters limit and count cannot be used together.")
        return {"count": len(docs)}
    docs = _order(docs, params.get("orderby"))
    limit = _limit(params.get("limit"))
    offset = _decode_token(params.get("continuationToken"))
    page = docs[offset:offset + limit]
    links: dict[str, Any] = {}
    if offset + limit < len(docs):
        links["next"] = {"href": _next_href(path, params, offset + limit)}
    return {"items": page, "_links": links}


@dataclass(frozen=True)
class Clause:
    """One ``property`` parameter: ``field`` ``op`` ``values`` (``op`` None = the path exists)."""

    field: str
    op: str | None
    values: tuple[str, ...] = ()

    def __call__(self, doc: dict) -> bool:
        found = resolve(doc, self.field)
        if self.op is None:
            return bool(found)
        if self.op == "==":
            return any(_equals(v, w) for v in found for w in self.values)
        if self.op == "!=":
            return not any(_equals(v, w) for v in found for w in self.values)
        compare = _COMPARATORS[self.op]
        return any(compare(_key(v), _key(_coerce(w))) for v in found for w in self.values if _comparable(v, w))


def parse_property(expression: str) -> Predicate:
    """Parse one ``property`` value into a :class:`Clause` (the predicate over a document).

    Grammar: ``<path>`` | ``<path><op><value>[,<value>...]``; the operator is the first of ``==``, ``!=``,
    ``>=``, ``<=``, ``>``, ``<`` found from the left, everything after it is the value list (split on every
    comma, no escape). A ``~`` anywhere is refused with 1440-400 as AEP does (``Operator '~' is not
    implemented``), also inside a value. Values are compared as text, never as patterns."""
    if "~" in expression:
        raise flow_error("1440-400", f"Operator '~' is not implemented: {expression}")
    op, index = _find_operator(expression)
    if op is None:
        return Clause(expression.strip(), None)
    field, raw = expression[:index].strip(), expression[index + len(op):]
    if not field:
        raise flow_error("1400-400", f"Invalid property filter: {expression}")
    return Clause(field, op, tuple(raw.split(",")))


def _find_operator(expression: str) -> tuple[str | None, int]:
    for index in range(len(expression)):
        for op in _OPS:
            if expression.startswith(op, index):
                return op, index
    return None, -1


def resolve(doc: Any, path: str) -> list:
    """Every value at a dotted path; ``name[]`` expands an array."""
    values = [doc]
    for part in path.split("."):
        expand = part.endswith("[]")
        key = part[:-2] if expand else part
        step = []
        for value in values:
            if isinstance(value, dict) and key in value:
                child = value[key]
                if expand and isinstance(child, list):
                    step.extend(child)
                else:
                    step.append(child)
        values = step
    return [v for v in values if v is not None]


def _coerce(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        return text


def _equals(value: Any, wanted: str) -> bool:
    if isinstance(value, list):
        return any(_equals(v, wanted) for v in value)
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return value == _coerce(wanted)
    return str(value) == wanted


def _comparable(value: Any, wanted: str) -> bool:
    return isinstance(value, (int, float)) == isinstance(_coerce(wanted), (int, float))


def _key(value: Any) -> Any:
    return value if isinstance(value, (int, float)) else str(value)


_COMPARATORS = {
    ">": lambda a, b: a > b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b,
}


def _order(docs: list[dict], orderby: str | None) -> list[dict]:
    if not orderby:
        return docs
    for key in reversed(orderby.split(",")):
        key = key.strip()
        if not _ORDER_KEY.match(key):
            raise flow_error("1432-400", f"Invalid orderby value '{key}': use [+|-]<property>.")
        descending, field = key.startswith("-"), key.lstrip("+-")
        present = [d for d in docs if resolve(d, field)]
        missing = [d for d in docs if not resolve(d, field)]
        present.sort(key=lambda d: _sort_key(resolve(d, field)[0]), reverse=descending)
        docs = present + missing
    return docs


def _sort_key(value: Any) -> tuple:
    return (0, value, "") if isinstance(value, (int, float)) else (1, 0, str(value).lower())


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise flow_error("1400-400", f"Invalid limit '{raw}'.") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise flow_error("1400-400", f"limit must be between 1 and {MAX_LIMIT}.")
    return limit


def _decode_token(token: str | None) -> int:
    if not token:
        return 0
    try:
        offset = int(orjson.loads(base64.urlsafe_b64decode(token.encode() + b"==="))["offset"])
    except (ValueError, KeyError, TypeError, IndexError):
        offset = -1
    if offset < 0:
        raise flow_error("1400-400", "Invalid continuationToken.")
    return offset


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps({"offset": offset})).decode().rstrip("=")


def _next_href(path: str, params: QueryParams, offset: int) -> str:
    kept = [(k, v) for k, v in params.multi_items() if k != "continuationToken"]
    return f"{path}?{urlencode(kept + [('continuationToken', _encode_token(offset))])}"
