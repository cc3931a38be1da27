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
