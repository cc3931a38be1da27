"""The play's module server (plugins/plugin_utils/module_server.py): same results as the worker, clean lifecycle.

The server is a real process on a real Unix socket here; the AEP side is a tiny HTTP server on 127.0.0.1 (the
server process cannot see ``responses`` mocks)."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.aep.platform.plugins.plugin_utils import inprocess, module_server

SECRET = 'm0dule-server-s3cret'


class FakeAep(BaseHTTPRequestHandler):
    """IMS token endpoint and the sandbox listing, enough for ``sandbox_info`` (HTTP/1.1: keep-alive)."""

    protocol_version = 'HTTP/1.1'
    connections = set()  # the client (host, port) of every connection opened to the fake

    def setup(self):
        super().setup()
        FakeAep.connections.add(self.client_address)

    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get('content-length') or 0))
        self._json({'access_token': 'fake-at-1', 'token_type': 'bearer', 'expires_in': 86399})

    def do_GET(self):  # noqa: N802
        self._json({'sandboxes': [{'name': 'prod', 'title': 'Prod', 'type': 'production', 'state': 'active'}]})

    def _json(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header('content-type', 'application/json')
        self.send_header('content-length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_aep():
    FakeAep.connections.clear()
    server = ThreadingHTTPServer(('127.0.0.1', 0), FakeAep)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = 'http://127.0.0.1:%d' % server.server_address[1]
    yield dict(client_id='cid', client_secret=SECRET, org_id='ORG@AdobeOrg', platform_url=url, ims_url=url, sandbox='prod')
    server.shutdown()


@pytest.fixture
def started(monkeypatch):
    """A module server started as ansible-playbook's main process starts it; stopped afterwards."""
    monkeypatch.setitem(sys.modules, 'ansible.cli.playbook', type(sys)('ansible.cli.playbook'))
    monkeypatch.delenv(module_server.ENV_SWITCH, raising=False)
    module_server._STATE.clear()
    module_server.start()
    assert module_server.socket_path(), 'the server did not start'
    yield module_server._STATE
    module_server.stop()
    module_server._STATE.clear()


def _alive(pid):
    """Running (a zombie left for a reaper that is not ours counts as gone)."""
    try:
        with open('/proc/%d/stat' % pid) as stat:
            return stat.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


def test_not_started_outside_an_ansible_command_line(monkeypatch):
    monkeypatch.delitem(sys.modules, 'ansible.cli.playbook', raising=False)
    monkeypatch.delitem(sys.modules, 'ansible.cli.adhoc', raising=False)
    module_server._STATE.clear()
    module_server.start()
    assert module_server.socket_path() is None
    with pytest.raises(module_server.Undelivered):
        module_server.call('sandbox_info', {}, False, False)
    module_server._STATE.clear()


@pytest.mark.parametrize('variable', [module_server.ENV_SWITCH, 'AEP_IN_PROCESS'])
def test_switched_off_by_the_environment(monkeypatch, variable):
    monkeypatch.setitem(sys.modules, 'ansible.cli.playbook', type(sys)('ansible.cli.playbook'))
    monkeypatch.setenv(variable, '0')
    module_server._STATE.clear()
    module_server.start()
    assert module_server.socket_path() is None
    module_server._STATE.clear()


