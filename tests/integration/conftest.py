"""Integration fixtures: one emulator per test session, state reset before each test."""
import pytest

from harness import Emulator, ensure_collection_link


@pytest.fixture(scope="session")
def emulator_server():
    ensure_collection_link()
    emu = Emulator()
    yield emu
    emu.stop()


@pytest.fixture
def emulator(emulator_server):
    """A clean emulator: all AEP objects removed and the request log emptied."""
    emulator_server.reset()
    emulator_server.clear_log()
    return emulator_server
