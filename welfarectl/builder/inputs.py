"""What each build target is made from: the network's files whose bytes its outputs depend on,
found and hashed without loading the network, so that a build with nothing to do answers in a
fraction of a second (loading and checking the sample network takes about one).

The rule for every target: a file whose change can change the target's bytes is one of its inputs.
- cards: network.yaml (the network's id, card settings, fallback fonts), organisations.yaml (the
  companies' names on the cards), the employee workbooks, the card registry, the public keys, the
  card layouts and the fallback fonts network.yaml names;
- booklet: network.yaml, organisations.yaml, the services and the Italian booklet templates;
- report: the whole catalogue, the employee workbooks, the survey and the card registry;
- verifier: network.yaml, the public keys and the card registry.
welfarectl's own version stands for what ships inside it (fonts, the default booklet templates,
the verifier page's code).

The card registry is digested as the cards it describes (number, company, holder, dates, status,
printed), with the problems found reading it, rather than as bytes: its lines name holders by
pseudonyms made with a random key of each holder's own (cards/holders.py), so two networks with the
same cards have different registry files, and two clean builds must still record the same manifest.
Any edit that changes a card, or that breaks the chain, changes the digest.

The paths are written out here rather than imported from the loaders, whose modules pull in
pydantic and ReportLab; tests/test_build.py keeps the two in step.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

TARGETS = ("cards", "booklet", "report", "verifier")  # also the order they are built in

NETWORK_FILE = "catalogue/network.yaml"
ORGANISATIONS_FILE = "catalogue/organisations.yaml"
SERVICES_FILE = "catalogue/services.yaml"
SERVICES_DIR = "catalogue/services"
WORKSHOPS_FILE = "catalogue/workshops.yaml"
KEYS_DIR = "catalogue/keys"
SURVEY_FILE = "members/survey.xlsx"
CARD_LAYOUTS = ("templates/card-front.yaml", "templates/card-back.yaml")
BOOKLET_TEMPLATES = "templates/booklet/it"
REGISTRY_FILES = ("members/cards.head", "members/cards.jsonl", "members/holders.jsonl")

# The settings a build makes its outputs with (they are recorded with the options)
CARDS_SHEET = "a4"
LANG = "it"  # the booklet's and the report's
MAX_AGE = 7  # days: the verifier page warns when its revocation list is older


@dataclass(frozen=True)
class Sources:
    """A target's inputs and templates (paths relative to the network, each with its sha256), and
    the digest of the card registry's cards when the target reads the registry."""

    inputs: tuple[tuple[str, str], ...]
    templates: tuple[tuple[str, str], ...]
    registry: str | None

    def as_json(self) -> dict:
        listed = {"inputs": [{"path": path, "sha256": sha} for path, sha in self.inputs],
                  "templates": [{"path": path, "sha256": sha} for path, sha in self.templates]}
        if self.registry is not None:
            listed["registry"] = {"files": list(REGISTRY_FILES), "cards_sha256": self.registry}
        return listed


def sources_of(root: Path, targets, cache_dir: Path | None = None) -> dict[str, Sources]:
    """The files each of `targets` is made from in the network `root`, as they are now (the
    registry, which three targets read, digested once; from `cache_dir` if remembered there)."""
    digest: list[str] = []

    def registry() -> str:
        if not digest:
            digest.append(registry_digest(root, cache_dir))
        return digest[0]

    return {target: _sources(root, target, registry) for target in targets}


def _sources(root: Path, target: str, registry) -> Sources:
    catalogue = _existing(root, [NETWORK_FILE, ORGANISATIONS_FILE])
    if target == "cards":
        paths = catalogue + _existing(root, [*_workbooks(root), *_listed_fonts(root)]) + _key_files(root)
        return Sources(_hashed(root, paths), _hashed(root, _existing(root, CARD_LAYOUTS)), registry())
    if target == "booklet":
        paths = catalogue + _service_files(root)
        return Sources(_hashed(root, paths), _hashed(root, _files_under(root, BOOKLET_TEMPLATES)), None)
    if target == "report":
        paths = catalogue + _service_files(root) + _existing(root, [WORKSHOPS_FILE, *_workbooks(root), SURVEY_FILE])
        return Sources(_hashed(root, paths), (), registry())
    if target == "verifier":
        return Sources(_hashed(root, _existing(root, [NETWORK_FILE]) + _key_files(root)), (), registry())
    raise ValueError(f"unknown build target {target!r}")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def registry_digest(root: Path, cache_dir: Path | None = None) -> str:
    """The sha256 of the registry's cards as the renderers see them, and of its problems."""
    from welfarectl.cards.registryread import read_registry
    from welfarectl.pipeline import registry_cache

    registry, problems = read_registry(root, registry_cache(root, cache_dir))
    cards = [[card.number, card.company, card.holder, card.issued.isoformat(), card.expires.isoformat(), card.replaces,
              card.revoked_on.isoformat() if card.revoked_on else None, card.reason, card.replaced_by, card.printed]
             for _, card in sorted(registry.cards.items())]
    found = sorted(f"{p.location}: {p.code}: {p.message()}" for p in problems)
    return hashlib.sha256(json.dumps([cards, found], ensure_ascii=False).encode("utf-8")).hexdigest()


def current_key_id(root: Path) -> str | None:
    """The key id catalogue/keys/current names (the key the cards and the page are signed with)."""
    try:
        return (root / KEYS_DIR / "current").read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def _hashed(root: Path, paths: list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((path, file_sha256(root / path)) for path in sorted(set(paths)))


def _existing(root: Path, paths) -> list[str]:
    return [path for path in paths if (root / path).is_file()]


def _files_under(root: Path, directory: str) -> list[str]:
    """Every file under `directory`, hidden ones (editors' swap files) left out."""
    base = root / directory
    if not base.is_dir():
        return []
    return [path.relative_to(root).as_posix() for path in base.rglob("*")
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(base).parts)]


def _service_files(root: Path) -> list[str]:
    split = root / SERVICES_DIR
    return _existing(root, [SERVICES_FILE]) + ([f"{SERVICES_DIR}/{path.name}" for path in split.glob("*.yaml")]
                                               if split.is_dir() else [])


def _key_files(root: Path) -> list[str]:
    return [path for path in _files_under(root, KEYS_DIR) if path.count("/") == KEYS_DIR.count("/") + 1]


def _workbooks(root: Path) -> list[str]:
    from welfarectl.network.members import list_workbooks

    return [path.relative_to(root).as_posix() for path in list_workbooks(root)]


def _listed_fonts(root: Path) -> list[str]:
    """The fallback font files network.yaml names (`card: fallback_fonts`), as written there;
    none when the file cannot be read (it is an input itself, and `validate` says what is wrong)."""
    import yaml

    try:
        settings = yaml.safe_load((root / NETWORK_FILE).read_text(encoding="utf-8"))
        fonts = settings["card"]["fallback_fonts"]
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError):
        return []
    if not isinstance(fonts, list):
        return []
    return [font for font in fonts if isinstance(font, str) and _inside(root, font)]


def _inside(root: Path, relative: str) -> bool:
    """Whether `relative` names a file inside the network (a font listed elsewhere is refused by
    `validate`; the build does not hash files outside the network)."""
    try:
        return (root / relative).resolve().is_relative_to(root.resolve()) and Path(relative).as_posix() == relative
    except (OSError, ValueError):
        return False
