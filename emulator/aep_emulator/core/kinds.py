"""Store kinds: the first part of a document's key ``(kind, org, sandbox, id)``.

Public kinds hold AEP objects (isolated per org and sandbox); kinds starting with ``_`` are the emulator's
own bookkeeping and are stored with ``org = sandbox = ""`` unless stated otherwise."""

from __future__ import annotations

# Flow Service (``/data/foundation/flowservice``); the kind is also the collection's path segment.
CONNECTIONS = "connections"  # base connections
SOURCE_CONNECTIONS = "sourceConnections"
TARGET_CONNECTIONS = "targetConnections"
FLOWS = "flows"
FLOW_SERVICE_KINDS = (CONNECTIONS, SOURCE_CONNECTIONS, TARGET_CONNECTIONS, FLOWS)

# Catalog
DATASETS = "dataSets"

# Schema Registry (keyed by ``$id``)
SCHEMAS = "schemas"
FIELD_GROUPS = "fieldgroups"
DESCRIPTORS = "descriptors"  # keyed by ``@id``

# Identity Service (custom identity namespaces; the standard ones are built in), keyed by the namespace code
IDENTITY_NAMESPACES = "identityNamespaces"

# Catalog batches (one per dataset per hour window of landed records), keyed by the batch id
BATCHES = "batches"

# Data Prep (keyed by the mapping set id; the document carries every version)
MAPPING_SETS = "mappingSets"

# Internal
TOKENS = "_tokens"  # IMS access tokens, keyed by the SHA-256 of the token (never the token itself)
SANDBOXES = "_sandboxes"  # sandboxes added at runtime (org = the org id, sandbox = "")
INLETS = "_inlets"  # streaming inlet id -> {org, sandbox, flowId} (webhook flow) or {org, sandbox, baseConnectionId}
