"""Catalog Service datasets (``/data/foundation/catalog/dataSets``), store kind ``dataSets``: create and
update rules and the list filters.

Filter grammar as implemented (see emulator/README.md, "Filters"):

- ``name=<v1>,<v2>``: comma = OR; a value starting with ``!`` = NOT; ``*`` matches any run of characters;
  every other character (``?``, ``[``, ``(``, ``.``, ...) is literal. Case-sensitive, whole name.
- ``property=<field><op><value>`` on a top-level field: ``==``, ``!=``, ``<``, ``>``, ``<=``, ``>=``
  (numbers compared as numbers, everything else as text), ``~`` (value is a regular expression searched in
  the text; an invalid one is 400); ``<field>`` alone = exists, ``!<field>`` = does not exist. The value is
  everything after the operator, commas included. Repeated ``property`` parameters are ANDed.
- ``orderBy=asc:<field>`` / ``desc:<field>``; ``start`` (offset), ``limit`` (1-100, default 20);
  ``properties=<f1>,<f2>`` projects each dataset to those fields."""

from __future__ import annotations

import re
import secrets
import time
import uuid
from typing import Any, Callable

from aep_emulator.core import kinds
from aep_emulator.core.context import RequestContext
from aep_emulator.core.errors import ApiError, generic_error
from aep_emulator.core.store import Store
from aep_emulator.domain import patch

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
SERVER_FIELDS = frozenset({"id", "imsOrg", "created", "updated", "createdClient", "createdUser", "updatedUser",
                           "version", "files", "viewId", "sandboxId", "lastBatchId", "lastBatchStatus"})
PROFILE_TAGS = ("unifiedProfile", "unifiedIdentity")
ENABLED = "enabled:true"
UNION_TAG = "union"  # a schema enabled for Profile (domain/evolution.py)
BATCH_WINDOW_MS = 3_600_000


def bad_request(message: str) -> ApiError:
    return generic_error(400, message)


def not_found(dataset_id: str) -> ApiError:
    return generic_error(404, f"Dataset {dataset_id} not found", title="NotFoundError")


# --- create and update ------------------------------------------------------------------------------

def new_dataset(store: Store, ctx: RequestContext, body: Any) -> dict:
    """The document of a new dataset (400 naming the field when the body is invalid)."""
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    validate(store, ctx, body)
    check_profile_tags(store, ctx, None, body)
    dataset_id = secrets.token_hex(12)
    now = int(time.time() * 1000)
    doc = {k: v for k, v in body.items() if k not in SERVER_FIELDS}
    doc.update({
        "id": dataset_id, "imsOrg": ctx.org, "sandboxId": ctx.sandbox_id, "tags": body.get("tags", {}),
        "created": now, "updated": now, "createdClient": ctx.client_id, "createdUser": ctx.user,
        "updatedUser": ctx.user, "version": "1.0.0", "files": f"@/dataSetFiles?dataSetId={dataset_id}",
        "viewId": secrets.token_hex(12),
    })
    return doc


def validate(store: Store, ctx: RequestContext, body: dict) -> None:
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        raise bad_request("Dataset 'name' is required.")
    schema_id = body["schemaRef"].get("id") if isinstance(body.get("schemaRef"), dict) else None
    if not isinstance(schema_id, str) or not schema_id:
        raise bad_request("Dataset 'schemaRef.id' is required.")
    if store.get(kinds.SCHEMAS, ctx.org, ctx.sandbox, schema_id) is None:
        raise bad_request(f"Schema {schema_id} does not exist in sandbox {ctx.sandbox}.")
    tags = body.get("tags", {})
    if not isinstance(tags, dict) or not all(isinstance(v, list) for v in tags.values()):
        raise bad_request("'tags' must be an object of string lists.")


