"""`python -m sandbox --host 127.0.0.1 --port 5055 [--db PATH] [--reseed] [--processes N]`: run the sandbox EHR.

One process (Werkzeug's threaded server) by default; `--processes N` serves it with N gunicorn worker
processes (sandbox/server.py), as `make run` and the sync benchmark do.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from sandbox.config import resolve_db_path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description="RevRX sandbox EHR")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--db", default=None, help="SQLite file (default: $SANDBOX_DB or instance/sandbox.db)")
    parser.add_argument("--reseed", action="store_true", help="drop all resources and tokens, seed again")
    parser.add_argument("--processes", type=int, default=int(os.environ.get("SANDBOX_PROCESSES") or 1),
                        help="server processes (default 1, or $SANDBOX_PROCESSES); fault injection needs 1")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    db_path = resolve_db_path(args.db)
    base_url = os.environ.get("SANDBOX_BASE_URL") or f"http://{args.host}:{args.port}"
    if args.reseed:
        from sandbox.seed import wipe

        wipe(db_path)
    from sandbox.app import create_app

    app = create_app(db_path, base_url)
    app.config["SANDBOX_PROCESSES"] = max(1, args.processes)
    print(f"Sandbox EHR: {base_url}/  (FHIR base {base_url}/fhir, DB {db_path}, {args.processes} process(es))",
          file=sys.stderr, flush=True)
    if args.processes > 1:
        from sandbox.server import serve

        serve(app, args.host, args.port, args.processes)
    else:
        app.run(host=args.host, port=args.port, threaded=True, use_reloader=False, debug=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
