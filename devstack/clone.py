"""A clone of the repository alone in an empty folder, for the tests that a newcomer's fresh clone runs
(issue 16 item 1): what is committed (HEAD of this checkout), the built virtualenv beside it as `.venv`
(a symlink: these tests are about the repository's files, not about installing), and an environment
with nothing pointing back at this checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Variables that could point the clone back at this checkout or at data outside the repository.
LEAKY = ("PYTHONPATH", "REVRX_SHARED_DATA", "SANDBOX_DB", "SANDBOX_BASE_URL", "SANDBOX_LAUNCH_JSON",
         "DEVSTACK_PYTHON", "REVRX_INSTANCE_DIR", "DATABASE_URL", "TEST_DATABASE_URL", "REDIS_URL")


def checkout_root() -> Path:
    result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=HERE, capture_output=True,  # noqa: S607
                            text=True, check=True, timeout=30)
    return Path(result.stdout.strip())


def lonely_clone(empty: Path) -> Path:
    """`git clone` this checkout into `empty`/revrx; `empty` holds nothing else."""
    target = empty / "revrx"
    subprocess.run(["git", "clone", "--quiet", str(checkout_root()), str(target)], check=True,  # noqa: S607
                   capture_output=True, timeout=120)
    (target / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return target


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in LEAKY}
