"""Work shared between processes forked from the command: how many cores it may use, and how its
workers take signals.

Forked workers inherit what the command loaded without copying it (pages are shared until written)
and send plain values back; where fork is not available (Windows, macOS's default), the work is
done in the command's own process, more slowly but the same.
"""

from __future__ import annotations

import os
import signal


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fork_context():
    """multiprocessing's fork context, or None where processes cannot be forked."""
    import multiprocessing

    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


def leave_interrupts_to_the_parent() -> None:
    """A pool worker's initializer. Ctrl-C reaches every process of the terminal's group: a worker
    ignores it, so that the command alone stops the work and reports it, once. A worker ends
    quietly when its pool terminates it, whatever the command does with SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
