"""Flow runs of streaming flows, derived from the inlet's events.

Run model: one run per flow per UTC hour window in which the flow's inlet received events. The run's
``recordSummary`` counts the window's input, output (mapped and stored) and failed records; its id is
stable (uuid5 of flow id + window start). Counters are rebuilt from the durable ``events`` table at start.

Errors: ``metrics.statusSummary.errors`` (and the ingestion activity's) has one summary entry
``{"code": "MAPPER-3700-400", "message": "<n> record(s) failed mapping or validation."}`` followed by the
per-record errors, one entry per distinct message (at most ``MAX_ERRORS``)
``{"code": "MAPPER-3701-400", "message": "<the record's error>", "recordCount": <records with it>}``
(codes [UNVERIFIED]: AEP documents the ``errors`` array of a run, not these codes)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import orjson

from aep_emulator.core.db import Database
from aep_emulator.domain.sandboxes import sandbox_id

WINDOW_MS = 3_600_000
MAX_ERRORS = 10


@dataclass
class RunWindow:
    org: str
    sandbox: str
    flow_id: str
    start_ms: int
    inputs: int = 0
    outputs: int = 0
    failed: int = 0
    input_bytes: int = 0
    output_bytes: int = 0
    first_ms: int = 0
    last_ms: int = 0
    errors: dict[str, int] = field(default_factory=dict)  # distinct record error -> records with it

    @property
    def id(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"aep-emulator-run:{self.flow_id}:{self.start_ms}"))

    def add(self, received_ms: int, ok: bool, input_bytes: int, output_bytes: int) -> None:
        self.inputs += 1
        self.outputs += ok
        self.failed += not ok
        self.input_bytes += input_bytes
        self.output_bytes += output_bytes
        self.first_ms = min(self.first_ms or received_ms, received_ms)
        self.last_ms = max(self.last_ms, received_ms)

    def add_errors(self, errors: list[str]) -> None:
        for message in errors:
            if message in self.errors or len(self.errors) < MAX_ERRORS:
                self.errors[message] = self.errors.get(message, 0) + 1


class Runs:
    def __init__(self, db: Database):
        self._windows: dict[tuple[str, int], RunWindow] = {}
        self._load(db)

    def _load(self, db: Database) -> None:
        rows = db.query_now(
            "SELECT org, sandbox, flow_id, received_ms / ? AS w, count(*), sum(ok), sum(input_bytes),"
            " sum(CASE WHEN ok THEN length(body) ELSE 0 END), min(received_ms), max(received_ms)"
            " FROM events GROUP BY org, sandbox, flow_id, w", (WINDOW_MS,))
        for org, sandbox, flow_id, window, count, ok, in_bytes, out_bytes, first, last in rows:
            self._windows[(flow_id, window * WINDOW_MS)] = RunWindow(
                org, sandbox, flow_id, window * WINDOW_MS, count, ok, count - ok, in_bytes, out_bytes, first, last)
        for flow_id, received_ms, body in db.query_now(
                "SELECT flow_id, received_ms, body FROM events WHERE ok = 0 ORDER BY seq", ()):
            window = self._windows.get((flow_id, received_ms - received_ms % WINDOW_MS))
            if window is not None:
                window.add_errors(_stored_errors(body))

    def record(self, org: str, sandbox: str, flow_id: str, received_ms: int, ok: bool,
               input_bytes: int, output_bytes: int, errors: list[str] | None = None) -> None:
        start = received_ms - received_ms % WINDOW_MS
        window = self._windows.get((flow_id, start))
        if window is None:
            window = self._windows[(flow_id, start)] = RunWindow(org, sandbox, flow_id, start)
        window.add(received_ms, ok, input_bytes, output_bytes)
        if errors:
            window.add_errors(errors)

    def documents(self, org: str, sandbox: str, flows: dict[str, dict]) -> list[dict]:
        windows = [w for w in self._windows.values() if w.org == org and w.sandbox == sandbox]
        return [_document(w, flows.get(w.flow_id, {})) for w in sorted(windows, key=lambda w: w.start_ms)]

    def clear(self) -> None:
        self._windows.clear()


def _status(window: RunWindow) -> str:
    if window.failed == 0:
        return "success"
    return "failed" if window.outputs == 0 else "partialSuccess"


def _document(window: RunWindow, flow: dict) -> dict:
    etag = f'"{window.id[:8]}-0000-0200-0000-{window.last_ms // 1000:08x}0000"'
    status = _status(window)
    errors = [] if window.failed == 0 else [
        {"code": "MAPPER-3700-400", "message": f"{window.failed} record(s) failed mapping or validation."},
        *({"code": "MAPPER-3701-400", "message": message, "recordCount": count}
          for message, count in window.errors.items())]
    metrics = {
        "durationSummary": {"startedAtUTC": window.first_ms, "completedAtUTC": window.last_ms},
        "sizeSummary": {"inputBytes": window.input_bytes, "outputBytes": window.output_bytes},
        "recordSummary": {"inputRecordCount": window.inputs, "outputRecordCount": window.outputs,
                          "createdRecordCount": window.outputs, "failedRecordCount": window.failed},
        "statusSummary": {"status": status, "errors": errors},
    }
    return {
        "id": window.id, "createdAt": window.first_ms, "updatedAt": window.last_ms,
        "createdBy": flow.get("createdBy", "aep-emulator"), "updatedBy": flow.get("updatedBy", "aep-emulator"),
        "createdClient": flow.get("createdClient", ""), "updatedClient": flow.get("updatedClient", ""),
        "sandboxId": sandbox_id(window.org, window.sandbox), "sandboxName": window.sandbox,
        "imsOrgId": window.org, "flowId": window.flow_id, "flowSpec": flow.get("flowSpec", {}),
        "providerRefId": flow.get("providerRefId", ""), "etag": etag, "eTag": etag, "state": "completed",
        "metrics": metrics,
        "activities": [{"id": "ingestion", "name": "Streaming ingestion", "durationSummary":
                        metrics["durationSummary"], "recordSummary": metrics["recordSummary"],
                        "statusSummary": metrics["statusSummary"]}],
    }


def _stored_errors(body: bytes) -> list[str]:
    """The errors of a failed event as the inlet stored them (``{"errors": [...]}``)."""
    try:
        errors = orjson.loads(body).get("errors", [])
    except (orjson.JSONDecodeError, AttributeError):
        return []
    return [str(e) for e in errors] if isinstance(errors, list) else []
