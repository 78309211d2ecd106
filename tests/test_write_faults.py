"""The system failing a write (disk full at a write, an I/O error at fsync, permission denied or
disk full at a rename) on every command that writes: the command says "cannot write FILE: REASON",
exits 1, and leaves every file as it was, byte for byte, with no temporary file beside it.

The faults are injected into the os functions only where base/output.py calls them, so that
everything else (the loaders, the test runner) runs as usual."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from networks import SMALL_COMPANIES, copy_small_network, run_welfarectl

COMPANY = SMALL_COMPANIES[0]


@dataclass
class Fault:
    """`os.<call>` fails with `code` the `nth` time base/output.py calls it."""

    call: str
    code: int
    nth: int = 1
    calls: int = 0

    def install(self, monkeypatch) -> None:
        real = getattr(os, self.call)

        def failing(*args, **kwargs):
            if sys._getframe(1).f_globals.get("__name__") == "welfarectl.base.output":
                self.calls += 1
                if self.calls == self.nth:
                    raise OSError(self.code, os.strerror(self.code))
            return real(*args, **kwargs)

        monkeypatch.setattr(os, self.call, failing)

    def __str__(self) -> str:
        return f"{errno.errorcode[self.code]}-at-{self.call}-{self.nth}"


FAULTS = [Fault("write", errno.ENOSPC), Fault("fsync", errno.EIO), Fault("replace", errno.EACCES)]
SECOND_RENAME = Fault("replace", errno.ENOSPC, nth=2)  # for commands that write several files: one is in place already


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> tuple[Path, Path]:
    """A small network with cards issued (and its signing key in the user's configuration, the
    home returned beside it); tests take copies."""
    home = tmp_path_factory.mktemp("faults")
    root = copy_small_network(home / "net")
    done = run_welfarectl("-C", root, "cards", "issue", "--company", COMPANY, home=home)
    assert done.exit_code == 0, done.output
    done = run_welfarectl("-C", root, "cards", "revocations", home=home)  # publishes the signing key's public key
    assert done.exit_code == 0, done.output
    return root, home


def snapshot(*folders: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()}


def first_card(root: Path) -> str:
    return json.loads((root / "members" / "cards.jsonl").read_text().splitlines()[0])["card"]


# command -> (arguments, the files it writes, to fill beforehand with bytes it would not write)
def commands(root: Path, out: Path) -> dict[str, tuple[list, list[Path]]]:
    csv = out / "list.csv"
    return {
        "cards issue": (["cards", "issue"], []),
        "cards revoke": (["cards", "revoke", first_card(root), "--reason", "lost"], []),
        "cards print": (["cards", "print", "--proof", "-o", out / "cards.pdf"],
                        [out / "cards.pdf", out / "cards.csv", out / "cards.txt"]),
        "cards revocations": (["cards", "revocations", "-o", out / "revocations.json"], [out / "revocations.json"]),
        "booklet": (["booklet", "--company", COMPANY, "--imposed", "-o", out / "booklet.pdf"],
                    [out / "booklet.pdf", out / "booklet-imposed.pdf"]),
        "booklet --all-companies": (["booklet", "--all-companies", "-o", out / "editions"],
                                    [out / "editions" / f"booklet-{company}-it.pdf" for company in SMALL_COMPANIES]),
        "report": (["report", "-o", out / "report"], [out / "report" / f"report.{fmt}" for fmt in ("pdf", "xlsx", "json")]),
        "verifier": (["verifier", "-o", out / "site"],
                     [out / "site" / name for name in ("verifier.html", "assets/verifier.js", "assets/qr-decoder.js",
                                                       "assets/THIRD-PARTY-LICENSES.txt")]),
        "members import": (["members", "import", csv, "--company", COMPANY], []),
    }


SEVERAL = {"cards issue", "cards print", "booklet", "booklet --all-companies", "report", "verifier"}
CASES = [(name, fault) for name in ("cards issue", "cards revoke", "cards print", "cards revocations", "booklet",
                                    "booklet --all-companies", "report", "verifier", "members import")
         for fault in FAULTS + ([SECOND_RENAME] if name in SEVERAL else [])
         if not (name == "booklet --all-companies" and fault.nth == 1 and fault.call == "replace")]  # as replace-2, 14 s slower


@pytest.mark.parametrize(("name", "fault"), CASES, ids=[f"{name}-{fault}" for name, fault in CASES])
def test_a_failed_write_leaves_every_file_as_it_was(prepared, tmp_path, monkeypatch, name, fault):
    source, home = prepared
    root = Path(shutil.copytree(source, tmp_path / "net"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "list.csv").write_text("Cognome;Nome;Codice fiscale;Data assunzione\nRossi;Mario;RSSMRA80A01H501U;01/02/2020\n")
    args, outputs = commands(root, out)[name]
    for path in outputs:  # the files of a run before: a failed run must leave them as they are
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"the previous run's " + path.name.encode())
    before = snapshot(root, out)
    fault = Fault(fault.call, fault.code, fault.nth)
    fault.install(monkeypatch)
    done = run_welfarectl("-C", root, *args, home=home)
    monkeypatch.undo()
    assert done.exit_code == 1, (str(fault), done.output)  # (a worker process's fault is not seen in `fault.fired`)
    assert "cannot write " in done.stderr and os.strerror(fault.code) in done.stderr, done.stderr
    assert "Traceback" not in done.output
    assert snapshot(root, out) == before


def test_the_message_names_the_file_and_the_reason_in_english_and_italian(prepared, tmp_path, monkeypatch):
    source, home = prepared
    root = Path(shutil.copytree(source, tmp_path / "net"))
    Fault("write", errno.ENOSPC).install(monkeypatch)
    english = run_welfarectl("-C", root, "report", "--format", "json", home=home)
    assert english.exit_code == 1
    assert english.stderr.strip().endswith(f"cannot write {root / 'output' / 'report' / 'report.json'}: No space left on device")
    Fault("write", errno.ENOSPC).install(monkeypatch)
    italian = run_welfarectl("-C", root, "--lang", "it", "report", "--format", "json", home=home)
    assert italian.exit_code == 1 and "impossibile scrivere" in italian.stderr and "spazio" in italian.stderr


def test_a_target_whose_parent_is_a_file_is_a_usage_error(prepared, tmp_path):
    source, home = prepared
    root = Path(shutil.copytree(source, tmp_path / "net"))
    (tmp_path / "a-file").write_text("x")
    done = run_welfarectl("-C", root, "report", "-o", tmp_path / "a-file" / "report", home=home)
    assert done.exit_code == 2 and "a-file" in done.stderr


def test_a_booklet_worker_that_cannot_write_is_reported_in_the_runs_language(prepared, tmp_path, monkeypatch):
    source, home = prepared
    root = Path(shutil.copytree(source, tmp_path / "net"))
    Fault("write", errno.ENOSPC).install(monkeypatch)  # in the worker processes too: they are forked
    done = run_welfarectl("-C", root, "--lang", "it", "booklet", "--all-companies", home=home)
    assert done.exit_code == 1 and "impossibile scrivere" in done.stderr and "spazio esaurito sul disco" in done.stderr
    assert not (root / "output" / "booklet").exists() or list((root / "output" / "booklet").iterdir()) == []


@pytest.mark.parametrize("nth", [1, 2, 3])  # the public key, the private key, the `current` file
def test_a_key_that_cannot_be_made_whole_leaves_no_half_of_it(prepared, tmp_path, monkeypatch, nth):
    source, _ = prepared
    root = Path(shutil.copytree(source, tmp_path / "net"))
    shutil.rmtree(root / "catalogue" / "keys")
    home = tmp_path / "home"  # a user without the network's key: the first signing command makes one
    before = snapshot(root)
    Fault("write", errno.ENOSPC, nth).install(monkeypatch)
    done = run_welfarectl("-C", root, "cards", "revocations", home=home)
    monkeypatch.undo()
    assert done.exit_code == 1 and "No space left on device" in done.stderr, done.output
    assert snapshot(root) == before
    cache = home / "home" / ".cache"  # where the registry read may be remembered: no key goes there
    assert [p for p in home.rglob("*") if p.is_file() and not p.is_relative_to(cache)] == []  # no private key either
    assert run_welfarectl("-C", root, "cards", "revocations", home=home).exit_code == 0  # nothing in the way
