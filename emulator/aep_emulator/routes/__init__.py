"""HTTP routes, one module per service. Each module declares its endpoints as module-level handlers
(``ENDPOINTS``) and exposes ``routes(emu) -> list[starlette.routing.Route]``; the handlers parse HTTP and
call the service's rules in :mod:`aep_emulator.domain`."""

from __future__ import annotations

from starlette.routing import Route

from aep_emulator.routes import catalog, dataprep, flowservice, hooks, identity, ims, inlet, sandboxes, schemaregistry
from aep_emulator.runtime import Emulator

# In routing order: the router tries each route in turn, so the busiest services come first.
SERVICES = (inlet, flowservice, catalog, schemaregistry, dataprep, identity, sandboxes, ims, hooks)


def all_routes(emu: Emulator) -> list[Route]:
    return [route for service in SERVICES for route in service.routes(emu)]
