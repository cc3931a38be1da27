"""Emulator configuration: orgs, their credentials, tenant and sandboxes, token lifetime, public URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_CONFIG = {
    "token_lifetime_seconds": 86399,
    "public_url": None,
    "orgs": [
        {
            "id": "0123456789ABCDEF01234567@AdobeOrg",
            "tenant": "emulated",
            "credentials": [{"client_id": "aep-emulator-client", "client_secret": "aep-emulator-secret"}],
            "sandboxes": [
                {"name": "prod", "title": "Production", "type": "production", "default": True},
                {"name": "dev", "title": "Development", "type": "development"},
                {"name": "stage", "title": "Stage", "type": "development"},
            ],
        }
    ],
}


@dataclass
class SandboxConfig:
    name: str
    title: str
    type: str = "development"
    default: bool = False


@dataclass(eq=False)  # hashable by identity (cached per org)
class OrgConfig:
    id: str
    tenant: str
    credentials: dict[str, str]  # client_id -> client_secret
    sandboxes: list[SandboxConfig]


@dataclass
class Config:
    orgs: list[OrgConfig]
    token_lifetime_seconds: int = 86399
    public_url: str | None = None
    synchronous: str = "NORMAL"  # SQLite PRAGMA synchronous: NORMAL survives kill -9, FULL also power loss
    _clients: dict[str, OrgConfig] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._clients = {cid: org for org in self.orgs for cid in org.credentials}

    def org(self, org_id: str) -> OrgConfig | None:
        return next((o for o in self.orgs if o.id == org_id), None)

    def org_of_client(self, client_id: str) -> OrgConfig | None:
        return self._clients.get(client_id)


def parse_config(raw: dict) -> Config:
    merged = {**DEFAULT_CONFIG, **(raw or {})}
    orgs = [
        OrgConfig(
            id=o["id"],
            tenant=o.get("tenant", "emulated"),
            credentials={c["client_id"]: c["client_secret"] for c in o.get("credentials", [])},
            sandboxes=[SandboxConfig(**s) for s in o.get("sandboxes", [])],
        )
        for o in merged["orgs"]
    ]
    return Config(
        orgs=orgs,
        token_lifetime_seconds=int(merged["token_lifetime_seconds"]),
        public_url=merged.get("public_url"),
        synchronous=str(merged.get("synchronous", "NORMAL")).upper(),
    )


def load_config(path: str | Path | None = None) -> Config:
    if path is None:
        return parse_config({})
    return parse_config(yaml.safe_load(Path(path).read_text()) or {})
