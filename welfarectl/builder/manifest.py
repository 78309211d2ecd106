"""output/manifest.json: what the last build made, and from what, target by target.

    {"manifest": 1, "welfarectl": "0.1.0", "targets": {"booklet": {
        "fingerprint": "<sha256>", "options": {"lang": "it", ...},
        "inputs": [{"path": "catalogue/services.yaml", "sha256": "..."}, ...],
        "templates": [{"path": "templates/booklet/it/cover.j2", "sha256": "..."}, ...],
        "registry": {"files": [...], "cards_sha256": "..."},          (targets that read it)
        "outputs": [{"path": "output/booklet/booklet-it.pdf", "sha256": "...", "size": 123456}, ...]}}}

Paths are relative to the network directory; keys are sorted and nothing in it is a time, so two
clean builds of the same network on the same day, with the same key, write the same bytes. A
target's fingerprint is the sha256 of its inputs, templates, registry digest, options and the
welfarectl version: a target is up to date when its recorded fingerprint is the one its files give
now and every output it recorded is there with the recorded sha256.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from welfarectl.base.output import write_bytes_atomic

from .inputs import Sources, file_sha256

MANIFEST_FILE = "output/manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class Reason:
    """Why a target is stale: `kind` is one of never-built, input, template, registry, options,
    version, output-missing, output-changed; `path` the file (or option) concerned."""

    kind: str
    path: str = ""


def version() -> str:
    from welfarectl import __version__

    return __version__


def fingerprint(target: str, sources: Sources, options: dict) -> str:
    """The sha256 of everything that decides the target's bytes."""
    described = {"target": target, "welfarectl": version(), "options": options, **sources.as_json()}
    return hashlib.sha256(json.dumps(described, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def record(root: Path, target: str, sources: Sources, options: dict, outputs: list[Path]) -> dict:
    """The manifest's entry for a target just built: its sources, options and outputs as they are."""
    written = []
    for path in sorted(set(outputs)):
        written.append({"path": relative(root, path), "sha256": file_sha256(path), "size": path.stat().st_size})
    written.sort(key=lambda output: output["path"])
    return {"fingerprint": fingerprint(target, sources, options), "options": options, **sources.as_json(),
            "outputs": written}


def relative(root: Path, path: Path) -> str:
    """`path` relative to the network directory, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_manifest(root: Path) -> dict[str, dict]:
    """The targets the last build recorded; none when there is no manifest, or one this version
    cannot read (then everything is rebuilt: a manifest is never trusted beyond what it says)."""
    try:
        data = json.loads((root / MANIFEST_FILE).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("manifest") != FORMAT or not isinstance(data.get("targets"), dict):
        return {}
    return {name: entry for name, entry in data["targets"].items() if isinstance(entry, dict)}


def write_manifest(root: Path, targets: dict[str, dict]) -> Path:
    """Write the manifest whole, atomically: sorted keys, no time in it."""
    data = {"manifest": FORMAT, "welfarectl": version(), "targets": targets}
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    return write_bytes_atomic(root / MANIFEST_FILE, text.encode("utf-8"))


def stale_reasons(root: Path, target: str, sources: Sources, options: dict, recorded: dict | None) -> list[Reason]:
    """Why `target` must be built again; none when it is up to date."""
    if recorded is None:
        return [Reason("never-built")]
    if recorded.get("fingerprint") == fingerprint(target, sources, options):
        return _output_reasons(root, recorded)
    now = sources.as_json()
    reasons = _changed("input", now["inputs"], recorded.get("inputs"))
    reasons += _changed("template", now["templates"], recorded.get("templates"))
    if now.get("registry") != recorded.get("registry"):
        reasons.append(Reason("registry", "members/cards.jsonl"))
    was = recorded.get("options") if isinstance(recorded.get("options"), dict) else {}
    reasons += [Reason("options", key) for key in sorted(set(options) | set(was)) if options.get(key) != was.get(key)]
    return reasons or [Reason("version", version())]


def _changed(kind: str, now: list[dict], was: object) -> list[Reason]:
    """The files added, removed or changed between two lists of {path, sha256}."""
    before = {item.get("path"): item.get("sha256") for item in was if isinstance(item, dict)} if isinstance(was, list) else {}
    after = {item["path"]: item["sha256"] for item in now}
    return [Reason(kind, path) for path in sorted(set(before) | set(after), key=str) if before.get(path) != after.get(path)]


def _output_reasons(root: Path, recorded: dict) -> list[Reason]:
    """The outputs recorded that are missing or no longer what was written (edited by hand)."""
    reasons = []
    outputs = recorded.get("outputs")
    for output in outputs if isinstance(outputs, list) else [None]:
        if not isinstance(output, dict) or not isinstance(output.get("path"), str):
            return [Reason("never-built")]  # an entry this version did not write
        path = root / output["path"]
        if not path.is_file():
            reasons.append(Reason("output-missing", output["path"]))
        elif path.stat().st_size != output.get("size") or file_sha256(path) != output.get("sha256"):
            reasons.append(Reason("output-changed", output["path"]))
    return reasons
