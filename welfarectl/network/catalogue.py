"""Loading the catalogue files (catalogue/*.yaml) into typed records, each with its source location.

Each record of a list file is validated on its own, so one bad service does not hide the other
64. Unknown fields are errors (with the closest known field), a number or boolean written where
text is expected is read as the text written, and every pydantic error becomes a problem at the
line and column of the offending value. A record with errors is left out, but its id is kept
(`Catalogue.failed`), so that a reference to it says it has errors rather than that it does not
exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from welfarectl.base.problems import Location, Problem, problem, suggestion
from welfarectl.sources.records import validate, wrong_type
from welfarectl.sources.yamldoc import Document, Path_, read_yaml_file

from . import models

NETWORK_FILE = "catalogue/network.yaml"
LIST_FILES = {  # kind -> (file, top-level key, item model, required)
    "organisations": ("catalogue/organisations.yaml", "organisations", models.Organisation, True),
    "services": ("catalogue/services.yaml", "services", models.Service, True),
    "workshops": ("catalogue/workshops.yaml", "workshops", models.Workshop, False),
}
SERVICES_DIR = "catalogue/services"


@dataclass
class Catalogue:
    network: models.NetworkFile | None = None
    organisations: list[models.Organisation] = field(default_factory=list)
    services: list[models.Service] = field(default_factory=list)
    workshops: list[models.Workshop] = field(default_factory=list)
    sources: dict[int, tuple[Document, Path_]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    # kind -> id -> where the first error of a record left out is: the records that failed to load
    failed: dict[str, dict[str, Location]] = field(default_factory=dict)

    def where(self, record: object, *fields: str | int) -> Location:
        """Location of a record, or of one of its fields, in the file it came from."""
        doc, path = self.sources[id(record)]
        return doc.locate((*path, *fields))


def load_catalogue(root: Path) -> tuple[Catalogue, list[Problem]]:
    cat = Catalogue()
    problems: list[Problem] = []
    doc, found = read_yaml_file(root, NETWORK_FILE, required=True)
    problems += found
    if doc is not None:
        if doc.data is None:
            problems.append(problem("yaml-empty", Location(NETWORK_FILE, 1, 1), key="id"))
        else:
            cat.network, found = validate(models.NetworkFile, doc.data, doc, ())
            problems += found
            if cat.network is not None:
                cat.sources[id(cat.network)] = (doc, ())
    for kind, (file, key, model, required) in LIST_FILES.items():
        files = [file]
        if kind == "services" and (root / SERVICES_DIR).is_dir():
            split = sorted(p.relative_to(root).as_posix() for p in (root / SERVICES_DIR).glob("*.yaml"))
            files = ([file] if (root / file).exists() else []) + split
            required = False
        for name in files:
            doc, found = read_yaml_file(root, name, required=required)
            problems += found
            if doc is None:
                continue
            records, failed, found = _load_list(doc, key, model)
            problems += found
            for record_id, where in failed:
                cat.failed.setdefault(kind, {}).setdefault(record_id, where)
            for index, record in records:
                getattr(cat, kind).append(record)
                cat.sources[id(record)] = (doc, (key, index))
    return cat, problems


def _load_list(doc: Document, key: str, model: type[BaseModel]
               ) -> tuple[list, list[tuple[str, Location]], list[Problem]]:
    """Validate a list file record by record; returns [(index, record)], [(id, where its first
    error is)] of the records left out that have an id, and the problems."""
    data = doc.data
    if data is None:
        return [], [], [problem("yaml-empty", Location(doc.file, 1, 1), key=key)]
    if not isinstance(data, dict):
        return [], [], [wrong_type(doc, (), key, data, "dict_type")]
    problems = [
        problem("unknown-field", doc.locate((name,), key=True), field=name, **suggestion(name, [key]))
        for name in data if name != key
    ]
    items = data.get(key)
    if key not in data:
        return [], [], [*problems, problem("missing-field", doc.locate(()), field=key)]
    if items is None:
        return [], [], problems
    if not isinstance(items, list):
        return [], [], [*problems, wrong_type(doc, (key,), key, items, "list_type")]
    records, failed = [], []
    for i, item in enumerate(items):
        record_id = item.get("id") if isinstance(item, dict) else None  # before validate drops unknown keys
        record, found = validate(model, item, doc, (key, i))
        problems += found
        if record is not None:
            records.append((i, record))
        elif isinstance(record_id, str):
            errors = [p.location for p in found if p.severity == "error"]
            failed.append((record_id, min(errors, key=Location.sort_key) if errors else doc.locate((key, i))))
    return records, failed, problems
