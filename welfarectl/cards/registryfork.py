"""Reading a large card registry on the other core while the loader reads the workbooks.

A regional network's registry (a million lines) and its employee workbooks (two thousand) take
about as long to read, and neither needs the other: `read_registry` does not look at the
employees. `reading_registry` starts reading the registry in a process forked from this one and
gives, when asked, what `read_registry` would have given here: the same Registry, problems and
all, sent back pickled (the cards and holders are arrays and byte strings, quick to send).

Rules:
- a registry under `FORK_FROM` bytes, or a system without fork, is read here, when asked: the
  fork pays only when the reading takes seconds;
- the Registry keeps its file open for a writer (`Registry.source`); the open handle cannot cross
  processes, so the file is opened again here and kept only if it is still the file the child read
  (same inode, size and modification time); otherwise the registry is marked as read from no
  file it still has, and a writer reads the file again under the lock, as for any registry that
  changed since it was read;
- whatever the child raises is raised here (refusals cross processes whole); a child that dies
  without an answer (killed) leaves the reading to this process;
- leaving the `with` block early (an error while reading the workbooks, Ctrl-C) stops the child.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from welfarectl.base.problems import Problem

from .ledger import REGISTRY_FILE, Registry
from .registrycache import RegistryCache, registry_stamp
from .registryread import read_registry

FORK_FROM = 16 << 20  # bytes of registry: about 60,000 cards, a second or two of reading
_NO_FILE = (-1, -1, -1)  # a stamp no file has: the writer reads the file again


@contextmanager
def reading_registry(root: Path, cache: RegistryCache | None = None) -> Iterator[Callable[[], tuple[Registry, list[Problem]]]]:
    """A function giving `read_registry(root, cache)`, read in a forked process when the file is large."""
    try:
        size = os.stat(root / REGISTRY_FILE).st_size
    except OSError:
        size = 0
    if size < FORK_FROM or not hasattr(os, "fork"):
        yield lambda: read_registry(root, cache)
        return
    child = _Child(root, cache)
    try:
        yield child.result
    finally:
        child.stop()


class _Child:
    def __init__(self, root: Path, cache: RegistryCache | None) -> None:
        self.root, self.cache = root, cache
        readable, writable = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: read, answer, and end without running the parent's exit handlers
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # `stop` ends it at once, whatever the command set
            os.close(readable)
            os._exit(_answer(root, cache, writable))
        os.close(writable)
        self.pipe: int | None = readable

    def result(self) -> tuple[Registry, list[Problem]]:
        assert self.pipe is not None
        with os.fdopen(self.pipe, "rb") as answer:
            self.pipe = None
            try:
                kind, value = pickle.load(answer)  # as it comes: the message is never whole in memory
            except EOFError:  # the child died without answering
                kind, value = "died", None
        os.waitpid(self.pid, 0)
        self.pid = 0
        if kind == "died":
            return read_registry(self.root, self.cache)
        if kind == "raised":
            raise value
        registry, problems = value
        _reopen(self.root, registry)
        return registry, problems

    def stop(self) -> None:
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None
        if self.pid:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
            self.pid = 0


def _answer(root: Path, cache: RegistryCache | None, pipe: int) -> int:
    """In the child: the registry read, or what reading it raised, pickled down the pipe."""
    try:
        try:
            registry, problems = read_registry(root, cache)
            if registry.source is not None:
                registry.source.close()
                registry.source = None
            answer: tuple = ("read", (registry, problems))
        except BaseException as exc:  # noqa: BLE001 (anything, even Ctrl-C, is the parent's to raise)
            answer = ("raised", exc)
        with os.fdopen(pipe, "wb") as out:
            pickle.dump(answer, out, protocol=pickle.HIGHEST_PROTOCOL)
        return 0
    except BaseException:  # noqa: BLE001 (the parent, gone or not, reads the registry itself)
        return 1


def _reopen(root: Path, registry: Registry) -> None:
    """Give the registry a handle on its file, if the file is still the one the child read."""
    if registry.stamp is None:
        return
    try:
        handle = open(root / REGISTRY_FILE, "rb")  # noqa: SIM115 (kept open for a writer, as read_registry does)
    except OSError:
        registry.stamp = _NO_FILE
        return
    if registry_stamp(handle) == registry.stamp:
        registry.source = handle
    else:
        handle.close()
        registry.stamp = _NO_FILE
