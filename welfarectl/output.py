"""Writing files atomically: a temporary file beside the target, fsynced, then renamed into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class BadTarget(Exception):
    """An output path that cannot be written (a directory, a parent that is a file...)."""


def check_target(target: Path) -> None:
    """Refuse, before any work, an output path that cannot be written: a directory, or one whose
    parent is a file."""
    if target.is_dir():
        raise BadTarget(f"{target} is a directory: give the name of the file to write")
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise BadTarget(f"{parent} is not a directory, so {target} cannot be written")
            break


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASKED = 0o666 & ~_current_umask()


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never a torn one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _UMASKED)  # mkstemp makes files 0600; outputs are ordinary, shareable files
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_directory(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"))


def fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
