"""Peak web RSS while five 1 GB DOCX zip bombs are uploaded at once (issue 13 item 10; target ≤ 300 MB
of growth). Twice: with the default DOCUMENT_* limits (refused from the zip's directory), and with the
directory checks lifted so only the extracting child process's memory limit stands in the way.

    .venv/bin/python scripts/bench_zip_bombs.py [--json out.json]

Each pass starts a private stack (Redis, sandbox EHR, web app, worker) under a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devstack.api_client import ApiUser  # noqa: E402
from devstack.bombs import upload_at_once  # noqa: E402
from devstack.processes import GENEROUS_RATE_LIMITS, Stack  # noqa: E402
from tests.support.upload_samples import zip_bomb_docx  # noqa: E402

PASSES = {
    "default limits": {},
    "directory checks lifted (child memory limit only)": {
        "DOCUMENT_MAX_UNCOMPRESSED_MB": "1000000", "DOCUMENT_MAX_RATIO": "1000000"},
}


def _error_code(answer: dict[str, object]) -> object:
    """The refusal's code in one upload's API entry (None when it was accepted)."""
    error = answer.get("error")
    return error.get("code") if isinstance(error, dict) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    bomb = zip_bomb_docx(1024)
    report = {}
    for name, env in PASSES.items():
        with tempfile.TemporaryDirectory() as tmp, Stack(
                instance_dir=Path(tmp), encryption_key=Fernet.generate_key().decode(),
                extra_env={"CODING_ENGINE": "local", **GENEROUS_RATE_LIMITS, **env}) as stack:
            api = ApiUser(stack)
            result = upload_at_once(stack, api.token, [bomb] * 5)
        codes = sorted({str(_error_code(a)) for a in result.answers})
        report[name] = {"bomb_bytes": len(bomb), "web_rss_before_mb": round(result.before / 1048576, 1),
                        "web_rss_peak_growth_mb": round(result.growth_mb, 1), "seconds": round(result.seconds, 2),
                        "refused_as": codes}
        print(f"{name}: 5 × {len(bomb) / 1048576:.1f} MB bombs → web RSS +{result.growth_mb:.1f} MB peak, "
              f"{result.seconds:.2f} s, refused as {codes}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
