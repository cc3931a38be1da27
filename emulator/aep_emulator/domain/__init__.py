"""Domain rules per AEP service (no HTTP): Flow Service (:mod:`flowservice`, :mod:`flowquery`, :mod:`specs`),
Catalog (:mod:`catalog`), Schema Registry (:mod:`schemaregistry`, :mod:`xdm`), Data Prep (:mod:`dataprep`,
:mod:`mapping`), sandboxes, IMS tokens (:mod:`ims`), streaming ingestion and runs (:mod:`inlet`, :mod:`runs`),
JSON Patch (:mod:`patch`) and the emulator's own test hooks (:mod:`hooks`). Imports only the core."""
