"""The card registry read before, remembered: a region's registry (a million lines, 400 MB with
its holders) takes some twenty seconds of checking to read, and every command reads it.

After a registry is read without any problem, what the reading made of it (its cards and holders
in columns, and what the next line must carry) is kept in the cache directory under a key made
of the bytes of its three files (`members/cards.jsonl`, `members/holders.jsonl`,
`members/cards.head`, SHA-256: half a second for 400 MB) and of the reading rules (the source of
the card modules, and the versions of Python and python-stdnum). A later read with the same key
takes the registry from there, checked once already, instead of checking every line again. A
writer that added lines to a registry read with the cache keeps the registry it wrote, under the
key of the files it wrote, so the command after it finds it too.

Rules:
- only a registry read without any problem, or written by welfarectl after such a read, is kept:
  a damaged registry is read, and its problems told, by every command;
- a registry restored answers every question as the same files read again would (the order of
  the holders' rows may differ: nothing depends on it; `tests/test_registry_cache.py` compares);
- the entry is kept only when the files still are the ones hashed once the reading is done (same
  inode, size and modification time: a writer replaces them whole);
- entries are `marshal` data (plain values: reading one runs no code) with their own SHA-256, one
  per network: a new one replaces the last. An entry that cannot be used is not, and the files
  are read;
- entries hold personal data (codici fiscali, holders' keys): `members forget` removes them
  (`clear`), as the workbook cache's.
"""

from __future__ import annotations

import functools
import hashlib
import io
import marshal
import os
import platform
import sys
from array import array
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from welfarectl.base.cachefolder import CacheFolder

from .cardtable import CardTable
from .holders import HOLDERS_FILE, Holders
from .ledger import HEAD_FILE, REGISTRY_FILE, Registry

FORMAT = b"welfarectl-registry-3"
CHUNK = 1 << 20  # bytes of a column written at a time
CHUNKED = b"chunked"  # a part written in pieces: (CHUNKED, its length), then the pieces
FILES = (REGISTRY_FILE, HOLDERS_FILE, HEAD_FILE)
Stamp = tuple[int, int, int] | None  # a file's inode, size and modification time; None: no file


@dataclass
class Files:
    """The registry's files as they are now: the key of their bytes, their stamps (registry,
    holders, head), and the registry file, open (a restored registry keeps it, as a read one does)."""

    key: str
    stamps: tuple[Stamp, Stamp, Stamp]
    registry_file: BinaryIO | None = None


class RegistryCache:
    """The remembered registry of the network in `network_dir`, under the cache `directory`."""

    def __init__(self, directory: Path, network_dir: Path) -> None:
        self.folder = CacheFolder(directory, "registry", network_dir)
        self.network_dir = network_dir
        self.seen: dict[str, tuple[Stamp, str | None]] = {}  # the files as `files` last hashed them

    def files(self) -> Files | None:
        """The files' key and stamps; None when there is no registry file (an empty registry)."""
        self.seen = {}
        try:
            registry_file = open(self.network_dir / REGISTRY_FILE, "rb")  # noqa: SIM115 (kept by the registry restored)
        except OSError:
            return None
        try:
            self.seen[REGISTRY_FILE] = _hashed(registry_file)
            for name in (HOLDERS_FILE, HEAD_FILE):
                try:
                    with open(self.network_dir / name, "rb") as handle:
                        self.seen[name] = _hashed(handle)
                except FileNotFoundError:
                    self.seen[name] = (None, None)
            registry_file.seek(0)
        except OSError:
            registry_file.close()
            return None
        return self._files({name: digest for name, (_, digest) in self.seen.items()},
                           tuple(stamp for stamp, _ in self.seen.values()), registry_file)

    def _files(self, digests: dict[str, str | None], stamps: tuple, registry_file: BinaryIO | None = None) -> Files:
        key = hashlib.sha256(_rules())
        for name in FILES:
            key.update(f"{name}\0{digests[name] or 'no file'}\0".encode())
        return Files(key.hexdigest(), (stamps[0], stamps[1], stamps[2]), registry_file)

    def load(self, files: Files) -> Registry | None:
        """The registry kept for these files, or None (none kept, or one that cannot be used). It
        keeps the registry file open, as `read_registry` leaves it, for a writer."""
        kept = self.folder.read(files.key)
        if kept is None or hashlib.sha256(memoryview(kept)[:-32]).digest() != kept[-32:]:
            return None
        try:
            registry = _restored(_parts(kept))
        except (EOFError, ValueError, TypeError, IndexError, KeyError, AttributeError, OverflowError):
            return None
        registry.stamp, registry.holders_stamp = files.stamps[0], files.stamps[1]
        registry.source, registry.cache = files.registry_file, self
        return registry

    def store(self, files: Files, registry: Registry) -> None:
        """Keep `registry` (read or written without a problem) as what `files` hold, if they are
        still on disk as they were when hashed; the entry kept before goes."""
        if files.registry_file is not None:
            files.registry_file.close()
        if registry.problems or _stamps(self.network_dir) != files.stamps:
            return
        with suppress(ValueError):  # a value marshal does not take: not kept
            self.folder.write(files.key, _entry(_state(registry)))
            self.folder.keep_only({files.key})

    def written(self, registry: Registry, digests: dict[str, str]) -> None:
        """Keep the registry a writer has just written, under the registry's lock: `digests`, the
        SHA-256 of each file it wrote, made as it wrote them (a registry of 400 MB is not read
        back); a file it did not write must be the one hashed when the registry was read."""
        stamps = _stamps(self.network_dir)
        known = dict(digests)
        for name, stamp in zip(FILES, stamps, strict=True):
            if name not in known:
                seen_stamp, seen_digest = self.seen.get(name, (None, None))
                if stamp is not None and stamp != seen_stamp:
                    return  # changed by someone else, or never hashed: not kept
                known[name] = seen_digest if stamp is not None else None
        self.store(self._files(known, stamps), registry)

    def clear(self) -> None:
        """Remove the network's entry: `members forget` does (it holds codici fiscali)."""
        self.folder.keep_only(set())


