"""Loading the catalogue files (catalogue/*.yaml) into typed records, each with its source location.

Each record of a list file is validated on its own, so one bad service does not hide the other
64. Unknown fields become warnings (with the closest known field), a number or boolean written
where text is expected is read as the text written, and every pydantic error becomes a problem
at the line and column of the offending value.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import models
from .problems import Location, Problem, problem
from .yamlsource import Document, Path_, read_yaml

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

    def where(self, record: object, *fields: str | int) -> Location:
        """Location of a record, or of one of its fields, in the file it came from."""
        doc, path = self.sources[id(record)]
        return doc.locate((*path, *fields))


def load_catalogue(root: Path) -> tuple[Catalogue, list[Problem]]:
    cat = Catalogue()
    problems: list[Problem] = []
    doc = _read(root, NETWORK_FILE, required=True, problems=problems)
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
            doc = _read(root, name, required=required, problems=problems)
            if doc is None:
                continue
            records, found = _load_list(doc, key, model)
            problems += found
            for index, record in records:
                getattr(cat, kind).append(record)
                cat.sources[id(record)] = (doc, (key, index))
    return cat, problems


def _read(root: Path, name: str, *, required: bool, problems: list[Problem]) -> Document | None:
    path = root / name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if required:
            problems.append(problem("missing-file", Location(name), name=name))
        return None
    except OSError as exc:
        problems.append(problem("file-unreadable", Location(name), reason=exc.strerror or str(exc)))
        return None
    doc, found = read_yaml(raw, name)
    problems += found
    return doc


def _load_list(doc: Document, key: str, model: type[BaseModel]) -> tuple[list, list[Problem]]:
    """Validate a list file record by record; returns [(index, record)] and the problems."""
    data = doc.data
    if data is None:
        return [], [problem("yaml-empty", Location(doc.file, 1, 1), key=key)]
    if not isinstance(data, dict):
        return [], [_wrong_type(doc, (), key, data, "dict_type")]
    problems = [
        problem("unknown-field", doc.locate((name,), key=True), field=name, **_suggest(name, [key]))
        for name in data if name != key
    ]
    items = data.get(key)
    if key not in data:
        return [], [*problems, problem("missing-field", doc.locate(()), field=key)]
    if items is None:
        return [], problems
    if not isinstance(items, list):
        return [], [*problems, _wrong_type(doc, (key,), key, items, "list_type")]
    records = []
    for i, item in enumerate(items):
        record, found = validate(model, item, doc, (key, i))
        problems += found
        if record is not None:
            records.append((i, record))
    return records, problems


def validate(model: type[BaseModel], data: object, doc: Document, prefix: Path_) -> tuple[BaseModel | None, list[Problem]]:
    """Validate strictly; unknown fields warn and are dropped, plain scalars in text fields are
    read as written; every other error is a problem at the offending value."""
    problems: list[Problem] = []
    for _ in range(8):
        try:
            return model.model_validate(data), problems
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        remaining = []
        for error in errors:
            loc = tuple(error["loc"])
            written = doc.plain_text.get((*prefix, *loc))
            if error["type"] == "extra_forbidden":
                name = str(loc[-1])
                problems.append(problem("unknown-field", doc.locate((*prefix, *loc), key=True), field=name,
                                        **_suggest(name, _fields_at(model, loc[:-1]))))
                _parent(data, loc).pop(loc[-1], None)
            elif error["type"] == "string_type" and written is not None:
                _parent(data, loc)[loc[-1]] = written
            else:
                remaining.append(error)
        if remaining:
            return None, problems + [_problem_from_error(e, doc, prefix) for e in remaining]
    return None, problems  # pragma: no cover - a fixed point is always reached


def _parent(data: object, loc: tuple) -> typing.Any:
    for part in loc[:-1]:
        data = data[part]  # type: ignore[index]
    return data


_EXPECTED = {
    "string_type": ("text", "testo"),
    "int_type": ("a whole number", "un numero intero"),
    "int_from_float": ("a whole number", "un numero intero"),
    "float_type": ("a number", "un numero"),
    "bool_type": ("true or false", "true o false"),
    "date_type": ("a date written YYYY-MM-DD", "una data scritta AAAA-MM-GG"),
    "date_from_datetime_inexact": ("a date written YYYY-MM-DD", "una data scritta AAAA-MM-GG"),
    "list_type": ("a list", "un elenco"),
    "dict_type": ("a mapping of keys and values", "una mappa di chiavi e valori"),
    "model_type": ("a mapping of keys and values", "una mappa di chiavi e valori"),
    "model_attributes_type": ("a mapping of keys and values", "una mappa di chiavi e valori"),
}
_PATTERNS = {
    models.Id.__metadata__[0].pattern: "an id is lower-case letters and digits joined by hyphens, e.g. 'coop-sociale-aurora'",
}


def _problem_from_error(error: dict, doc: Document, prefix: Path_) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    name = _dotted(loc)
    where = doc.locate((*prefix, *loc))
    if kind == "missing":
        return problem("missing-field", doc.locate((*prefix, *loc[:-1])), field=name)
    if kind in _EXPECTED:
        return _wrong_type(doc, (*prefix, *loc), name, error["input"], kind)
    if kind in ("literal_error", "enum"):
        return problem("invalid-choice", where, field=name, value=error["input"], allowed=error["ctx"]["expected"].replace(" or ", ", "))
    if kind == "string_pattern_mismatch":
        detail = _PATTERNS.get(error["ctx"]["pattern"], f"'{error['input']}' does not have the expected form")
        return problem("invalid-value", where, field=name, detail=f"'{error['input']}': {detail}")
    message = error["msg"].removeprefix("Value error, ")
    return problem("invalid-value", where, field=name, detail=message)


def _wrong_type(doc: Document, path: Path_, name: str, value: object, kind: str) -> Problem:
    expected, expected_it = _EXPECTED[kind]
    written = doc.plain_text.get(path)
    if value is None:
        found, found_it = "nothing", "nulla"
    elif isinstance(value, dict):
        found, found_it = "a mapping", "una mappa"
    elif isinstance(value, list):
        found, found_it = "a list", "un elenco"
    elif isinstance(value, str):
        found, found_it = f"the text '{value}'", f"il testo '{value}'"
    else:
        found = found_it = f"'{written if written is not None else value}'"
    return problem("wrong-type", doc.locate(path), field=name, expected=expected, expected_it=expected_it,
                   found=found, found_it=found_it)


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _suggest(name: str, candidates: list[str]) -> dict[str, str]:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if not close:
        return {"suggestion": "", "suggestion_it": ""}
    return {"suggestion": f" (did you mean '{close[0]}'?)", "suggestion_it": f" (forse '{close[0]}'?)"}


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names of the model found by following `loc` through the annotations."""
    annotation: object = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(str(part))
            if info is None:
                return []
            annotation = info.annotation
        elif typing.get_origin(annotation) in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: object) -> object:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation
