"""What the tests share: new networks as `welfarectl init` creates them, small networks copied
from the sample (fresh, or with cards issued once a session), `welfarectl` run in this process,
and the fixed signing key.

The helpers behind these fixtures live in networks.py, pdfpages.py and cardkeys.py, beside them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from cardkeys import signing_key, write_key_file
from click.testing import Result
from networks import TODAY, copy_small_network, run_welfarectl

from welfarectl.network.skeleton import create_network


@pytest.fixture
def welfarectl(tmp_path: Path) -> Callable[..., Result]:
    """Run `welfarectl ARGS` in this process on the fixed day, as a user whose configuration
    (and so the signing key it creates) lives in tmp_path: welfarectl("-C", net, "validate")."""

    def run(*args: object, day: date = TODAY, stdin: str | None = None, **env: str | None) -> Result:
        return run_welfarectl(*args, home=tmp_path, day=day, stdin=stdin, **env)

    return run


@pytest.fixture(scope="session")
def skeleton(tmp_path_factory) -> Path:
    """What `welfarectl init` creates, created once: tests take copies (`new_network`)."""
    root = tmp_path_factory.mktemp("skeleton") / "net"
    create_network(root)
    return root


@pytest.fixture
def new_network(skeleton: Path, tmp_path: Path) -> Path:
    """A fresh copy of a new network, as `welfarectl init` creates it (creating one writes and
    syncs every file, and builds the schemas: a copy is five times quicker)."""
    return Path(shutil.copytree(skeleton, tmp_path / "net"))


@pytest.fixture
def small_network(tmp_path: Path) -> Path:
    """A fresh small network (three companies' workbooks, the sample catalogue and templates), no cards yet."""
    return copy_small_network(tmp_path / "net")


@dataclass(frozen=True)
class Issued:
    """A small network after `welfarectl cards issue`, and what the command said it issued."""

    root: Path
    cards: tuple[dict, ...]


@pytest.fixture(scope="session")
def issued_network(tmp_path_factory) -> Issued:
    """A small network with a card for every current employee, issued once for the session:
    only for tests that read it. Tests that change it take `issued_copy`."""
    home = tmp_path_factory.mktemp("issued")
    root = copy_small_network(home / "net")
    done = run_welfarectl("-C", root, "cards", "issue", "--format", "json", home=home)
    assert done.exit_code == 0, done.output
    return Issued(root, tuple(json.loads(done.stdout)["cards"]))


@pytest.fixture
def issued_copy(issued_network: Issued, tmp_path: Path) -> Path:
    """A fresh copy of the issued small network, to change."""
    return Path(shutil.copytree(issued_network.root, tmp_path / "net"))


@pytest.fixture(scope="session")
def fixed_key_file(tmp_path_factory) -> Path:
    """A signing key from a fixed seed, as a PEM file only its owner can read: with the fixed
    day, every payload and so every printed QR code is the same from run to run."""
    return write_key_file(tmp_path_factory.mktemp("fixed-key") / "fixed.key", signing_key(9))


def pytest_terminal_summary(terminalreporter, config) -> None:
    """Say which extra checks were skipped and why, even without `-rs`: a run without poppler or
    zbar passes, and says what it did not check."""
    if set(config.getoption("reportchars") or "") & {"s", "a", "A"}:
        return  # pytest lists them itself
    reasons = sorted({report.longrepr[2].removeprefix("Skipped: ") for report in terminalreporter.stats.get("skipped", [])
                      if isinstance(report.longrepr, tuple)})
    if reasons:
        terminalreporter.section("skipped checks")
        for reason in reasons:
            terminalreporter.line(reason)
