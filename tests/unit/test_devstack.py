"""devstack/processes.py: ports, HTTP waits, process groups and a real redis-server, left with no orphans."""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

import pytest
import redis

from devstack.processes import (
    Stack,
    StackError,
    free_port,
    port_in_use,
    redis_server_binary,
    spawn,
    start_redis,
    wait_http,
)


def _gone(pid: int, timeout: float = 5.0) -> bool:
    """The process no longer runs (a zombie waiting for init to reap it counts as gone)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (ProcessLookupError, FileNotFoundError):
            return True
        if state in {"Z", "X"}:
            return True
        time.sleep(0.05)
    return False


def test_free_port_is_free() -> None:
    port = free_port()
    assert 1024 < port < 65536
    assert not port_in_use(port)


def test_a_stacks_vendor_ports_stay_reserved_until_their_sandbox_starts(tmp_path: Path) -> None:
    """A vendor sandbox starts late in a long session: until then nobody else may be handed its port
    (the sandbox once found it taken by another server started in between)."""
    stack = Stack(instance_dir=tmp_path)
    try:
        reserved = set(stack.vendor_ports.values())
        assert not reserved & {free_port() for _ in range(3000)}
        port = stack.release_vendor_port("epic")
        with socket.socket() as server:   # the sandbox takes it, stops, and the stack holds it again
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", port))
            server.listen()
        stack.hold_vendor_port("epic")
        assert port not in {free_port() for _ in range(3000)}
    finally:
        stack.stop()
    with socket.socket() as anyone:   # a stopped stack lets go of them
        anyone.bind(("127.0.0.1", port))


def test_wait_http_names_the_url_when_nothing_answers() -> None:
    url = f"http://127.0.0.1:{free_port()}/healthz"
    with pytest.raises(StackError, match="healthz"):
        wait_http(url, timeout=0.3)


def test_start_redis_pings_and_stops_without_leftovers(tmp_path: Path) -> None:
    try:
        redis_server_binary()
    except StackError as exc:
        pytest.skip(str(exc))
    port = free_port()
    proc = start_redis(tmp_path / "redis", port, log_dir=tmp_path)
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        assert client.ping()
        client.set("k", "v")
        assert client.get("k") == b"v"
        client.close()
        assert proc.log_path == tmp_path / "redis.log"
    finally:
        proc.stop(grace=5)
    assert not proc.alive()
    assert _gone(proc.pid)
    assert not port_in_use(port)
    assert list((tmp_path / "redis").glob("*.rdb")) == []  # --save "" : nothing persisted


def test_start_redis_fails_clearly_when_the_port_is_taken(tmp_path: Path) -> None:
    try:
        redis_server_binary()
    except StackError as exc:
        pytest.skip(str(exc))
    port = free_port()
    first = start_redis(tmp_path / "a", port, log_dir=tmp_path / "a")
    try:
        with pytest.raises(StackError, match="redis"):
            start_redis(tmp_path / "b", port, log_dir=tmp_path / "b", timeout=5)
    finally:
        first.stop(grace=5)
    assert _gone(first.pid)


def test_stop_kills_the_whole_process_group(tmp_path: Path) -> None:
    """A child that ignores SIGTERM and a grandchild both die: no orphans outlive stop()."""
    script = (
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = spawn("stubborn", [sys.executable, "-c", script], tmp_path)
    deadline = time.monotonic() + 10
    while not proc.tail().strip() and time.monotonic() < deadline:
        time.sleep(0.05)
    grandchild = int(proc.tail().strip())
    started = time.monotonic()
    proc.stop(grace=0.5)
    assert time.monotonic() - started < 5
    assert not proc.alive()
    assert _gone(proc.pid)
    assert _gone(grandchild)