def updated(store: Store, ctx: RequestContext, doc: dict, body: Any) -> dict:
    """The dataset after a PATCH: a JSON Patch array or an object merged into the dataset."""
    if isinstance(body, list):
        try:
            result = patch.apply_patch(doc, body)
        except patch.PatchError as exc:
            raise bad_request(str(exc)) from None
    elif isinstance(body, dict):
        result = {**doc, **{k: v for k, v in body.items() if k not in SERVER_FIELDS}}
    else:
        raise bad_request("The body must be a JSON object or a JSON Patch array.")
    validate(store, ctx, result)
    check_profile_tags(store, ctx, doc, result)
    result.update({"updated": int(time.time() * 1000), "updatedUser": ctx.user, "id": doc["id"]})
    for field in ("lastBatchId", "lastBatchStatus"):
        result.pop(field, None)
        if field in doc:
            result[field] = doc[field]
    return result


# --- Profile enablement (tags) ------------------------------------------------------------------------

def profile_tag_on(dataset: dict | None, tag: str) -> bool:
    tags = (dataset or {}).get("tags")
    values = tags.get(tag) if isinstance(tags, dict) else None
    return isinstance(values, list) and ENABLED in values


def check_profile_tags(store: Store, ctx: RequestContext, old: dict | None, new: dict) -> None:
    """``tags.unifiedProfile`` / ``tags.unifiedIdentity`` = ``["enabled:true"]`` enable a dataset for Profile /
    Identity Service, one-way: once enabled, a change that drops ``enabled:true`` (``enabled:false``, another
    value, the tag removed) is refused (400). Enabling a dataset for Profile whose schema is not enabled for Profile
    (no ``union`` in its ``meta:immutableTags``) is refused (400): AEP's "enable a dataset for Profile" guide and UI
    require the schema first; the exact Catalog answer is [UNVERIFIED], the emulator uses its generic 400 body."""
    for tag in PROFILE_TAGS:
        if profile_tag_on(old, tag) and not profile_tag_on(new, tag):
            what = "Profile" if tag == "unifiedProfile" else "Identity"
            raise bad_request(f"Dataset {old['id']} is enabled for {what} ('tags.{tag}' holds '{ENABLED}'): disabling "
                              "it is not allowed. Create a new dataset for data that must not reach Profile.")
    if profile_tag_on(new, "unifiedProfile") and not profile_tag_on(old, "unifiedProfile"):
        schema_id = (new.get("schemaRef") or {}).get("id")
        schema = store.get(kinds.SCHEMAS, ctx.org, ctx.sandbox, schema_id) if isinstance(schema_id, str) else None
        if schema is not None and UNION_TAG not in (schema.get("meta:immutableTags") or []):
            raise bad_request(f"Schema {schema_id} of the dataset is not enabled for Profile ('meta:immutableTags' has "
                              "no 'union'): enable the schema for Profile before the dataset.")


# --- batches: data landed ---------------------------------------------------------------------------

def batch_id(dataset_id: str, received_ms: int) -> str:
    """The batch of a dataset's streamed records in one UTC hour window (stable, 32 hex)."""
    window = received_ms - received_ms % BATCH_WINDOW_MS
    return uuid.uuid5(uuid.NAMESPACE_URL, f"aep-emulator-batch:{dataset_id}:{window}").hex


def record_landed(store: Store, org: str, sandbox: str, dataset_id: str, received_ms: int) -> list:
    """A record landed in a dataset: the first one of an hour window creates a successful batch and sets the
    dataset's ``lastBatchId`` / ``lastBatchStatus: "success"`` (how a client tells that a dataset, and so its
    schema, has data). Returns the store writes to await (none for later records of the window)."""
    dataset = store.get(kinds.DATASETS, org, sandbox, dataset_id)
    if dataset is None:
        return []
    batch = batch_id(dataset_id, received_ms)
    if dataset.get("lastBatchId") == batch:
        return []
    doc = {"id": batch, "imsOrg": org, "status": "success", "created": received_ms, "updated": received_ms,
           "completed": received_ms, "relatedObjects": [{"type": "dataSet", "id": dataset_id}],
           "inputFormat": {"format": "json"}, "version": "1.0.0"}
    return [store.put(kinds.BATCHES, org, sandbox, batch, doc),
            store.put(kinds.DATASETS, org, sandbox, dataset_id,
                      {**dataset, "lastBatchId": batch, "lastBatchStatus": "success"})]


