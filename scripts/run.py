"""Run the whole product on this machine: ``make run`` (or ``.venv/bin/python scripts/run.py``).

Starts a private Redis (or uses REDIS_URL), runs migrations, then the sandbox EHR (2 server processes),
the web app and the RQ workers (``--workers``, default 2: ``python -m workers --processes 2``), with data
in ``instance/``. Ctrl-C or SIGTERM stops everything and exits 0; if a process
dies, its last log lines are shown, the rest is stopped and the exit code is 1.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devstack.processes import Stack, StackError, port_in_use  # noqa: E402
from smartapp.security.files import create_private  # noqa: E402


class Shutdown(Exception):
    """Raised by the SIGINT/SIGTERM handler to unwind into the clean stop."""


_stopping = False


def _on_signal(signum: int, frame: FrameType | None) -> None:
    global _stopping
    if _stopping:  # a second Ctrl-C while stopping: keep stopping, do not leave orphans behind
        return
    _stopping = True
    raise Shutdown(signal.Signals(signum).name)


def encryption_key(instance: Path) -> str:
    """REVRX_ENCRYPTION_KEY, else the key in instance/encryption.key (generated once, mode 600)."""
    from_env = os.environ.get("REVRX_ENCRYPTION_KEY", "").strip()
    if from_env:
        return from_env
    key_file = instance / "encryption.key"
    if not key_file.exists():
        from cryptography.fernet import Fernet

        create_private(key_file, Fernet.generate_key())   # 0600 in a 0700 instance/ from the first byte
        print(f"run: generated a new encryption key in {_rel(key_file)}", flush=True)
    return key_file.read_text().strip()


def warn_if_tracked(path: Path) -> None:
    """Secrets in instance/ must never be committed: say so loudly if git would pick the file up."""
    try:
        result = subprocess.run(  # noqa: S603
            ["git", "check-ignore", "-q", str(path)],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
    except OSError:
        return  # no git: nothing to commit it to
    if result.returncode == 1:
        print(f"run: WARNING: {_rel(path)} is NOT git-ignored; add instance/ to .gitignore", file=sys.stderr)


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--web-port", type=int, default=int(os.environ.get("WEB_PORT", "5000")))
    parser.add_argument("--sandbox-port", type=int, default=int(os.environ.get("SANDBOX_PORT", "5055")))
    parser.add_argument(
        "--instance", type=Path, default=ROOT / "instance", help="data directory (default: instance/)"
    )
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")),
                        help="RQ worker processes (default 2; about one per core)")
    parser.add_argument("--sandbox-processes", type=int, default=int(os.environ.get("SANDBOX_PROCESSES", "2")),
                        help="sandbox EHR server processes (default 2; 1 for its fault-injection switches)")
    return parser.parse_args(argv)


def banner(stack: Stack) -> str:
    logs = _rel(stack.log_dir) if stack.log_dir else "instance/logs"
    names = ", ".join(p.name for p in stack.processes) + ", migrate"
    return "\n".join(
        [
            "",
            "RevRX SMART is running.",
            f"  Open the sandbox EHR:  {stack.sandbox_url}/   (click “Launch RevRX” on an encounter)",
            f"  RevRX app:             {stack.app_url}/",
            f"  Redis:                 {stack.env['REDIS_URL']}",
            f"  Database:              {stack.env['DATABASE_URL']}",
            f"  Logs:                  {logs}/*.log  ({names})",
            "Press Ctrl-C to stop.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    instance: Path = args.instance.resolve()
    for name, port in (("web", args.web_port), ("sandbox", args.sandbox_port)):
        if port_in_use(port):
            print(
                f"run: port {port} ({name}) is already in use. Stop what runs there, "
                f"or choose another with --{name}-port.",
                file=sys.stderr,
            )
            return 1

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    key = encryption_key(instance)
    warn_if_tracked(instance / "encryption.key")
    stack = Stack(
        instance_dir=instance,
        web_port=args.web_port,
        sandbox_port=args.sandbox_port,
        redis_url=os.environ.get("REDIS_URL") or None,
        database_url=os.environ.get("DATABASE_URL") or None,
        encryption_key=key,
        worker_processes=max(1, args.workers),
        sandbox_processes=max(1, args.sandbox_processes),
    )
    print(f"run: starting redis, migrations, sandbox EHR, web app and {args.workers} worker(s) …", flush=True)
    try:
        stack.start()
        print(banner(stack), flush=True)
        while True:
            dead = stack.dead()
            if dead is not None:
                raise dead.failure("stopped unexpectedly")
            time.sleep(0.5)
    except Shutdown as why:
        print(f"\nrun: {why}: stopping …", flush=True)
        stack.stop()
        print("run: stopped.", flush=True)
        return 0
    except StackError as exc:
        print(f"\nrun: ERROR: {exc}", file=sys.stderr, flush=True)
        _stop_quietly(stack)
        return 1
    except BaseException:
        _stop_quietly(stack)
        raise


def _stop_quietly(stack: Stack) -> None:
    global _stopping
    _stopping = True  # ignore Ctrl-C from here on; stop() must finish
    stack.stop()
    print("run: everything stopped.", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
