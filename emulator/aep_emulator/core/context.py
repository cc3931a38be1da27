"""The request context a platform endpoint receives once the gateway checks passed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    """Who calls, in which org and sandbox.

    ``sandbox`` is the sandbox name (``""`` for services that take none, such as sandbox management);
    ``tenant`` is the org's tenant id without the underscore (e.g. ``emulated``)."""

    org: str
    client_id: str
    tenant: str
    sandbox: str
    sandbox_id: str
    sandbox_type: str

    @property
    def user(self) -> str:
        """What AEP puts in createdBy/updatedBy for a technical account."""
        return f"{self.client_id}@AdobeID"
