"""A local emulator of the Adobe Experience Platform APIs (IMS, Flow Service, Catalog, Schema Registry,
Data Prep, Sandbox management, the DCS streaming inlet) with test hooks under ``/_emulator/``."""

__version__ = "0.1.0"