def listed_batches(docs: list[dict], params) -> dict:
    """``GET /batches``: ``dataSet=<id>`` keeps the batches of one dataset, ``status=``; then as ``/dataSets``."""
    if "dataSet" in params:
        docs = [d for d in docs if any(o.get("id") == params["dataSet"] for o in d.get("relatedObjects", []))]
    if "status" in params:
        docs = [d for d in docs if d.get("status") == params["status"]]
    return listed(docs, params)


# --- listing -----------------------------------------------------------------------------------------

def listed(docs: list[dict], params) -> dict:
    """``GET /dataSets``: filtered, ordered, paged and projected, keyed by dataset id."""
    if "name" in params:
        matches_name = name_filter(params["name"])
        docs = [d for d in docs if matches_name(str(d.get("name", "")))]
    for expression in params.getlist("property"):
        matches = property_filter(expression)
        docs = [d for d in docs if matches(d)]
    docs = _order(docs, params.get("orderBy"))
    start, limit = _int_param(params, "start", 0, 0, None), _int_param(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    return {d["id"]: project(d, params.get("properties")) for d in docs[start:start + limit]}


def _wildcard(pattern: str) -> re.Pattern:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.S)


def name_filter(expression: str) -> Callable[[str], bool]:
    """``a,b`` = OR; ``!a`` = NOT; ``*`` is the only wildcard."""
    parts = expression.split(",")
    positives = [_wildcard(p) for p in parts if not p.startswith("!")]
    negatives = [_wildcard(p[1:]) for p in parts if p.startswith("!")]

    def matches(name: str) -> bool:
        if any(n.fullmatch(name) for n in negatives):
            return False
        return not positives or any(p.fullmatch(name) for p in positives)
    return matches


_PROPERTY = re.compile(r"^(!?)([\w.]+)(?:(==|!=|<=|>=|<|>|~)(.*))?$", re.S)


def property_filter(expression: str) -> Callable[[dict], bool]:
    """One ``property`` clause, parsed by its operator (400 when it is not one)."""
    match = _PROPERTY.match(expression)
    if not match:
        raise bad_request(f"Invalid property filter: {expression!r}; use <field>, !<field> or <field><op><value> "
                          "with op one of ==, !=, <, >, <=, >=, ~")
    negate, field, op, value = match.groups()
    if not op:
        return (lambda doc: doc.get(field) is None) if negate else (lambda doc: doc.get(field) is not None)
    if negate:
        raise bad_request(f"Invalid property filter: {expression!r}; '!' only negates a bare field")
    if op == "~":
        try:
            pattern = re.compile(value)
        except re.error as exc:
            raise bad_request(f"Invalid regular expression in property filter {expression!r}: {exc}") from None
        return lambda doc: doc.get(field) is not None and pattern.search(str(doc.get(field))) is not None
    return lambda doc: _compare(doc.get(field), op, value)


def _compare(actual: Any, op: str, value: str) -> bool:
    if actual is None:
        return op == "!="
    if isinstance(actual, (int, float)) and not isinstance(actual, bool):
        try:
            wanted: Any = float(value)
        except ValueError:
            return op == "!="
    else:
        actual, wanted = str(actual), value
    return _OPERATORS[op](actual, wanted)


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b, ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
}


def _order(docs: list[dict], order_by: str | None) -> list[dict]:
    if not order_by:
        return docs
    direction, _sep, field = order_by.partition(":")
    if direction not in ("asc", "desc") or not field:
        raise bad_request("orderBy must look like asc:<field> or desc:<field>")

    def key(doc: dict) -> tuple:
        value = doc.get(field)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (value is None, 0, value, "")
        return (value is None, 1, 0, "" if value is None else str(value))
    return sorted(docs, key=key, reverse=direction == "desc")


def _int_param(params, name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"'{name}' must be an integer") from None
    if value < low or (high is not None and value > high):
        raise bad_request(f"'{name}' must be between {low} and {high}" if high else f"'{name}' must be >= {low}")
    return value


def project(doc: dict, properties: str | None) -> dict:
    if not properties:
        return doc
    wanted = {p.strip() for p in properties.split(",")}
    return {k: v for k, v in doc.items() if k in wanted}
