"""Integration fixtures: one emulator per test session, state reset before each test."""
import pytest

from harness import Emulator, ensure_collection_link


@pytest.fixture(scope="session", autouse=True)
def private_token_cache(tmp_path_factory):
    """The shared-token directory of this test session (module_utils/token_cache.py), inherited by ansible-playbook."""
    import os
    os.environ["AEP_TOKEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("token-cache"))


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
