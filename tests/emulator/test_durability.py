"""Durable state: clean restart and kill -9 during a stream of inlet posts."""

import threading
import time

import requests

from emulator_support import CHATLIO_PAYLOAD, FS, Aep, create_chatlio_flow


def test_state_survives_restart(start_emulator, tmp_path):
    first = start_emulator(data_dir=tmp_path)
    aep = Aep(first.url)
    scenario = create_chatlio_flow(aep, "dev")
    assert requests.post(scenario["inlet_url"], json=CHATLIO_PAYLOAD).status_code == 200
    aep.hook("POST", "/sandboxes", json={"name": "added"})
    assert first.stop() == 0

    second = start_emulator(data_dir=tmp_path)
    aep.url = second.url  # same token: tokens are durable too
    flow = aep.get(f"{FS}/flows/{scenario['flow_id']}", sandbox="dev").json()["items"][0]
    assert flow["etag"] == scenario["flow"]["etag"]
    assert aep.get(f"/data/foundation/catalog/dataSets/{scenario['dataset_id']}", sandbox="dev").status_code == 200
    assert aep.get(f"{FS}/flows", sandbox="added").status_code == 200
    runs = aep.get(f"{FS}/runs?property=flowId=={scenario['flow_id']}", sandbox="dev").json()["items"]
    assert runs[0]["metrics"]["recordSummary"]["inputRecordCount"] == 1
    # The inlet keeps working after the restart (its URL carries the old port, so use the new origin).
    inlet_path = scenario["inlet_url"].split("/collection/")[1]
    assert requests.post(f"{second.url}/collection/{inlet_path}", json=CHATLIO_PAYLOAD).status_code == 200
    records = aep.hook("GET", f"/datasets/{scenario['dataset_id']}/records", params={"sandbox": "dev"})
    assert len(records.json()["records"]) == 2


def test_kill_9_loses_no_acknowledged_event(start_emulator, tmp_path):
    first = start_emulator(data_dir=tmp_path)
    aep = Aep(first.url)
    scenario = create_chatlio_flow(aep)
    inlet = scenario["inlet_url"]
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def stream(worker: int) -> None:
        session = requests.Session()
        sequence = 0
        while not stop.is_set():
            marker = f"{worker}-{sequence}"
            sequence += 1
            try:
                response = session.post(inlet, json={**CHATLIO_PAYLOAD, "message": marker}, timeout=5)
            except requests.RequestException:
                return
            if response.status_code == 200:
                with lock:
                    acknowledged.append(marker)

    threads = [threading.Thread(target=stream, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    first.kill9()
    stop.set()
    for thread in threads:
        thread.join()
    assert len(acknowledged) > 50

    second = start_emulator(data_dir=tmp_path)
    aep.url = second.url
    stored = aep.hook("GET", f"/datasets/{scenario['dataset_id']}/records").json()["records"]
    stored_markers = {record["_emulated"]["message"] for record in stored}
    missing = set(acknowledged) - stored_markers
    assert not missing, f"{len(missing)} acknowledged events lost"
    run = aep.get(f"{FS}/runs?property=flowId=={scenario['flow_id']}").json()["items"][0]
    assert run["metrics"]["recordSummary"]["outputRecordCount"] == len(stored) >= len(acknowledged)


def test_tokens_are_stored_as_hashes(start_emulator, tmp_path):
    """The data directory never holds an issued token, only its SHA-256; a 0.1 data dir (plain tokens) is
    re-keyed at start and its tokens stay valid."""
    import hashlib
    import sqlite3

    first = start_emulator(data_dir=tmp_path)
    aep = Aep(first.url)
    token = aep.token
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert first.stop() == 0
    database = tmp_path / "aep-emulator.sqlite3"
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert token.encode() not in raw and token.split("emu-at-")[1].encode() not in raw
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT id FROM docs WHERE kind = '_tokens'").fetchall() == [(digest,)]
        conn.execute("UPDATE docs SET id = ? WHERE kind = '_tokens'", (token,))  # as version 0.1 stored it

    second = start_emulator(data_dir=tmp_path)
    aep.url = second.url
    assert aep.get(f"{FS}/flows").status_code == 200
    assert second.stop() == 0
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT id FROM docs WHERE kind = '_tokens'").fetchall() == [(digest,)]
