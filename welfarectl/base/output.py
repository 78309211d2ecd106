"""Writing files atomically: a temporary file beside the target, fsynced, then renamed into place."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError


class BadTarget(UsageError):
    """An output path that cannot be written (a directory, a parent that is a file...)."""


def check_target(target: Path) -> None:
    """Refuse, before any work, an output path that cannot be written: a directory, or one whose
    parent is a file."""
    if target.is_dir():
        raise BadTarget(f"{target} is a directory: give the name of the file to write",
                        f"{target} è una cartella: indica il nome del file da scrivere")
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise BadTarget(f"{parent} is not a directory, so {target} cannot be written",
                                f"{parent} non è una cartella, quindi {target} non si può scrivere")
            break


def write_bytes_atomic(path: Path, data: bytes, *, mode: int = 0o666, overwrite: bool = True) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never a torn one:
    a temporary file beside it, created with `mode` less the umask (0o600 keeps a secret private
    from the first byte), fsynced, then renamed into place. With `overwrite=False` an existing
    file is never replaced (FileExistsError): the new one is hard-linked into place instead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
        fsync_directory(path.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_chunks_atomic(path: Path, chunks: Iterable[bytes]) -> Path:
    """`write_bytes_atomic` for content given in pieces (a file copied and lines added to it), so
    that a file of hundreds of megabytes is never whole in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_directory(path.parent)
    finally:
        tmp.unlink(missing_ok=True)
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
