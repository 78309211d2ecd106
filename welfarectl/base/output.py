"""Writing files atomically: a temporary file beside the target, fsynced, then renamed into place;
several files as one (all of them, or none).

A failure of the system while writing (disk full, permission denied, an I/O error) becomes
`WriteFailed`, a refusal that names the file and the system's reason, exit code 1; a target that
cannot be a file (a directory, a parent that is a file) is `BadTarget`, a usage error, exit 2.
Either way the previous files are left as they were and no temporary file is left behind.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import Refusal, UsageError
from .problems import os_reason

# the system's errors that say the path itself cannot be a file: the request is wrong, not the disk
_NOT_A_FILE = frozenset({errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG})


class BadTarget(UsageError):
    """An output path that cannot be written (a directory, a parent that is a file...)."""


class WriteFailed(Refusal):
    """The system refused a write (disk full, permission denied, an I/O error): nothing changed."""


def cannot_write(path: Path, error: OSError) -> Refusal:
    """The refusal for `error` met while writing `path`: 'cannot write PATH: REASON'."""
    reason = os_reason(error)
    kind = BadTarget if error.errno in _NOT_A_FILE else WriteFailed
    return kind(f"cannot write {path}: {reason['reason']}", f"impossibile scrivere {path}: {reason['reason_it']}")


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


@dataclass(frozen=True)
class Staged:
    """A file's new bytes, written and fsynced beside it (`temporary`), not yet in place."""

    path: Path
    temporary: Path


def stage(path: Path, data: bytes | Iterable[bytes], *, mode: int = 0o666) -> Staged:
    """Write `data` (bytes, or pieces of bytes: a file of hundreds of megabytes is never whole in
    memory) to a temporary file beside `path`, created with `mode` less the umask (0o600 keeps a
    secret private from the first byte), and fsync it; `commit` puts it in place. The temporary
    file is removed when this fails. WriteFailed or BadTarget on the system's refusal."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cannot_write(path, error) from None
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except OSError as error:
        raise cannot_write(path, error) from None
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise cannot_write(path, error) from None
        raise
    return Staged(path, temporary)


def commit(staged: list[Staged]) -> list[Path]:
    """Rename the staged files into place, in order, as one: when a rename fails (or the run is
    interrupted), the files already renamed get their previous bytes back (from hard links kept
    beside them until the end) and those that did not exist are removed, so that the previous
    files, all of them, are left byte-identical. No temporary file is left either way."""
    kept: dict[Path, Path | bytes | None] = {}
    done: list[Path] = []
    current = staged[0].path if staged else Path()
    try:
        for each in staged:
            current = each.path
            kept[each.path] = _keep(each.path)
        for each in staged:
            current = each.path
            os.replace(each.temporary, each.path)
            done.append(each.path)
        for directory in dict.fromkeys(each.path.parent for each in staged):
            fsync_directory(directory)
    except BaseException as error:
        _put_back(done, kept)
        if isinstance(error, OSError):
            raise cannot_write(current, error) from None
        raise
    finally:
        for each in staged:
            each.temporary.unlink(missing_ok=True)
        for backup in kept.values():
            if isinstance(backup, Path):
                backup.unlink(missing_ok=True)
    return [each.path for each in staged]


def discard(staged: list[Staged]) -> None:
    """Remove staged files that will not be committed."""
    for each in staged:
        each.temporary.unlink(missing_ok=True)


def write_files_atomic(files: Mapping[Path, bytes | Iterable[bytes]]) -> list[Path]:
    """Write every file of `files` (path -> bytes or pieces of bytes), all of them or none: each is staged beside its
    target first, and only when all are staged are they committed (`commit`)."""
    staged: list[Staged] = []
    try:
        for path, data in files.items():
            staged.append(stage(path, data))
    except BaseException:
        discard(staged)
        raise
    return commit(staged)


def write_bytes_atomic(path: Path, data: bytes, *, mode: int = 0o666, overwrite: bool = True) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never a torn one
    (`stage`, then a rename). With `overwrite=False` an existing file is never replaced
    (FileExistsError): the new one is hard-linked into place instead."""
    if overwrite:
        commit([stage(path, data, mode=mode)])
        return path
    staged = stage(path, data, mode=mode)
    try:
        os.link(staged.temporary, path)
        fsync_directory(path.parent)
    except FileExistsError:
        raise
    except OSError as error:
        raise cannot_write(path, error) from None
    finally:
        staged.temporary.unlink(missing_ok=True)
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


def _write_all(fd: int, data: bytes | Iterable[bytes]) -> None:
    if not isinstance(data, bytes | bytearray | memoryview):
        pending = bytearray()
        for chunk in data:  # gathered a megabyte at a time: a system call a line would be slow
            pending += chunk
            if len(pending) >= 1 << 20:
                _write_all(fd, pending)
                pending.clear()
        data = pending
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _keep(path: Path) -> Path | bytes | None:
    """What puts `path` back as it is: a hard link to it beside it (no copy, no space needed),
    its bytes where the file system has no hard links, None when there is no file."""
    if not path.exists():
        return None
    backup = path.with_name(f".{path.name}.{secrets.token_hex(6)}.old.tmp")
    try:
        os.link(path, backup)
    except OSError:
        return path.read_bytes()
    return backup


def _put_back(done: list[Path], kept: Mapping[Path, Path | bytes | None]) -> None:
    """Undo the renames of `done`, last first; a best effort: the failure being reported matters more."""
    for path in reversed(done):
        backup = kept.get(path)
        try:
            if backup is None:
                path.unlink(missing_ok=True)
            elif isinstance(backup, Path):
                os.replace(backup, path)
            else:
                commit([stage(path, backup)])
        except (OSError, Refusal):
            continue
