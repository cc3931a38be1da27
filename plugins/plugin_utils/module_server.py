# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One warm process per ansible-playbook run that runs the aep.platform modules' logic for the task workers.

Why: Ansible forks a worker process per task and host. An in-process module (``inprocess.py``) runs its logic
in that fresh fork, where every object it touches is first copied from the parent (copy-on-write page faults)
and nothing stays warm from one task to the next. Measured on the 2-core reference machine (docs/onboarding.md,
"Rollout cost"): a converged task's logic (validation, client, one GET, comparison) costs about 8-10 ms of CPU in
a fresh worker and about 2 ms in a warm process. A rollout runs 7 such tasks per sandbox.

How (the same shape as Ansible's own persistent connections, ``ansible-connection``):

* ``start()`` runs in ansible-playbook's main process when the first aep.platform action plugin is imported
  (``inprocess.preload``), before the strategy forks that task's workers. It binds a Unix socket in a private
  directory (mode 0700, removed at exit) and starts ``python module_server.py`` as a child process that inherits
  the listening socket. The server imports the collection once and serves each connection in a thread; the
  modules' HTTP sessions are kept alive from one task to the next (``SessionPool``).
* A worker's action plugin sends ``{name, args, check_mode, diff}`` (JSON, length-prefixed) and gets the module
  result back: exactly what ``module_logic.run_logic`` returns in the worker (validation, masking, invocation).
* The server ends with its ansible-playbook: the main process stops and waits for it at exit (so its CPU is
  accounted to ansible-playbook, as a worker's is), and the server exits by itself when its parent is gone
  (``kill -9`` of ansible-playbook).

Nothing is written to disk: the arguments, the client secret among them, only cross the socket, which only the
user running ansible-playbook can open. A task whose request cannot be delivered (no server, server gone) runs
its logic in the worker as before; a task whose server stops after the request was delivered fails with a
message saying so (the module may have written; a rerun converges). ``AEP_MODULE_SERVER=0`` turns the server off.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import atexit
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

from ansible.module_utils.parsing.convert_bool import boolean

ENV_SWITCH = 'AEP_MODULE_SERVER'
_HEADER = struct.Struct('!I')  # message length in bytes, then a UTF-8 JSON document
_ACK = b'+'  # the server's first byte: it has the request and runs it; a worker that gets none runs the logic itself
_MAX_SOCKET_PATH = 104  # bytes: sockaddr_un holds 108 on Linux, 104 on macOS/BSD, with the trailing NUL
ACK_TIMEOUT = 60.0  # seconds a worker waits for the server to take its request (a busy 2-core machine: well under 1 s)
_STATE = {}  # in the main process and its forked workers: 'path' of the socket, 'process', 'directory'


class Undelivered(Exception):
    """The request never reached a server: the caller runs the logic itself."""


class ServerLost(Exception):
    """The server stopped after it received the request: the module may have written."""


def enabled():
    """False when ``AEP_MODULE_SERVER`` is set to a false value (``0``, ``false``, ``no``, ``off``), or when
    ``AEP_IN_PROCESS`` is (the modules then run as their own processes: no task would use the server)."""
    return all(boolean(os.environ.get(name, 'true') or 'false', strict=False) for name in (ENV_SWITCH, 'AEP_IN_PROCESS'))


def _in_playbook_main_process():
    """True in the main process of an Ansible command line (ansible-playbook, ansible), not in its forked
    workers nor in a Python process that merely imports the action plugins (tests, ansible-doc)."""
    import multiprocessing
    if multiprocessing.current_process().name != 'MainProcess':
        return False
    return any(name in sys.modules for name in ('ansible.cli.playbook', 'ansible.cli.adhoc'))


def socket_path():
    """The server's socket path in this process (inherited by the workers), or None."""
    return _STATE.get('path')


def start():
    """Start the server for this ansible-playbook run, once, in its main process. Never raises: without a
    server, tasks run their logic in their worker."""
    if _STATE or not enabled() or not hasattr(socket, 'AF_UNIX') or not _in_playbook_main_process():
        return
    _STATE['tried'] = True
    directory = None
    listener = None
    try:
        directory = _private_directory()
        path = os.path.join(directory, 's')
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(128)
        root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..'))  # above ansible_collections
        process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), '--serve', str(listener.fileno()), root, str(os.getpid())],
            pass_fds=(listener.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
    except Exception:  # pylint: disable=broad-except  # no server: the workers run the logic themselves
        if listener is not None:
            listener.close()
        if directory:
            shutil.rmtree(directory, ignore_errors=True)
        return
    listener.close()  # the server holds its own copy; connections queue in its backlog until it accepts them
    _STATE.update(path=path, process=process, directory=directory, owner=os.getpid())
    atexit.register(stop)


def _private_directory():
    """A new directory only this user can enter (mode 0700), in ``TMPDIR``, or in ``/tmp`` when a socket path in
    ``TMPDIR`` would pass the 107 bytes a Unix socket path may have (a deep ``TMPDIR``: CI, job directories)."""
    directory = tempfile.mkdtemp(prefix='aep-module-server-')
    if len(os.fsencode(os.path.join(directory, 's'))) < _MAX_SOCKET_PATH or not os.path.isdir('/tmp'):
        return directory
    os.rmdir(directory)
    return tempfile.mkdtemp(prefix='aep-module-server-', dir='/tmp')


def stop():
    """Stop the server and wait for it (main process, at exit; a forked worker inherits the exit handler and
    must not run it)."""
    if _STATE.get('owner') != os.getpid():
        return
    process = _STATE.get('process')
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if _STATE.get('directory'):
        shutil.rmtree(_STATE['directory'], ignore_errors=True)
    _STATE.pop('path', None)


# --- the worker's side ------------------------------------------------------------------------------------


def call(name, args, check_mode, diff):
    """The result of module ``name`` run by the server. Raises ``Undelivered`` when no server took the request
    (the caller then runs the logic itself), ``ServerLost`` when the server stopped while running it."""
    path = socket_path()
    if not path or not enabled():
        raise Undelivered('no module server')
    try:
        request = json.dumps(dict(name=name, args=args, check_mode=check_mode, diff=diff)).encode('utf-8')
    except (TypeError, ValueError) as err:  # an argument JSON cannot carry: the worker runs it
        raise Undelivered(str(err))
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        try:
            connection.settimeout(ACK_TIMEOUT)
            connection.connect(path)
            connection.sendall(_HEADER.pack(len(request)) + request)
            acknowledged = connection.recv(1) == _ACK  # the server took the request and runs it now
        except OSError as err:  # refused, reset or timed out before the server took it
            raise Undelivered(str(err))
        if not acknowledged:
            raise Undelivered('the module server closed the connection before taking the request')
        try:
            connection.settimeout(None)  # the module's own HTTP timeouts and retries bound the run
            reply = _receive(connection)
        except OSError as err:
            raise ServerLost(str(err))
    finally:
        connection.close()
    if reply is None:
        raise ServerLost('the module server closed the connection')
    return json.loads(reply.decode('utf-8'))


def _receive(connection):
    header = _read_exactly(connection, _HEADER.size)
    if header is None:
        return None
    return _read_exactly(connection, _HEADER.unpack(header)[0])


def _read_exactly(connection, size):
    chunks = []
    while size:
        chunk = connection.recv(min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b''.join(chunks)


# --- the server's side (python module_server.py --serve FD ROOT PARENT_PID) -------------------------------


def _serve(listener_fd, root, parent_pid):
    sys.path[0] = root  # not this file's directory
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
    _AnsibleCollectionFinder(paths=[root])._install()  # pylint: disable=protected-access
    from ansible_collections.aep.platform.plugins.plugin_utils import module_logic  # not inprocess: no controller plugins
    from ansible_collections.aep.platform.plugins.module_utils import client

    sessions = SessionPool()
    client.SESSION_SOURCE[:] = [sessions.lend]
    listener = socket.socket(fileno=listener_fd)
    directory = os.path.dirname(listener.getsockname())
    threading.Thread(target=_exit_with_parent, args=(parent_pid, directory), daemon=True).start()
    while True:
        connection, dummy = listener.accept()
        threading.Thread(target=_handle, args=(module_logic, sessions, connection), daemon=True).start()


class SessionPool:
    """Kept-alive ``requests`` sessions for the server's request threads: a request's clients borrow sessions
    (``lend``, installed as ``client.SESSION_SOURCE``) and the request gives them back when it ends
    (``return_borrowed``), cookies cleared, so that the next task reuses their open connections (and TLS sessions).
    A session is used by one request thread at a time. One idle for ``max_idle`` seconds or more is closed rather
    than lent: servers close idle connections (the emulator's uvicorn after 5 s), and a request racing that close
    would fail as if the network had dropped it."""

    def __init__(self, max_idle=2.0, clock=time.monotonic):
        self.max_idle = max_idle
        self._clock = clock
        self._free = []  # (session, returned at)
        self._lock = threading.Lock()
        self._borrowed = threading.local()

    def lend(self):
        import requests
        session = None
        stale = []
        with self._lock:
            while self._free and session is None:
                candidate, returned = self._free.pop()
                if self._clock() - returned < self.max_idle:
                    session = candidate
                else:
                    stale.append(candidate)
        for old in stale:
            old.close()
        if session is None:
            session = requests.Session()
        self._borrowed.__dict__.setdefault('sessions', []).append(session)
        return session

    def return_borrowed(self):
        sessions = self._borrowed.__dict__.pop('sessions', [])
        now = self._clock()
        for session in sessions:
            session.cookies.clear()
        with self._lock:
            self._free.extend((session, now) for session in sessions)

    def __len__(self):
        return len(self._free)


def _handle(module_logic, sessions, connection):
    try:
        request = _receive(connection)
        if request is None:
            return
        request = json.loads(request.decode('utf-8'))
        connection.sendall(_ACK)  # fails when the worker gave up waiting: then it runs the logic itself, not us
        try:
            result = module_logic.run_logic(request['name'], request['args'], request['check_mode'], request['diff'])
        except Exception as err:  # pylint: disable=broad-except  # run_logic reports the logic's own errors
            result = dict(failed=True, msg='aep.platform module server: unexpected %s while running %s'
                          % (type(err).__name__, request.get('name')))
        finally:
            sessions.return_borrowed()
        reply = json.dumps(result, default=str).encode('utf-8')
        connection.sendall(_HEADER.pack(len(reply)) + reply)
    except Exception:  # pylint: disable=broad-except  # the worker sees the closed connection
        pass
    finally:
        connection.close()


def _exit_with_parent(parent_pid, directory):
    """Exit when ansible-playbook is gone without stopping us (``kill -9``): its exit handler removes the socket's
    directory otherwise."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent_pid:
            shutil.rmtree(directory, ignore_errors=True)
            os._exit(0)


if __name__ == '__main__' and len(sys.argv) == 5 and sys.argv[1] == '--serve':
    _serve(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
