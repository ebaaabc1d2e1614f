"""Start and stop the local RevRX stack: Redis, migrations, sandbox EHR, web app and RQ worker.

Used by ``scripts/run.py`` (``make run``), the benchmarks and the tests' fixtures, so all run the very
same processes the same way::

    from devstack.processes import Stack

    with Stack(instance_dir=tmp_path) as stack:      # free ports, own Redis, SQLite under tmp_path
        requests.get(stack.sandbox_url + "/")

Every child runs in its own process group (``start_new_session``), writes stdout and stderr to
``<log_dir>/<name>.log`` and is stopped with SIGTERM, then SIGKILL for the whole group after a grace
period, so a worker's forked work-horse or a gunicorn's workers never outlive the stack.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from smartapp.security.files import open_private_log

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
DEFAULT_START_TIMEOUT = float(os.environ.get("DEVSTACK_START_TIMEOUT", "60"))
# Rate limits for the test suite and the benchmarks, set explicitly: far above what they send from one
# address (the product's defaults, sized for a clinic, would throttle a suite that launches all day).
GENEROUS_RATE_LIMITS = {f"RATE_LIMIT_{name}": "100000 per minute"
                        for name in ("LAUNCH", "CALLBACK", "LOGIN", "API", "UPLOAD")}


class StackError(RuntimeError):
    """A process did not start or died; the message says which and shows its last log lines."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def hold_port(port: int = 0) -> socket.socket:
    """A socket bound (not listening) to ``port`` on 127.0.0.1 (0: a free one), keeping it reserved:
    while it is open, no one's ``free_port()`` (nor the kernel's choice of a client's port) returns it.
    SO_REUSEADDR lets it be bound again right after a server that used the port stopped."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        raise
    return sock


def wait_port_free(port: int, timeout: float = 10.0) -> bool:
    """Whether nothing accepts connections on ``port`` within ``timeout`` seconds (a server stopped just
    before may take a moment to let go of it)."""
    deadline = time.monotonic() + timeout
    while port_in_use(port):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def port_in_use(port: int, host: str = HOST) -> bool:
    """True when something already accepts connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def tail(path: Path, lines: int = 30) -> str:
    """The last lines of a log file ('' when it does not exist)."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 64 * 1024))
            text = fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class ManagedProcess:
    """A child process we started, with its log file; ``stop()`` ends it and its children."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def tail(self, lines: int = 30) -> str:
        return tail(self.log_path, lines)

    def failure(self, what: str) -> StackError:
        """A StackError naming this process, its exit code and its last log lines."""
        code = self.returncode
        if code is None:
            state = "is still running"
        elif code < 0:
            state = f"was killed by {signal.Signals(-code).name}"
        else:
            state = f"exited with code {code}"
        log = self.tail() or "(empty)"
        indented = "\n".join("    " + line for line in log.splitlines())
        return StackError(f"{self.name}: {what} ({state}). Log {self.log_path}, last lines:\n{indented}")

    def _group_alive(self) -> bool:
        try:
            os.killpg(self.popen.pid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    def _signal_group(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, sig)

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the process, wait up to ``grace`` seconds, then SIGKILL whatever is left of its group.

        SIGTERM goes to the leader first so it can shut down its own way (an RQ worker finishes its
        current job); stragglers in the group get SIGTERM, then SIGKILL. Safe to call twice.
        """
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)  # the leader and every child, at once
                self.popen.wait(timeout=5)
                return
        if self._group_alive():  # the leader exited but children linger: same treatment, shorter
            self._signal_group(signal.SIGTERM)
            deadline = time.monotonic() + min(grace, 3.0)
            while self._group_alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            self._signal_group(signal.SIGKILL)


def spawn(
    name: str,
    argv: Sequence[str],
    log_dir: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
) -> ManagedProcess:
    """Start ``argv`` in a new process group with stdout and stderr to ``log_dir/<name>.log``."""
    log_path = log_dir / f"{name}.log"
    # Logs may name ids and errors: 0600 in a 0700 folder, like the rest of instance/.
    with os.fdopen(open_private_log(log_path), "wb") as log:  # the child keeps its own copy of the descriptor
        try:
            popen = subprocess.Popen(  # noqa: S603 - argv is built here, never from user input
                list(argv),
                cwd=cwd,
                env=dict(env) if env is not None else None,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            raise StackError(f"{name}: cannot start {argv[0]}: {exc}") from exc
    return ManagedProcess(name=name, popen=popen, log_path=log_path)


def wait_http(
    url: str, timeout: float = DEFAULT_START_TIMEOUT, process: ManagedProcess | None = None
) -> None:
    """Wait until ``GET url`` answers 2xx; raise StackError after ``timeout`` seconds.

    With ``process``, fail at once (with its log) if it exits while we wait.
    """
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while True:
        if process is not None and not process.alive():
            raise process.failure(f"exited while waiting for {url}")
        try:
            with urllib.request.urlopen(url, timeout=2.0) as resp:  # noqa: S310 - http://127.0.0.1 only
                if 200 <= resp.status < 300:
                    return
                last = f"HTTP {resp.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(getattr(exc, "reason", exc))
        if time.monotonic() >= deadline:
            message = f"{url} did not answer 2xx within {timeout:.0f}s (last: {last})"
            if process is not None:
                raise process.failure(message)
            raise StackError(message)
        time.sleep(0.1)


def _require_free(port: int, name: str) -> None:
    if port_in_use(port):
        raise StackError(f"{name}: port {port} on {HOST} is already in use; stop what listens there")


def redis_server_binary() -> str:
    """Path of redis-server, or a StackError that says how to get it."""
    found = shutil.which("redis-server")
    for candidate in (found, "/usr/bin/redis-server", "/usr/sbin/redis-server"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise StackError("redis-server not found: run `bash scripts/bootstrap.sh` (apt-get install redis-server)")


def start_redis(
    dir: Path,
    port: int,
    log_dir: Path | None = None,
    timeout: float = 15.0,
) -> ManagedProcess:
    """A throwaway redis-server on 127.0.0.1:port, no persistence; returns once it answers."""
    import redis  # the app's own dependency; imported late so this module loads without it

    _require_free(port, "redis")
    dir.mkdir(parents=True, exist_ok=True)
    argv = [
        redis_server_binary(),
        "--port",
        str(port),
        "--bind",
        HOST,
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(dir),
    ]
    proc = spawn("redis", argv, log_dir or dir)
    client = redis.Redis(host=HOST, port=port, socket_connect_timeout=1.0, socket_timeout=1.0)
    deadline = time.monotonic() + timeout
    try:
        while True:
            if not proc.alive():
                raise proc.failure(f"redis-server did not start on port {port}")
            try:
                # The answer must come from our process, not from another server on that port.
                if client.info("server").get("process_id") == proc.pid:
                    return proc
            except redis.RedisError:
                pass
            if time.monotonic() >= deadline:
                raise proc.failure(f"did not answer on port {port} within {timeout:.0f}s")
            time.sleep(0.05)
    except BaseException:
        proc.stop(grace=2.0)
        raise
    finally:
        client.close()


def _python(env: Mapping[str, str]) -> str:
    return env.get("DEVSTACK_PYTHON") or sys.executable


def start_sandbox(
    env: Mapping[str, str],
    port: int,
    log_dir: Path,
    timeout: float = DEFAULT_START_TIMEOUT,
    cwd: Path = ROOT,
    processes: int = 1,
) -> ManagedProcess:
    """The sandbox EHR (``python -m sandbox``); returns once ``GET /_admin/health`` answers.

    ``cwd`` is the checkout it runs from (another clone, for the test that a lonely clone runs).
    ``processes`` > 1 serves it with that many gunicorn processes (sandbox/server.py; no fault switches).
    """
    _require_free(port, "sandbox")
    argv = [_python(env), "-m", "sandbox", "--host", HOST, "--port", str(port)]
    # Always said, so a SANDBOX_PROCESSES in the caller's environment never turns a test's sandbox into
    # one whose fault switches are refused.
    env = {**env, "SANDBOX_PROCESSES": str(processes)}
    proc = spawn("sandbox", argv, log_dir, env, cwd=cwd)
    return _ready_or_stop(proc, f"http://{HOST}:{port}/_admin/health", timeout)


def start_web(
    env: Mapping[str, str], port: int, log_dir: Path, timeout: float = DEFAULT_START_TIMEOUT, cwd: Path = ROOT
) -> ManagedProcess:
    """The RevRX web app on Flask's server; returns once ``GET /healthz`` answers."""
    _require_free(port, "web")
    argv = [
        _python(env),
        "-m",
        "flask",
        "--app",
        "wsgi",
        "run",
        "--host",
        HOST,
        "--port",
        str(port),
        "--no-reload",
    ]
    proc = spawn("web", argv, log_dir, env, cwd=cwd)
    return _ready_or_stop(proc, f"http://{HOST}:{port}/healthz", timeout)


def start_worker(
    env: Mapping[str, str], log_dir: Path, timeout: float = DEFAULT_START_TIMEOUT, cwd: Path = ROOT,
    processes: int = 1,
) -> ManagedProcess:
    """RQ workers (``python -m workers``; ``processes`` > 1: ``--processes N``, N supervised worker
    processes); returns once that many new workers have registered in Redis."""
    import redis
    from rq import Worker

    conn = redis.Redis.from_url(env.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    argv = [_python(env), "-m", "workers", *(["--processes", str(processes)] if processes > 1 else [])]
    try:
        before = Worker.count(connection=conn)
        proc = spawn("worker", argv, log_dir, env, cwd=cwd)
        deadline = time.monotonic() + timeout
        try:
            while Worker.count(connection=conn) < before + processes:
                if not proc.alive():
                    raise proc.failure("exited before registering with Redis")
                if time.monotonic() >= deadline:
                    raise proc.failure(f"did not register with Redis within {timeout:.0f}s")
                time.sleep(0.1)
        except BaseException:
            proc.stop(grace=2.0)
            raise
        return proc
    finally:
        conn.close()


def _ready_or_stop(proc: ManagedProcess, url: str, timeout: float) -> ManagedProcess:
    try:
        wait_http(url, timeout, process=proc)
    except BaseException:
        proc.stop(grace=2.0)
        raise
    return proc


def run_migrations(env: Mapping[str, str], log_dir: Path, timeout: float = 120.0, cwd: Path = ROOT) -> None:
    """``python -m smartapp.migrate`` (Alembic upgrade head); raise StackError with its output on failure."""
    log_path = log_dir / "migrate.log"
    with os.fdopen(open_private_log(log_path), "wb") as log:
        try:
            result = subprocess.run(  # noqa: S603
                [_python(env), "-m", "smartapp.migrate"],
                cwd=cwd,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise StackError(f"migrate: timed out after {timeout:.0f}s; log {log_path}") from exc
    if result.returncode != 0:
        log_text = "\n".join("    " + line for line in tail(log_path).splitlines())
        raise StackError(
            f"migrate: `python -m smartapp.migrate` exited with {result.returncode}; last lines:\n{log_text}"
        )


VENDOR_PROFILES = ("epic", "oracle")   # sandbox/profiles.py, besides generic


@dataclass
class Stack:
    """Redis → migrations → sandbox EHR → web → worker, with one shared environment; stops in reverse.

    Ports left as 0 are picked free. ``redis_url=None`` starts a private redis-server. Data lives in
    ``instance_dir`` (SQLite files, keys) and logs in ``instance_dir/logs`` unless given.
    ``extra_env`` is applied last (e.g. ``{"CODING_ENGINE": "local"}``).
    """

    instance_dir: Path
    web_port: int = 0
    sandbox_port: int = 0
    redis_url: str | None = None
    database_url: str | None = None
    encryption_key: str | None = None
    log_dir: Path | None = None
    extra_env: Mapping[str, str] = field(default_factory=dict)
    base_env: Mapping[str, str] | None = None  # default: os.environ
    with_sandbox: bool = True
    with_web: bool = True
    with_worker: bool = True
    sandbox_processes: int = 1   # > 1: gunicorn (make run, the sync benchmark); tests need 1 (fault switches)
    worker_processes: int = 1    # > 1: `python -m workers --processes N` (make run --workers N)
    root: Path = ROOT   # the checkout every process runs from (another clone: the walkthrough test)
    processes: list[ManagedProcess] = field(default_factory=list, init=False)
    env: dict[str, str] = field(default_factory=dict, init=False)
    # Ports for the vendor-profile sandboxes (launch.json's sandbox-epic / sandbox-oracle): reserved here so
    # the app knows their issuers, started only by the tests that need them (devstack.sandbox_process.
    # start_vendor_sandbox); starting them in every stack cost 13.5 s.
    # They stay held (a bound socket each) while no vendor sandbox runs on them: a port merely noted free
    # at the start was free for anyone else for the rest of a long session, and another server took one.
    vendor_ports: dict[str, int] = field(default_factory=dict, init=False)
    _vendor_holds: dict[str, socket.socket] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.instance_dir = self.instance_dir.resolve()
        self.log_dir = (self.log_dir or self.instance_dir / "logs").resolve()
        self.web_port = self.web_port or free_port()
        self.sandbox_port = self.sandbox_port or free_port()
        self._vendor_holds = {name: hold_port() for name in VENDOR_PROFILES}
        self.vendor_ports = {name: int(sock.getsockname()[1]) for name, sock in self._vendor_holds.items()}

    def release_vendor_port(self, profile: str) -> int:
        """Let go of the port reserved for the `profile` sandbox, to start it there; returns the port."""
        held = self._vendor_holds.pop(profile, None)
        if held is not None:
            held.close()
        return self.vendor_ports[profile]

    def hold_vendor_port(self, profile: str) -> None:
        """Reserve the `profile` sandbox's port again once it stopped (best effort: a lingering
        connection may refuse the bind for a moment; the port is then merely unreserved)."""
        if profile in self._vendor_holds:
            return
        with contextlib.suppress(OSError):
            self._vendor_holds[profile] = hold_port(self.vendor_ports[profile])

    @property
    def app_url(self) -> str:
        return f"http://{HOST}:{self.web_port}"

    @property
    def sandbox_url(self) -> str:
        return f"http://{HOST}:{self.sandbox_port}"

    def build_env(self, redis_url: str) -> dict[str, str]:
        """The environment every child gets (docs/contracts.md)."""
        env = dict(os.environ if self.base_env is None else self.base_env)
        env.update(
            PYTHONUNBUFFERED="1",
            PYTHONPATH=os.pathsep.join(p for p in (str(self.root), env.get("PYTHONPATH", "")) if p),
            REVRX_INSTANCE_DIR=str(self.instance_dir),
            SANDBOX_MODE="1",   # this stack runs the sandbox EHR: its registrations count (smartapp/config.py)
            APP_BASE_URL=self.app_url,
            SANDBOX_BASE_URL=self.sandbox_url,
            SANDBOX_DB=str(self.instance_dir / "sandbox.db"),
            DATABASE_URL=self.database_url or f"sqlite:///{self.instance_dir / 'revrx.db'}",
            REDIS_URL=redis_url,
            # FHIR connections may reach the sandbox EHR on loopback over http, and nothing else there
            # (not Redis, not the app): the operator allow-list of the outbound address policy, kept
            # with any hosts the operator's environment already allows.
            OUTBOUND_ALLOWED_HOSTS=",".join(h for h in (env.get("OUTBOUND_ALLOWED_HOSTS", "").strip(),
                                                        f"{HOST}:{self.sandbox_port}",
                                                        *(f"{HOST}:{p}" for p in self.vendor_ports.values()))
                                            if h),
        )
        for name, port in self.vendor_ports.items():
            env[f"SANDBOX_{name.upper()}_BASE_URL"] = f"http://{HOST}:{port}"
        if self.encryption_key:
            env["REVRX_ENCRYPTION_KEY"] = self.encryption_key
        env.update(self.extra_env)
        return env

    def start(self) -> Stack:
        """Start everything; on any failure stop what was started and raise StackError."""
        assert self.log_dir is not None  # noqa: S101 - set in __post_init__
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        try:
            redis_url = self.redis_url
            if redis_url is None:
                port = free_port()
                self.processes.append(start_redis(self.instance_dir / "redis", port, self.log_dir))
                redis_url = f"redis://{HOST}:{port}/0"
            self.env = self.build_env(redis_url)
            run_migrations(self.env, self.log_dir, cwd=self.root)
            if self.with_sandbox:
                self.processes.append(start_sandbox(self.env, self.sandbox_port, self.log_dir, cwd=self.root,
                                                    processes=self.sandbox_processes))
            if self.with_web:
                self.processes.append(start_web(self.env, self.web_port, self.log_dir, cwd=self.root))
            if self.with_worker:
                self.processes.append(start_worker(self.env, self.log_dir, cwd=self.root,
                                                   processes=self.worker_processes))
        except BaseException:
            self.stop()
            raise
        return self

    def dead(self) -> ManagedProcess | None:
        """The first process that has exited, if any."""
        return next((p for p in self.processes if not p.alive()), None)

    def stop(self, grace: float = 10.0) -> None:
        """Stop every process, newest first, and let go of the reserved ports. Safe to call twice."""
        while self.processes:
            self.processes.pop().stop(grace)
        while self._vendor_holds:
            self._vendor_holds.popitem()[1].close()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
