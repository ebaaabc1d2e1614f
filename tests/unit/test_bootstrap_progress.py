"""A first run is never silent (issue 16 item 2): while apt-get or pip works quietly into its log,
bootstrap says every few seconds how long it has run and the last thing it did, and passes the
command's failure on."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(command: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = (f'source "{ROOT}/scripts/progress.sh"; LOG="{tmp_path}/log"; say() {{ echo "bootstrap: $*"; }}; '
              f"PROGRESS_EVERY=1 with_progress 'pip install' bash -c '{command}'")
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30, check=False)


def test_a_long_step_says_how_it_goes(tmp_path: Path) -> None:
    done = _run("echo Collecting flask==3.1; sleep 2.5; echo Installing collected packages", tmp_path)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines and lines[0].startswith("bootstrap:   ... pip install: 1 s (Collecting flask==3.1)"), lines
    assert "Installing collected packages" in (tmp_path / "log").read_text(), "the output stays in the log"


def test_a_failed_step_fails(tmp_path: Path) -> None:
    assert _run("echo broken; exit 3", tmp_path).returncode == 3
