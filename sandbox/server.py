"""Serve the sandbox EHR with several processes (gunicorn), for `make run` and the benchmarks.

Werkzeug's threaded server runs every request in one Python process, so the sandbox could use one
core however many clients it had; under a sync of 1,000 encounters it was the bottleneck (issue 19).
Here the app is built once in gunicorn's master (schema, seed data, search index, signing key), then
`processes` workers are forked from it, each with a few threads. They share the SQLite store safely:
every request opens its own connection, the file is in WAL mode (readers never wait for the writer),
writes that must check-then-insert take `BEGIN IMMEDIATE`, and `busy_timeout` makes a writer wait its
turn rather than fail. Service clients registered at run time are kept in the database for every
process (service_access.py).

Fault injection (`/_admin/faults`) and the launch-context switches (`/_admin/oauth/context`) live in
each process's memory, so with several processes they answer 409: the tests that use them run the
sandbox with one process (the default of `python -m sandbox`).
"""

from __future__ import annotations

import gc
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

THREADS = 4   # per process: requests wait on the network and SQLite, not only on the CPU


class SandboxServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Flask, host: str, port: int, processes: int) -> None:
        self.application = app
        self.options = {"bind": f"{host}:{port}", "workers": processes, "threads": THREADS,
                        "worker_class": "gthread", "keepalive": 30, "accesslog": None,
                        "timeout": 120, "graceful_timeout": 5,
                        "control_socket_disable": True}   # one fixed path per user: parallel sandboxes collide
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def serve(app: Flask, host: str, port: int, processes: int) -> None:
    """Run `app` on host:port in `processes` forked worker processes until SIGTERM/SIGINT."""
    # What the master built (modules, app, seed) is shared by every fork: frozen, the collector never
    # walks it again in the workers (and never touches those pages, which copy-on-write would copy).
    gc.collect()
    gc.freeze()
    SandboxServer(app, host, port, processes).run()
