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


@pytest.fixture(scope="session", params=[SERVER_KIND])
def server(request):
    """Starts the server under test; yields its tracking URI ("http://127.0.0.1:PORT")."""
    kind = request.param
    tmp = Path(tempfile.mkdtemp(prefix=f"compat-{kind}-"))
    backend = _Backend(tmp) if kind == "mixbit" else None
    port = _free_port()
    cmd = _server_command(kind, port, tmp, backend.uri if backend else "")
    log_path = tmp / "server.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, cwd=tmp)
    uri = f"http://127.0.0.1:{port}"
    db = backend.uri if backend else f"sqlite:///{tmp}/mlflow.db"
    _SESSION_INFO.append(f"compat: server={kind} ({cmd[0]}) backend={_redact(db)}")
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.exit(f"{kind} server exited with {proc.returncode} during start-up:\n"
                            f"{' '.join(cmd)}\n{_log_tail(log_path)}", returncode=3)
            try:
                with urllib.request.urlopen(uri + "/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.exit(f"{kind} server did not answer /health within {STARTUP_TIMEOUT_S:.0f}s:\n"
                            f"{_log_tail(log_path)}", returncode=3)
            time.sleep(0.1)
        mlflow.set_tracking_uri(uri)
        os.environ["MLFLOW_TRACKING_URI"] = uri
        yield uri
    finally:
        _stop(proc)
        log.close()
        if backend:
            backend.close()
        if os.environ.get("COMPAT_KEEP_TMP"):
            print(f"\ncompat: kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


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
