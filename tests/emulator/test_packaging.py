"""A non-editable install carries the data files (XDM classes, connection and flow specs) and works."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import requests

from emulator_support import REPO, Aep

DATA_FILES = {"aep_emulator/data/xdm/global.json", "aep_emulator/data/connection_specs.json",
              "aep_emulator/data/flow_specs.json"}


def test_wheel_has_the_data_files_and_runs(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(REPO / "emulator", source, ignore=shutil.ignore_patterns("*.egg-info", "build", "__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # Offline build with the venv's setuptools (65.x needs the `wheel` package for bdist_wheel).
    built = subprocess.run(pip + ["wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"),
                                  str(source)], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("aep_emulator-*.whl"))
    assert DATA_FILES <= set(zipfile.ZipFile(wheel).namelist())

    target = tmp_path / "site"
    subprocess.run(pip + ["install", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    where = subprocess.run([sys.executable, "-c", "import aep_emulator; print(aep_emulator.__file__)"],
                           cwd=tmp_path, env=env, check=True, capture_output=True, text=True).stdout
    assert Path(where.strip()).is_relative_to(target)  # the installed copy, not the repo's editable one
    process = subprocess.Popen([sys.executable, "-m", "aep_emulator", "--host", "127.0.0.1", "--port", "0"],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = process.stdout.readline().split()[-1]
        aep = Aep(url)
        classes = aep.get("/data/foundation/schemaregistry/global/classes",
                          headers={"Accept": "application/vnd.adobe.xed-id+json"})
        assert {c["title"] for c in classes.json()["results"]} >= {"XDM ExperienceEvent", "XDM Individual Profile"}
        specs = aep.get("/data/foundation/flowservice/connectionSpecs").json()["items"]
        assert any(s["name"] == "Chatlio" for s in specs)
        assert requests.get(f"{url}/_emulator/health").status_code == 200
    finally:
        process.terminate()
        process.wait(10)
