"""Core of the emulator: configuration, the document store and its SQLite writer, store kinds, error
bodies and the request context. Imports nothing else from the package (see emulator/README.md, "Layers")."""
