"""A clone with nothing beside it runs: `git clone` the repository into an empty folder and start the
sandbox EHR from the clone, with the already-built virtualenv. It must seed its encounters from the
data inside the repository (data/aci-bench), never from a folder next to the checkout. The clone holds
what is committed (HEAD of the checkout the tests run in), not uncommitted edits."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devstack.processes import HOST, free_port, start_sandbox

pytestmark = [pytest.mark.integration, pytest.mark.no_app_db]

HERE = Path(__file__).resolve().parent
# Variables that could point the clone back at this checkout or at data outside the repository.
_LEAKY = ("PYTHONPATH", "REVRX_SHARED_DATA", "SANDBOX_DB", "SANDBOX_BASE_URL", "SANDBOX_LAUNCH_JSON",
          "DEVSTACK_PYTHON", "REVRX_INSTANCE_DIR")


def _checkout_root() -> Path:
    result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=HERE, capture_output=True,
                            text=True, check=True, timeout=30)
    return Path(result.stdout.strip())


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed repository, cloned alone into an empty folder, with the built virtualenv beside
    it as `.venv` (a symlink: the clone test is about the repository's files, not installing)."""
    empty = tmp_path_factory.mktemp("lonely")
    target = empty / "revrx"
    subprocess.run(["git", "clone", "--quiet", str(_checkout_root()), str(target)], check=True,
                   capture_output=True, timeout=120)
    assert sorted(p.name for p in empty.iterdir()) == ["revrx"]
    (target / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return target


@pytest.fixture(scope="module")
def sandbox_from_clone(clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    work = tmp_path_factory.mktemp("clone-sandbox")
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY}
    env.update(PYTHONUNBUFFERED="1", PYTHONPATH=str(clone), SANDBOX_BASE_URL=base_url,
               SANDBOX_DB=str(work / "sandbox.db"), DEVSTACK_PYTHON=str(clone / ".venv" / "bin" / "python"))
    proc = start_sandbox(env, port, work, timeout=120, cwd=clone)
    try:
        yield base_url, work / "sandbox.db"
    finally:
        proc.stop(grace=5.0)


def test_sandbox_started_from_a_lonely_clone_serves_seeded_encounters(
        sandbox_from_clone: tuple[str, Path]) -> None:
    base_url, db = sandbox_from_clone
    assert db.is_file()  # the clone's own database, in the temporary folder
    encounters = requests.get(f"{base_url}/_admin/resources/Encounter", timeout=30).json()
    assert len(encounters) >= 87  # one per ACI-BENCH train + valid note shipped in data/aci-bench
    launch_links: set[str] = set()
    for number in range(1, 100):   # the home page shows ten patients a page
        home = requests.get(f"{base_url}/", params={"page": number}, timeout=30)
        assert home.status_code == 200
        launch_links |= set(re.findall(r'data-testid="launch-([^"]+)"', home.text))
        if 'data-testid="next-patients"' not in home.text:
            break
    assert {e["id"] for e in encounters} <= launch_links
