"""Reading YAML safely, with the line and column of every value.

PyYAML composes the document into nodes (never constructs objects, so no tag is executed); this
module turns the nodes into plain Python data with its own rules instead of YAML 1.1's:

- plain scalars follow the YAML 1.2 core schema: `NO`, `on`, `3:30` stay text, `true`/`false`
  are booleans, decimal integers and floats are numbers, `null`/`~`/empty are None; a plain
  `YYYY-MM-DD` is a date. Quoted scalars are always text.
- a number or boolean that lands in a text field is read back as the text written (`0123`
  stays "0123"): `Document.plain_text` keeps what was written for every plain scalar.
- duplicate keys, tags other than !!str/!!seq/!!map, and documents that expand past a size
  limit through aliases (an "alias bomb") are problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from welfarectl.base.problems import Location, Problem, os_reason, problem

Path_ = tuple[str | int, ...]

# An alias bomb multiplies values; no catalogue comes near this many.
MAX_VALUES = 200_000
MAX_DEPTH = 64

_PLAIN = "tag:welfarectl:plain"
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class _PlainResolver(yaml.resolver.BaseResolver):
    """Tags every untagged plain scalar as plain, so that this module, not YAML 1.1, decides."""

    yaml_implicit_resolvers: dict = {}


_PlainResolver.add_implicit_resolver(_PLAIN, re.compile(r".*", re.S), None)

try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

if _CParser is not None:

    class _Loader(_CParser, _PlainResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _PlainResolver.__init__(self)

else:  # pragma: no cover - pure-Python fallback

    class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,  # type: ignore[no-redef]
                  yaml.composer.Composer, _PlainResolver):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _PlainResolver.__init__(self)


@dataclass
class Document:
    """A YAML file read into plain data, with where each value and key stands."""

    file: str
    data: object = None
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # path -> (line, column), 1-based
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # path of a mapping entry -> its key
    plain_text: dict[Path_, str] = field(default_factory=dict)  # path -> text of a plain non-text scalar

    def locate(self, path: Path_, *, key: bool = False) -> Location:
        """The location of the value at `path` (or its key), falling back to the nearest parent."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return Location(self.file, *table[path])
            if key and path in self.values:
                return Location(self.file, *self.values[path])
            path = path[:-1]
        line, column = self.values.get((), (1, 1))
        return Location(self.file, line, column)


def read_yaml_file(root: Path, name: str, *, required: bool = True) -> tuple[Document | None, list[Problem]]:
    """Read the YAML file `name` (relative to `root`): a missing file is `missing-file` when it is
    required and nothing otherwise; a file the system will not read is `file-unreadable`."""
    try:
        raw = (root / name).read_bytes()
    except FileNotFoundError:
        return None, [problem("missing-file", Location(name), name=name)] if required else []
    except OSError as exc:
        return None, [problem("file-unreadable", Location(name), **os_reason(exc))]
    return read_yaml(raw, name)


