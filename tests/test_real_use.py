"""Findings from a new user's first week (issue "Real use"), each with a real file or command."""

import json
import shutil
from pathlib import Path

import pytest
from cardkeys import signing_key
from cryptography.hazmat.primitives import serialization
from typer.testing import CliRunner

from welfarectl.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
COMPANY = "acetaia-il-cortile-antico"


@pytest.fixture
def env(tmp_path: Path) -> dict:
    key = tmp_path / "signing.key"
    key.write_bytes(signing_key(6).private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    key.chmod(0o600)
    return {"SOURCE_DATE_EPOCH": "1795651200", "LANG": "C", "LC_ALL": "", "WELFARECTL_SIGNING_KEY": str(key),
            "XDG_CONFIG_HOME": str(tmp_path / "config")}


@pytest.fixture
def net(tmp_path: Path) -> Path:
    root = tmp_path / "net"
    shutil.copytree(ROOT / "catalogue", root / "catalogue", ignore=shutil.ignore_patterns("keys"))
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "members").mkdir()
    shutil.copy(ROOT / "members" / f"{COMPANY}.xlsx", root / "members")
    return root


def welfarectl(net: Path, env: dict, *args: str):
    return CliRunner().invoke(app, ["-C", str(net), *args], env=env)


def problems(net: Path, env: dict) -> list[tuple[str, object]]:
    done = welfarectl(net, env, "validate", "--format", "json")
    return [(p["code"], p["line"]) for p in json.loads(done.stdout)["problems"]]


# --- files as they travel -------------------------------------------------------------------------

def test_a_registry_checked_out_with_windows_line_endings_is_the_same_registry(net, env):
    assert welfarectl(net, env, "cards", "issue").exit_code == 0
    ledger, head = net / "members" / "cards.jsonl", net / "members" / "cards.head"
    ledger.write_bytes(ledger.read_bytes().replace(b"\n", b"\r\n"))
    head.write_bytes(head.read_bytes().replace(b"\n", b"\r\n"))
    assert [code for code, _ in problems(net, env) if code.startswith("registry")] == []
    done = welfarectl(net, env, "cards", "revoke", "1000 0004", "--reason", "lost")
    assert done.exit_code == 0, done.output
    assert b"\r" not in ledger.read_bytes()  # written back with LF
    assert [code for code, _ in problems(net, env) if code.startswith("registry")] == []


def test_init_keeps_git_away_from_the_registrys_bytes(tmp_path):
    done = CliRunner().invoke(app, ["init", str(tmp_path / "new")])
    assert done.exit_code == 0, done.output
    attributes = (tmp_path / "new" / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert {"members/cards.jsonl -text", "members/cards.head -text"} <= set(attributes)
    assert "members/.cards.lock" in (tmp_path / "new" / ".gitignore").read_text(encoding="utf-8").splitlines()
