"""Memory a large load freed, given back to the system.

Loading a region's network makes and drops hundreds of megabytes of temporary values (workbook
bytes, columns, the registry's pieces). The C library keeps much of what is freed in its heap
for later use, so a command that then holds the network (a print run, for eight minutes) keeps
that too: about 50 MB at a million employees. glibc's `malloc_trim` hands the free pages back;
elsewhere (macOS, Windows, musl) there is nothing to call and nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


def give_back_freed_memory() -> None:
    """Return the C heap's free pages to the system, where the C library can (glibc)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return libc.malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
