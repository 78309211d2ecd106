"""Small networks copied from the sample, and `welfarectl` run on them in this process, as a user
on a fixed day would run it: same arguments, same exit codes, stdout and stderr apart."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from welfarectl.cli.app import app
from welfarectl.network.members import Employee, read_employees

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 26)  # the day every command works on (WELFARECTL_AS_OF)
SMALL_COMPANIES = ("ferramenta-centrale-soliera", "osteria-del-tortellino-felice", "acetaia-il-cortile-antico")

# Click >= 8.2 keeps stderr apart from stdout (`result.stderr`); `result.output` is both, as a terminal shows them.
_runner = CliRunner()


def copy_small_network(root: Path, companies: tuple[str, ...] = SMALL_COMPANIES) -> Path:
    """The sample's catalogue (without its public keys) and card templates, and the workbooks of
    `companies` (by default three: small enough to load in a tenth of a second)."""
    shutil.copytree(ROOT / "catalogue", root / "catalogue", ignore=shutil.ignore_patterns("keys"))
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "members").mkdir()
    for company in companies:
        shutil.copy(ROOT / "members" / f"{company}.xlsx", root / "members")
    return root


def staff_of(root: Path, company: str) -> list[Employee]:
    """Everyone in a company's workbook, read as welfarectl reads it."""
    staff, problems = read_employees(root / "members" / f"{company}.xlsx", f"members/{company}.xlsx", company)
    assert problems == [], [p.message() for p in problems]
    return staff


def current_staff(root: Path, company: str, day: date = TODAY) -> list[Employee]:
    """The company's employees on `day`: the people a card is issued to."""
    return [employee for employee in staff_of(root, company) if employee.is_current(day)]


def run_welfarectl(*args: object, home: Path, day: date = TODAY, stdin: str | None = None, **env: str | None) -> Result:
    """`welfarectl ARGS` as a user whose configuration lives under `home` runs it on `day`:
    English messages, no signing key from the environment. An exception the command does not
    turn into a message fails the test with its traceback (as a bug, not as exit code 1)."""
    environment = {"WELFARECTL_AS_OF": day.isoformat(), "LANG": "C", "LC_ALL": None, "LC_MESSAGES": None,
                   "XDG_CONFIG_HOME": str(home / "config"), "HOME": str(home / "home"),
                   "WELFARECTL_SIGNING_KEY": None, "FORCE_COLOR": None, **env}
    return _runner.invoke(app, [str(arg) for arg in args], input=stdin, env=environment, catch_exceptions=False)


def run_welfarectl_process(*args: object, home: Path, day: date = TODAY, **env: str) -> subprocess.CompletedProcess:
    """The same, in a process of its own (`python -m welfarectl`), for what only a second
    process can show: another interpreter, another hash seed."""
    environment = {**os.environ, "WELFARECTL_AS_OF": day.isoformat(), "LANG": "C", "LC_ALL": "", "LC_MESSAGES": "",
                   "XDG_CONFIG_HOME": str(home / "config"), "HOME": str(home / "home"), **env}
    environment.pop("WELFARECTL_SIGNING_KEY", None)
    environment.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "welfarectl", *(str(arg) for arg in args)], capture_output=True,
                          text=True, env=environment, timeout=120, check=False)


def wait_for_a_child(pid: int, timeout: float = 60.0) -> None:
    """Wait until process `pid` has started a process of its own (Linux's /proc): a print run
    forks its QR or batch workers when the drawing begins, after the network is loaded, so a
    signal sent then reaches a run in the middle of its work, however fast the machine."""
    import time

    deadline = time.monotonic() + timeout
    children = Path(f"/proc/{pid}/task/{pid}/children")
    while time.monotonic() < deadline:
        try:
            if children.read_text().split():
                return
        except OSError:
            return  # the process is gone: the caller sees how it ended
        time.sleep(0.005)


def as_at_a_terminal() -> None:
    """A `preexec_fn` for a command a test interrupts as a terminal's Ctrl-C would: SIGINT at its
    default, as a shell gives it to a command it starts, even when the tests themselves run in a
    background job (which the shell starts with SIGINT ignored, and a child would inherit)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
