"""Emulator configuration: orgs, their credentials, tenant and sandboxes, token lifetime, public URL.

The YAML file is validated by a schema (pydantic models, :class:`ConfigFile`) before anything starts:
unknown keys are refused (``token_lifetime:`` is a typo, not a silent no-op), values are typed and
bounded, and every problem is reported by its place in the file (``orgs[0].sandboxes[1].type: ...``)
in one :class:`ConfigError`, never a traceback. Top-level keys that are left out keep their defaults
(:data:`DEFAULT_CONFIG`); a key inside an org or a sandbox without a default is required."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_ORG_ID = "0123456789ABCDEF01234567@AdobeOrg"
DEFAULT_CONFIG = {
    "token_lifetime_seconds": 86399,
    "public_url": None,
    "synchronous": "NORMAL",
    "orgs": [
        {
            "id": DEFAULT_ORG_ID,
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


class ConfigError(ValueError):
    """An invalid configuration; ``problems`` lists one ``place: message`` line per problem."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"invalid emulator config {source}:\n" + "\n".join(f"  - {p}" for p in problems))


# --- the schema of the YAML file ----------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


SandboxName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


class SandboxFile(_Strict):
    name: SandboxName
    title: Annotated[str, Field(min_length=1)]
    type: Literal["production", "development"] = "development"
    default: bool = False


class CredentialFile(_Strict):
    client_id: Annotated[str, Field(min_length=1)]
    client_secret: Annotated[str, Field(min_length=1)]


class OrgFile(_Strict):
    id: Annotated[str, Field(pattern=r"^\S+@AdobeOrg$")]
    tenant: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,64}$")] = "emulated"
    credentials: Annotated[list[CredentialFile], Field(min_length=1)]
    sandboxes: Annotated[list[SandboxFile], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_sandboxes(self) -> OrgFile:
        names = [s.name for s in self.sandboxes]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"sandbox names must be unique in an org: {', '.join(duplicates)}")
        if sum(s.default for s in self.sandboxes) > 1:
            raise ValueError("at most one sandbox of an org may have default: true")
        return self


class ConfigFile(_Strict):
    token_lifetime_seconds: Annotated[int, Field(ge=1, le=10 * 365 * 86400)] = 86399
    public_url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    synchronous: Literal["OFF", "NORMAL", "FULL", "EXTRA"] = "NORMAL"
    orgs: Annotated[list[OrgFile], Field(min_length=1)]

    @field_validator("synchronous", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _unique_ids(self) -> ConfigFile:
        ids = [o.id for o in self.orgs]
        clients = [c.client_id for o in self.orgs for c in o.credentials]
        for what, values in (("org ids", ids), ("client_id values (across orgs)", clients)):
            duplicates = sorted({v for v in values if values.count(v) > 1})
            if duplicates:
                raise ValueError(f"{what} must be unique: {', '.join(duplicates)}")
        return self


# --- the configuration the emulator runs with -----------------------------------------------------------

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
    _orgs: dict[str, OrgConfig] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._clients = {cid: org for org in self.orgs for cid in org.credentials}
        self._orgs = {org.id: org for org in self.orgs}

    def org(self, org_id: str) -> OrgConfig | None:
        return self._orgs.get(org_id)

    def org_of_client(self, client_id: str) -> OrgConfig | None:
        return self._clients.get(client_id)


def _place(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not part.startswith(("function-", "literal[", "str", "int", "bool")):  # pydantic's union branches
            text += f".{part}" if text else part
    return text or "(top level)"


def _problem(error: dict) -> str:
    place = _place(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"{place}: unknown key (check its spelling; see emulator/README.md for the keys)"
    if kind == "missing":
        return f"{place}: required key is missing"
    message = error["msg"].removeprefix("Value error, ")
    if kind == "value_error":
        return f"{place}: {message}"
    return f"{place}: {message} (got {error.get('input')!r})"


def parse_config(raw: object, source: str = "<config>") -> Config:
    """Validate a decoded YAML document (None = all defaults) and build the :class:`Config`.

    Raises :class:`ConfigError` naming every invalid, unknown or missing key."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(source, [f"(top level): must be a mapping of keys, got {type(raw).__name__}"])
    try:
        checked = ConfigFile.model_validate({**DEFAULT_CONFIG, **raw})
    except ValidationError as exc:
        raise ConfigError(source, [_problem(e) for e in exc.errors()]) from None
    orgs = [OrgConfig(id=o.id, tenant=o.tenant, credentials={c.client_id: c.client_secret for c in o.credentials},
                      sandboxes=[SandboxConfig(s.name, s.title, s.type, s.default) for s in o.sandboxes])
            for o in checked.orgs]
    return Config(orgs=orgs, token_lifetime_seconds=checked.token_lifetime_seconds, public_url=checked.public_url,
                  synchronous=checked.synchronous)


def load_config(path: str | Path | None = None) -> Config:
    """The default configuration, or the YAML file at ``path`` validated (raises :class:`ConfigError`)."""
    if path is None:
        return parse_config({}, "(defaults)")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), [f"cannot read the file: {exc.strerror or exc}"]) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), [f"not valid YAML: {exc}"]) from None
    return parse_config(raw, str(path))
