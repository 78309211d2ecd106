"""A network's folder in welfarectl's cache directory: what the loaders remember of files read
before (`network/staffcache.py`: workbooks; `cards/registrycache.py`: the card registry).

Rules:
- each network has a folder of its own for each kind of entry, named from the network
  directory's absolute path (hashed: the path itself is not written);
- the folders welfarectl makes in the cache directory are private (0700): entries hold personal data;
- an entry is written atomically (a temporary file renamed), so a reader finds a whole entry or
  none; one that cannot be written or read is simply not there: the cache is only ever a shortcut.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path


class CacheFolder:
    """The folder of entries of one `kind` for the network in `network_dir`, under `directory`."""

    def __init__(self, directory: Path, kind: str, network_dir: Path) -> None:
        where = hashlib.sha256(os.fsencode(network_dir.resolve())).hexdigest()[:32]
        self.path = directory / kind / where

    def read(self, name: str) -> bytes | None:
        """The entry's bytes, or None when there is none (or it cannot be read)."""
        try:
            return (self.path / name).read_bytes()
        except OSError:
            return None

    def write(self, name: str, pieces: Iterable[bytes]) -> None:
        """Keep the bytes of `pieces`, one after the other, as the entry `name` (made as they are
        written: an entry of 100 MB is never whole in memory); a cache that cannot be written is
        left as it is. What making a piece raises is raised, and nothing is kept."""
        with suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(self.path.parent, 0o700)  # the kind's folder (not the directory given, which may be shared)
            self.path.mkdir(exist_ok=True, mode=0o700)
            temporary = self.path / f".{name}.{os.getpid()}"
            try:
                with open(temporary, "wb") as out:
                    out.writelines(pieces)
                os.replace(temporary, self.path / name)
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise

    def keep_only(self, names: set[str]) -> None:
        """Remove every entry not in `names` (and files left by a write that stopped)."""
        with suppress(OSError):
            for entry in self.path.iterdir():
                if entry.name not in names:
                    with suppress(OSError):
                        entry.unlink()