def registry_stamp(handle: BinaryIO) -> tuple[int, int, int]:
    """The open file's identity (inode, size, modification time), as `Registry.stamp` records it:
    a writer replaces the registry's files whole, so a file with the same identity is unchanged."""
    status = os.fstat(handle.fileno())
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def file_stamp(path: Path) -> Stamp:
    """The identity of the file at `path` (`registry_stamp`); None when it cannot be looked at."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def _hashed(handle: BinaryIO) -> tuple[Stamp, str]:
    """The open file's stamp and the SHA-256 of its bytes."""
    return registry_stamp(handle), hashlib.file_digest(handle, "sha256").hexdigest()


def _stamps(network_dir: Path) -> tuple[Stamp, Stamp, Stamp]:
    registry, holders, head = (file_stamp(network_dir / name) for name in FILES)
    return registry, holders, head


def _state(registry: Registry) -> list:
    """The registry as a list of values marshal takes: what the next line must carry, the holders'
    parts, the cards' parts (the columns themselves, not copied: `_entry` dumps them one by one)."""
    holders, cards = registry.holders.state(), registry.cards.state()
    return [FORMAT, len(holders), len(cards), registry.lines, registry.last_hash, registry.last_seq,
            registry.last_serial, registry.unissued, *holders, *cards]


def _entry(parts: list) -> Iterator[bytes]:
    """The entry's bytes, a part at a time, a column of bytes in pieces of a megabyte (`CHUNK`:
    written, a column is never copied whole), then the SHA-256 of all before it."""
    digest = hashlib.sha256()

    def dumped(value: object) -> bytes:
        data = marshal.dumps(value)
        digest.update(data)
        return data

    for part in parts:
        if isinstance(part, bytes | bytearray | array) and len(view := memoryview(part).cast("B")) > CHUNK:
            yield dumped((CHUNKED, len(view)))
            for at in range(0, len(view), CHUNK):
                yield dumped(view[at:at + CHUNK])
        else:
            yield dumped(part)
    yield digest.digest()


def _parts(kept: bytes) -> list:
    """The parts of an entry (`_entry`), its SHA-256 checked already."""
    stream = io.BytesIO(memoryview(kept)[:-32])

    def part() -> object:
        found = marshal.load(stream)
        if type(found) is tuple and len(found) == 2 and found[0] == CHUNKED:
            pieces, size = [], 0
            while size < found[1]:
                pieces.append(marshal.load(stream))
                size += len(pieces[-1])
            return b"".join(pieces)
        return found

    parts = [part() for _ in range(3)]
    if parts[0] != FORMAT:
        raise ValueError("not a registry entry")
    parts += [part() for _ in range(5 + parts[1] + parts[2])]
    return parts


def _restored(parts: list) -> Registry:
    _, holder_parts, card_parts, lines, last_hash, last_seq, last_serial, unissued = parts[:8]
    registry = Registry(Holders.restored(tuple(parts[8:8 + holder_parts])))
    registry.cards = CardTable.restored(registry.holders, tuple(parts[8 + holder_parts:8 + holder_parts + card_parts]))
    registry.lines, registry.last_hash, registry.last_seq = int(lines), last_hash, last_seq
    registry.last_serial, registry.unissued = int(last_serial), dict(unissued)
    return registry


@functools.cache
def _rules() -> bytes:
    """What decides what reading a registry gives: the card modules' source, the libraries' versions."""
    digest = hashlib.sha256(FORMAT + sys.version.encode() + platform.machine().encode() + sys.byteorder.encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    with suppress(metadata.PackageNotFoundError):
        digest.update(metadata.version("python-stdnum").encode())
    return digest.digest()
