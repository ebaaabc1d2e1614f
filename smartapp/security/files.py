"""Files RevRX keeps on this machine (keys, the SQLite database, uploaded originals, logs) are created
readable by the service's own account only: folders 0700, files 0600, from the first byte (the mode
is given to open(), not fixed with chmod after the content is already there for others to read).

No Flask: the config reader, storage, the database layer and the dev stack all use it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700; folders that already exist keep their mode."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):   # another process made it a moment ago
            folder.mkdir(mode=DIR_MODE)
            os.chmod(folder, DIR_MODE)   # the umask may have taken bits away; never adds any
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write `path` (created or truncated) as 0600."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)   # an existing file gets the private mode too
        os.write(fd, data)
    finally:
        os.close(fd)


def create_private(path: Path, data: bytes) -> bool:
    """Create `path` as 0600 with `data` unless it exists (two processes starting at once: one wins).
    True when this call created it."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    return True


def open_private_log(path: Path) -> int:
    """A log file descriptor (append, 0600) for a child process's output."""
    private_dir(path.parent)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