def read_yaml(raw: bytes, file: str) -> tuple[Document | None, list[Problem]]:
    """Parse `raw` (the file's bytes) into a Document, or return the problems that prevent it."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark is harmless: editors on Windows add it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [problem("yaml-encoding", Location(file, line, column), byte=f"{raw[exc.start]:02X}")]
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, file, text)]
    except yaml.YAMLError as exc:
        detail = str(exc).splitlines()[0]
        return None, [problem("yaml-syntax", Location(file, 1, 1), detail=detail, detail_it=_syntax_in_italian(detail))]
    doc = Document(file)
    if node is None:
        return doc, []
    builder = _Builder(doc)
    if not builder.within_size(node):
        return None, [problem("yaml-too-complex", _mark(file, node))]
    doc.data = builder.build(node, ())
    return doc, builder.problems


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[: max(column, 1)] or "\t" in (exc.problem or "") or "'\\t'" in (exc.problem or ""):
        tab = here.find("\t")
        return problem("yaml-tab", Location(file, line, tab + 1 if tab >= 0 else column))
    detail = exc.problem or "invalid YAML"
    detail_it = _syntax_in_italian(detail)
    if exc.context:
        detail = f"{detail} ({exc.context})"
        detail_it = f"{detail_it} ({_syntax_in_italian(exc.context)})"
    return problem("yaml-syntax", Location(file, line, column), detail=detail, detail_it=detail_it)


# The parser's (libyaml's) most common words, in Italian; any other is quoted as it is.
_SYNTAX_IT = {
    "invalid YAML": "YAML non valido",
    "a key must be plain text": "una chiave deve essere testo semplice",
    "found unexpected end of stream": "il file finisce prima del previsto",
    "mapping values are not allowed in this context": "qui non è ammessa una coppia chiave: valore",
    "mapping values are not allowed here": "qui non è ammessa una coppia chiave: valore",
    "did not find expected key": "manca la chiave attesa (controlla il rientro)",
    "did not find expected '-' indicator": "manca il '-' atteso (controlla il rientro)",
    "did not find expected ',' or ']'": "manca una ',' o la ']' di chiusura",
    "did not find expected ',' or '}'": "manca una ',' o la '}' di chiusura",
    "could not find expected ':'": "manca il ':' atteso",
    "did not find expected node content": "manca il valore atteso",
    "found character that cannot start any token": "un carattere che non può iniziare un valore (metti il valore tra virgolette)",
    "found undefined alias": "alias non definito",
    "found unknown escape character": "sequenza di escape sconosciuta (usa \\\\ per una barra rovesciata)",
    "found unknown directive name": "direttiva sconosciuta",
    "but found another document": "il file contiene un secondo documento",
    "second occurrence": "seconda occorrenza",
    "while scanning a quoted scalar": "in un testo tra virgolette",
    "while parsing a quoted scalar": "in un testo tra virgolette",
    "while scanning a simple key": "in una chiave",
    "while scanning a plain scalar": "in un valore",
    "while scanning a block scalar": "in un testo su più righe",
    "while scanning an alias": "in un alias",
    "while scanning an anchor": "in un'ancora",
    "while scanning a tag": "in un tag",
    "while scanning a directive": "in una direttiva",
    "while scanning for the next token": "cercando il valore successivo",
    "while parsing a block mapping": "in una mappa",
    "while parsing a flow mapping": "in una mappa tra { }",
    "while parsing a block collection": "in un elenco",
    "while parsing a flow sequence": "in un elenco tra [ ]",
    "while parsing a block node": "in un valore",
    "while parsing a flow node": "in un valore",
    "while parsing a node": "in un valore",
    "expected a single document in the stream": "ne è ammesso uno solo",
    "found duplicate anchor; first occurrence": "àncora duplicata; prima occorrenza",
}
_CONTROL_CHARACTER = re.compile(r"unacceptable character (#x[0-9a-fA-F]+): control characters are not allowed\Z")


def _syntax_in_italian(words: str) -> str:
    """The parser's `words` in Italian, or quoted as they are when there is no translation."""
    if words in _SYNTAX_IT:
        return _SYNTAX_IT[words]
    if found := _CONTROL_CHARACTER.match(words):
        return f"il carattere di controllo {found[1]} non è ammesso"
    return f"il parser dice «{words}»"


def _mark(file: str, node: Node) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def within_size(self, root: Node) -> bool:
        """Count the values the document expands to, sharing work across aliases; refuse cycles."""
        sizes: dict[int, int] = {}
        visiting: set[int] = set()

        def size(node: Node, depth: int) -> int:
            key = id(node)
            if key in sizes:
                return sizes[key]
            if key in visiting or depth > MAX_DEPTH:
                return MAX_VALUES + 1
            visiting.add(key)
            total = 1
            if isinstance(node, SequenceNode):
                for child in node.value:
                    total += size(child, depth + 1)
                    if total > MAX_VALUES:
                        break
            elif isinstance(node, MappingNode):
                for k, v in node.value:
                    total += size(k, depth + 1) + size(v, depth + 1)
                    if total > MAX_VALUES:
                        break
            visiting.discard(key)
            sizes[key] = total
            return total

        return size(root, 0) <= MAX_VALUES

    def build(self, node: Node, path: Path_) -> object:
        doc = self.doc
        doc.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        tag = node.tag
        if isinstance(node, ScalarNode):
            if tag == _PLAIN:
                value = _resolve_plain(node.value)
                if not isinstance(value, str) and value is not None:
                    doc.plain_text[path] = node.value
                return value
            if tag != _STR:
                self.problems.append(problem("yaml-unsupported-tag", _mark(doc.file, node), tag=_short_tag(tag)))
                return None
            return node.value
        if isinstance(node, SequenceNode):
            if tag != _SEQ:
                self.problems.append(problem("yaml-unsupported-tag", _mark(doc.file, node), tag=_short_tag(tag)))
                return None
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if tag != _MAP:
            self.problems.append(problem("yaml-unsupported-tag", _mark(doc.file, node), tag=_short_tag(tag)))
            return None
        result: dict[str, object] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (_PLAIN, _STR):
                self.problems.append(problem("yaml-syntax", _mark(doc.file, key_node), detail="a key must be plain text",
                                             detail_it=_SYNTAX_IT["a key must be plain text"]))
                continue
            key = key_node.value
            if key in first_seen:
                self.problems.append(problem("yaml-duplicate-key", _mark(doc.file, key_node),
                                             key=key, first_line=first_seen[key]))
                continue
            first_seen[key] = key_node.start_mark.line + 1
            doc.keys[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key))
        return result


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _resolve_plain(text: str) -> object:
    """YAML 1.2 core schema, plus ISO dates; everything else is the text written."""
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if text.lower() in _SPECIAL_FLOAT:
        return _SPECIAL_FLOAT[text.lower()]
    if _DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text
