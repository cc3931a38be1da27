"""The read-only Flow Service catalogue (connection specs and flow specs) from ``data/*.json``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

DATA = resources.files("aep_emulator") / "data"
DATA_LAKE_SPEC = "c604ff05-7f1a-43c0-8e18-33bf874cb11c"


@cache
def connection_specs() -> dict[str, dict]:
    return {spec["id"]: spec for spec in json.loads(DATA.joinpath("connection_specs.json").read_text("utf-8"))}


@cache
def flow_specs() -> dict[str, dict]:
    return {spec["id"]: spec for spec in json.loads(DATA.joinpath("flow_specs.json").read_text("utf-8"))}


def is_streaming(flow_spec: dict) -> bool:
    return flow_spec.get("attributes", {}).get("frequency") == "streaming"


STREAMING_AUTH = "Streaming Connection"  # the HTTP API base connection's auth spec: it creates an inlet


def needs_base_connection(connection_spec: dict) -> bool:
    """A source connection of this spec must reference a base connection of the same spec: the spec has
    ``authSpec`` entries (HTTP API). Webhook (Sources SDK streaming) specs have ``authSpec: []``."""
    return bool(connection_spec.get("authSpec"))


def creates_inlet(connection_spec: dict, auth_spec_name: str) -> bool:
    """A base connection with this auth spec gets a DCS inlet (``auth.params.inletId``/``inletUrl``)."""
    return auth_spec_name == STREAMING_AUTH and any(a.get("name") == STREAMING_AUTH
                                                    for a in connection_spec.get("authSpec") or [])


def transformation_names(flow_spec: dict) -> set[str]:
    """Lower-cased names of the transformations a flow spec accepts (``transformationSpecs[].name``)."""
    return {str(t.get("name", "")).lower() for t in flow_spec.get("transformationSpecs") or []}
