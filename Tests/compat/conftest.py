"""Fixtures for the MLflow-client compatibility suite.

The server under test is chosen by COMPAT_SERVER:
  mixbit (default)  $MIXBIT_BIN serve ...   (the implementation we ship)
  mlflow            mlflow server ...       (the reference, used to validate the tests themselves)

Everything runs against one server process per session; each test makes its own
uniquely named experiments so tests stay independent of each other and of order.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

# Fail fast: the client retries 5xx for minutes by default (MLFLOW_API.md §1.6), which would turn a
# single server bug into a hung suite. Set before mlflow is imported anywhere.
os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] = "60"
# No outbound telemetry requests from the client (the test machine may not reach the internet).
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["DO_NOT_TRACK"] = "true"

import mlflow  # noqa: E402
import pytest  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_KIND = os.environ.get("COMPAT_SERVER", "mixbit")
STARTUP_TIMEOUT_S = float(os.environ.get("COMPAT_STARTUP_TIMEOUT", "90"))
STOP_TIMEOUT_S = 15.0
_SESSION_INFO = []  # printed in the terminal summary: which server and which database were tested


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _psql(url: str, sql: str) -> bool:
    psql = shutil.which("psql")
    if psql is None:
        return False
    r = subprocess.run([psql, url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], capture_output=True, text=True)
    return r.returncode == 0


def _with_database(url: str, dbname: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + dbname))


class _Backend:
    """The --backend-store-uri for mixbit; a throwaway PostgreSQL database when asked for one."""

    def __init__(self, tmp: Path):
        self.uri = os.environ.get("COMPAT_BACKEND", f"sqlite:///{tmp}/mixbit.db")
        self._drop = None
        if self.uri == "postgres":
            base = os.environ.get("MIXBIT_TEST_POSTGRES_URL")
            if not base:
                pytest.exit("COMPAT_BACKEND=postgres needs MIXBIT_TEST_POSTGRES_URL", returncode=2)
            # A fresh database per session keeps runs from earlier sessions out of the searches.
            # Falls back to the given database when this role may not create databases.
            name = "mixbit_compat_" + uuid.uuid4().hex[:12]
            if _psql(base, f'CREATE DATABASE "{name}"'):
                self.uri = _with_database(base, name)
                self._drop = (base, name)
            else:
                self.uri = base

    def close(self):
        if self._drop:
            base, name = self._drop
            _psql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _redact(url: str) -> str:
    password = urllib.parse.urlsplit(url).password
    return url.replace(":" + password + "@", ":***@", 1) if password else url


def pytest_terminal_summary(terminalreporter):
    for line in _SESSION_INFO:
        terminalreporter.write_line(line)


def _server_command(kind: str, port: int, tmp: Path, backend_uri: str) -> list:
    artifacts = str(tmp / "artifacts")
    if kind == "mlflow":
        # The mlflow console script lives beside the interpreter running the tests (.venv-compat).
        mlflow_bin = str(Path(sys.executable).with_name("mlflow"))
        return [mlflow_bin, "server", "--host", "127.0.0.1", "--port", str(port),
                "--backend-store-uri", f"sqlite:///{tmp}/mlflow.db",
                "--artifacts-destination", artifacts, "--workers", "1"]
    if kind == "mixbit":
        binary = os.environ.get("MIXBIT_BIN", str(REPO_ROOT / ".build" / "debug" / "mixbit"))
        if not os.access(binary, os.X_OK):
            pytest.exit(f"mixbit binary not found at {binary} (set MIXBIT_BIN or build it)", returncode=2)
        return [binary, "serve", "--host", "127.0.0.1", "--port", str(port),
                "--backend-store-uri", backend_uri, "--artifacts-destination", artifacts, "--no-access-log"]
    pytest.exit(f"unknown COMPAT_SERVER={kind!r} (expected mixbit or mlflow)", returncode=2)


def _stop(proc: subprocess.Popen):
    if proc.poll() is not None:
        return
    # The server runs in its own process group: mlflow's uvicorn/gunicorn workers go down with it.
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    else:
        # Leftover workers of an exited parent still belong to the group.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _log_tail(path: Path, n: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return "(no server log)"


class ServerProcess:
    """One server process on a free port over a given directory (database, artifacts, server.log).

    start() can be called again after stop() or kill(): same database and artifacts, new port.
    """

    def __init__(self, kind: str, tmp: Path, backend_uri: str):
        self.kind, self.tmp, self.backend_uri = kind, tmp, backend_uri
        self.proc = None
        self.uri = None
        self._log = None
        self.log_path = tmp / "server.log"

    def start(self) -> str:
        port = _free_port()
        self.cmd = _server_command(self.kind, port, self.tmp, self.backend_uri)
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True, cwd=self.tmp)
        self.uri = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited with {self.proc.returncode} during start-up:\n"
                                   f"{' '.join(self.cmd)}\n{_log_tail(self.log_path)}")
            try:
                with urllib.request.urlopen(self.uri + "/health", timeout=2) as r:
                    if r.status == 200:
                        return self.uri
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.kind} server did not answer /health within "
                                   f"{STARTUP_TIMEOUT_S:.0f}s:\n{_log_tail(self.log_path)}")
            time.sleep(0.1)

    def stop(self):
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None
        if self._log:
            self._log.close()
            self._log = None

    def kill(self):
        """SIGKILL, no chance to flush: what was acknowledged must already be durable."""
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self.stop()


def _cleanup_dir(tmp: Path):
    if os.environ.get("COMPAT_KEEP_TMP"):
        print(f"\ncompat: kept {tmp}", file=sys.stderr)
    else:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session", params=[SERVER_KIND])
def server(request):
    """Starts the server under test; yields its tracking URI ("http://127.0.0.1:PORT")."""
    kind = request.param
    tmp = Path(tempfile.mkdtemp(prefix=f"compat-{kind}-"))
    backend = _Backend(tmp) if kind == "mixbit" else None
    srv = ServerProcess(kind, tmp, backend.uri if backend else "")
    db = backend.uri if backend else f"sqlite:///{tmp}/mlflow.db"
    try:
        try:
            uri = srv.start()
        except RuntimeError as e:
            pytest.exit(str(e), returncode=3)
        _SESSION_INFO.append(f"compat: server={kind} ({srv.cmd[0]}) backend={_redact(db)}")
        mlflow.set_tracking_uri(uri)
        os.environ["MLFLOW_TRACKING_URI"] = uri
        yield uri
    finally:
        srv.stop()
        if backend:
            backend.close()
        _cleanup_dir(tmp)


@pytest.fixture
def private_server(server):
    """A second server of the same kind on its own fresh database, for tests that stop or kill it.

    Yields the ServerProcess, already started.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f"compat-{SERVER_KIND}-private-"))
    backend = _Backend(tmp) if SERVER_KIND == "mixbit" else None
    srv = ServerProcess(SERVER_KIND, tmp, backend.uri if backend else "")
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()
        if backend:
            backend.close()
        _cleanup_dir(tmp)


@pytest.fixture(scope="session")
def server_kind(server):
    return SERVER_KIND


@pytest.fixture
def client(server):
    return MlflowClient(tracking_uri=server)


@pytest.fixture
def exp_name():
    return f"compat-{uuid.uuid4().hex}"


@pytest.fixture
def exp_id(client, exp_name):
    """A fresh, empty experiment for this test."""
    return client.create_experiment(exp_name)


@pytest.fixture(autouse=True)
def _no_leaked_runs(request):
    """A failed test must not leave an active fluent run that the next test would nest under."""
    yield
    if "server" in request.fixturenames:
        while mlflow.active_run() is not None:
            mlflow.end_run()
