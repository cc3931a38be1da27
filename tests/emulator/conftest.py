"""Fixtures: a real emulator subprocess (``python -m aep_emulator --port 0``) and an AEP HTTP client.

Constants and scenario builders live in ``emulator_support.py`` (a plain module, so tests can import it
even when pytest collects several test trees with their own conftest).
"""

from __future__ import annotations

import pytest

from emulator_support import Aep, EmulatorProcess


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    process = EmulatorProcess(data_dir=tmp_path_factory.mktemp("emulator-data"))
    yield process
    process.stop()


@pytest.fixture
def aep(emulator) -> Aep:
    client = Aep(emulator.url)
    client.hook("POST", "/reset").raise_for_status()
    return client


@pytest.fixture
def start_emulator():
    """Factory for extra emulator processes (restart / kill tests); all are stopped at teardown."""
    started: list[EmulatorProcess] = []

    def start(**kwargs) -> EmulatorProcess:
        started.append(EmulatorProcess(**kwargs))
        return started[-1]

    yield start
    for process in started:
        process.stop()