def test_same_result_as_the_worker_and_secrets_masked(started, fake_aep):
    served, where = inprocess.run_logic_served('sandbox_info', dict(fake_aep), False, False)
    assert where == started['path']
    local = inprocess.run_logic('sandbox_info', dict(fake_aep), False, False)
    assert served == json.loads(json.dumps(local))
    assert served['sandboxes'][0]['name'] == 'prod'
    assert served['invocation']['module_args']['client_secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert SECRET not in json.dumps(served)


def test_invalid_arguments_fail_the_same_way(started, fake_aep):
    served, where = inprocess.run_logic_served('sandbox_info', dict(fake_aep, bogus_option=1), False, False)
    assert where == started['path']
    assert served['failed'] is True and 'bogus_option' in served['msg']
    assert served == json.loads(json.dumps(inprocess.run_logic('sandbox_info', dict(fake_aep, bogus_option=1), False, False)))


def test_concurrent_requests_each_get_their_own_result(started, fake_aep):
    results = {}

    def one(index):
        results[index] = inprocess.run_logic_served('sandbox_info', dict(fake_aep, name='sb%d' % index), False, False)

    threads = [threading.Thread(target=one, args=(index,)) for index in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == list(range(12))
    for index, (result, where) in results.items():
        assert where == started['path']
        assert result['invocation']['module_args']['name'] == 'sb%d' % index


def test_arguments_json_cannot_carry_run_in_the_worker(started, fake_aep):
    with pytest.raises(module_server.Undelivered):
        module_server.call('sandbox_info', dict(fake_aep, name=b'bytes'), False, False)


def _fake_server(tmp_path, monkeypatch, behaviour):
    path = str(tmp_path / 's')
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(4)

    def serve():
        connection, dummy = listener.accept()
        module_server._receive(connection)
        behaviour(connection)
        connection.close()
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    monkeypatch.setitem(module_server._STATE, 'path', path)


def test_a_server_that_never_takes_the_request_leaves_it_to_the_worker(tmp_path, monkeypatch):
    _fake_server(tmp_path, monkeypatch, lambda connection: None)  # closes without the acknowledgement
    with pytest.raises(module_server.Undelivered):
        module_server.call('sandbox_info', {}, False, False)


def test_a_server_lost_after_taking_the_request_is_reported_not_rerun(tmp_path, monkeypatch):
    _fake_server(tmp_path, monkeypatch, lambda connection: connection.sendall(module_server._ACK))
    result, where = inprocess.run_logic_served('sandbox_info', {}, False, False)
    assert where is None
    assert result['failed'] is True
    assert 'module server stopped while it ran this task' in result['msg'] and 'AEP_MODULE_SERVER=0' in result['msg']


def test_a_forked_worker_exiting_does_not_stop_the_server(started, fake_aep):
    pid = os.fork()
    if pid == 0:  # what an Ansible worker inherits: the exit handler must not stop the play's server
        module_server.stop()
        os._exit(0)
    os.waitpid(pid, 0)
    assert started['process'].poll() is None
    assert os.path.exists(started['path'])
    assert inprocess.run_logic_served('sandbox_info', dict(fake_aep), False, False)[1] == started['path']


def test_stop_ends_the_server_and_removes_its_socket(started):
    process, directory = started['process'], started['directory']
    module_server.stop()
    assert process.poll() is not None
    assert not os.path.exists(directory)
    assert module_server.socket_path() is None


def test_the_server_exits_when_ansible_playbook_is_killed(tmp_path):
    """``kill -9`` of ansible-playbook: no exit handler runs; the server notices and removes its socket."""
    script = tmp_path / 'main.py'
    script.write_text(
        'import os, sys, signal\n'
        'sys.modules["ansible.cli.playbook"] = type(sys)("ansible.cli.playbook")\n'
        'from ansible_collections.aep.platform.plugins.plugin_utils import module_server\n'
        'module_server.start()\n'
        'print(module_server._STATE["process"].pid, module_server._STATE["directory"], flush=True)\n'
        'os.kill(os.getpid(), signal.SIGKILL)\n')
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    env.pop(module_server.ENV_SWITCH, None)
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert run.returncode == -signal.SIGKILL
    pid, directory = run.stdout.split()
    deadline = time.time() + 20
    while (_alive(int(pid)) or os.path.exists(directory)) and time.time() < deadline:
        time.sleep(0.1)
    assert not _alive(int(pid)), 'the module server outlived ansible-playbook'
    assert not os.path.exists(directory)


def test_tasks_reuse_kept_alive_connections(started, fake_aep):
    for dummy in range(5):
        result, where = inprocess.run_logic_served('sandbox_info', dict(fake_aep), False, False)
        assert where == started['path'] and result['sandboxes'][0]['name'] == 'prod'
    assert len(FakeAep.connections) == 1, FakeAep.connections  # one connection for the token and the 5 listings


def test_session_pool_lends_returned_sessions_and_drops_idle_ones():
    now = [100.0]
    pool = module_server.SessionPool(max_idle=2.0, clock=lambda: now[0])
    first = pool.lend()
    first.cookies.set('leftover', '1')
    pool.return_borrowed()
    assert len(pool) == 1 and len(first.cookies) == 0
    now[0] += 1.0
    assert pool.lend() is first  # returned 1 s ago: reused
    pool.return_borrowed()
    now[0] += 5.0
    assert pool.lend() is not first  # idle 5 s: a server may have closed its connections
    pool.return_borrowed()
    assert len(pool) == 1


def test_session_pool_lends_a_session_to_one_thread_at_a_time():
    pool = module_server.SessionPool()
    lent = {}

    def borrow(index):
        lent[index] = pool.lend()

    threads = [threading.Thread(target=borrow, args=(index,)) for index in range(2)]
    main_session = pool.lend()
    for thread in threads:
        thread.start()
        thread.join()
    assert len({id(main_session), id(lent[0]), id(lent[1])}) == 3


def test_a_deep_tmpdir_puts_the_socket_under_tmp(tmp_path, monkeypatch):
    deep = tmp_path / ('d' * 60) / ('e' * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, 'tempdir', str(deep))
    directory = module_server._private_directory()
    try:
        assert directory.startswith('/tmp/aep-module-server-')
        assert len(os.path.join(directory, 's')) < module_server._MAX_SOCKET_PATH
        assert os.stat(directory).st_mode & 0o777 == 0o700
        assert list(deep.iterdir()) == []
    finally:
        os.rmdir(directory)
    short = tempfile.mkdtemp(prefix='ms', dir='/tmp')
    monkeypatch.setattr(tempfile, 'tempdir', short)
    directory = module_server._private_directory()
    assert os.path.dirname(directory) == short  # a TMPDIR that fits is used as it is
    os.rmdir(directory)
    os.rmdir(short)
