"""Validating records read from YAML: strict pydantic models, each problem at its line and column.

`validate` checks one record (a service, an organisation, a layout element) on its own, so one bad
record does not hide the others. Unknown fields are errors naming the closest known field (the
record is still read without them, so that what refers to it is checked); a number or boolean
written where text is expected is read as the text written (`0123` stays "0123"); every other
pydantic error becomes a problem at the offending value. A text with a pattern is declared with
`pattern()`, which gives the form in words and an example for the message of a value without it.
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from welfarectl.base.problems import Problem, problem, suggestion

from .yamldoc import Document, Path_

# pattern -> what a value of that form looks like, in English and Italian, with an example
_PATTERNS: dict[str, tuple[str, str]] = {}


def pattern(regex: str, form: str, form_it: str, **constraints: int) -> object:
    """A text type that must match `regex`; `form` and `form_it` say in words, with an example, what
    such a value looks like, for the message of a value that does not."""
    _PATTERNS[regex] = (form, form_it)
    return Annotated[str, StringConstraints(pattern=regex, **constraints)]


def pattern_form(regex: str) -> tuple[str, str] | None:
    """The words `pattern()` was given for `regex`, if any."""
    return _PATTERNS.get(regex)


Id = pattern(r"^[a-z0-9]+(-[a-z0-9]+)*$",
             "an id is lower-case letters and digits joined by hyphens, e.g. 'coop-sociale-aurora'",
             "un identificativo è fatto di lettere minuscole e cifre unite da trattini, per esempio "
             "'coop-sociale-aurora'", max_length=64)
Text = Annotated[str, StringConstraints(min_length=1)]


class Record(BaseModel):
    """A record as read from a file: strict (no silent coercion: `"10"` is not a number, `1` is not
    text), frozen, and closed to unknown fields."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")


def validate(model: type[BaseModel], data: object, doc: Document, prefix: Path_) -> tuple[BaseModel | None, list[Problem]]:
    """Validate strictly; unknown fields are errors and are dropped (the record is kept if nothing
    else is wrong), plain scalars in text fields are read as written; every other error is a
    problem at the offending value."""
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
                                        **suggestion(name, _fields_at(model, loc[:-1]))))
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
# pydantic's constraint errors (its message stays the English one), in Italian from their context
_CONSTRAINTS_IT = {
    "greater_than": "deve essere maggiore di {gt}",
    "greater_than_equal": "deve essere maggiore o uguale a {ge}",
    "less_than": "deve essere minore di {lt}",
    "less_than_equal": "deve essere minore o uguale a {le}",
    "string_too_short": "deve avere almeno {min_length} caratteri",
    "string_too_long": "deve avere al massimo {max_length} caratteri",
    "too_short": "deve avere almeno {min_length} elementi",
    "too_long": "deve avere al massimo {max_length} elementi",
    "finite_number": "deve essere un numero finito",
}
# The rules the models check themselves (model validators), in Italian
_RULES_IT = [
    (re.compile(r"a (\S+) benefit needs '(\w+)'\Z"), "un beneficio {0} richiede '{1}'"),
]


def _problem_from_error(error: dict, doc: Document, prefix: Path_) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    name = _dotted(loc)
    where = doc.locate((*prefix, *loc))
    if kind == "missing":
        return problem("missing-field", doc.locate((*prefix, *loc[:-1])), field=name)
    if kind in _EXPECTED:
        return wrong_type(doc, (*prefix, *loc), name, error["input"], kind)
    if kind in ("literal_error", "enum"):
        allowed = error["ctx"]["expected"].replace(" or ", ", ")
        return problem("invalid-choice", where, field=name, value=_as_written(error["input"]), allowed=allowed,
                       allowed_it=allowed)
    if kind == "string_pattern_mismatch":
        regex = error["ctx"]["pattern"]
        detail, detail_it = _PATTERNS.get(regex, (f"it does not have the expected form {regex}",
                                                  f"non ha la forma attesa {regex}"))
        return problem("invalid-value", where, field=name, detail=f"'{error['input']}': {detail}",
                       detail_it=f"'{error['input']}': {detail_it}")
    message = error["msg"].removeprefix("Value error, ")
    return problem("invalid-value", where, field=name, detail=message, detail_it=_in_italian(kind, error.get("ctx", {}), message))


def _as_written(value: object) -> object:
    """A value for a problem's message: as it is when it is a scalar; a list or mapping (which a
    problem cannot hold: problems are hashable, to drop duplicates) as YAML's flow form writes it."""
    if value is None or isinstance(value, str | int | float | bool | date):
        return value
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000).strip()


def _in_italian(kind: str, ctx: dict, message: str) -> str:
    """pydantic's `message` of an error of type `kind` in Italian; pydantic's own words, quoted,
    for the rare error without a translation here."""
    if kind in ("string_too_short", "too_short") and ctx.get("min_length") == 1:
        return "non può essere vuoto"
    if kind in _CONSTRAINTS_IT:
        return _CONSTRAINTS_IT[kind].format(**ctx)
    for rule, italian in _RULES_IT:
        if found := rule.match(message):
            return italian.format(*found.groups())
    return f"valore non valido (pydantic: «{message}»)"


def wrong_type(doc: Document, path: Path_, name: str, value: object, kind: str) -> Problem:
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
