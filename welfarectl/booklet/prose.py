"""The booklet's prose: the Jinja templates in templates/booklet/ that coordinators edit.

Each language has three templates, `templates/booklet/<lang>/cover.j2`, `how-to.j2` and
`section.j2` (the introduction of every macro-area's section). They are read and checked in the
pipeline's one load, like every other source: a template that is not valid Jinja, that names a
variable it is not given, or that fails when filled in is a problem at its file and line, and
`validate` lists it. A network without templates/booklet/ uses the ones `welfarectl init` writes.

Templates run in Jinja's sandbox with StrictUndefined (a typo is an error, never an empty
string) and autoescape: the network's own text (a provider called "Bianchi & Figli <Srl>")
reaches the page as written, while the template's own tags (<b>, <i>) are markup. What a template
gives is split into blocks at blank lines: `# ` starts a heading, `- ` a bulleted item, anything
else is a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from welfarectl.base.errors import Refusal
from welfarectl.base.problems import Location, Problem, closest, os_reason, problem

TEMPLATE_DIR = "templates/booklet"
LANGS = ("it", "en")
NAMES = ("cover", "how-to", "section")

# The variables every template is given, with a sample value used to check the templates (and
# documented in docs/formats.md). `area` is given to section.j2 only.
SAMPLE = {
    "network": {"name": "Rete Welfare Aziendale-Territoriale Modena", "short_name": "Rete Welfare Modena",
                "territory": "Modena", "website": "https://www.retewelfaremodena.it",
                "email": "rete@reticolowelfarelab.it", "coordinator": "Reticolo Welfare Lab S.r.l."},
    "period": {"start": "novembre 2017", "end": "dicembre 2019"},
    "company": "Acetaia Il Cortile Antico",
    "services": 65,
    "areas": ["Risparmio", "Conciliazione e tempo liberato"],
    "providers": 40,
}
SAMPLE_AREA = {"name": "Risparmio", "description": "Sconti e prezzi convenzionati su beni e servizi di uso quotidiano.",
               "services": 12}
DESCRIPTIONS = {
    "network": "The network: name, short_name, territory, website, email (empty when it has none), coordinator.",
    "period": "The network's period: start and end, as month and year in words.",
    "company": "The member company of a company edition; empty in the full booklet.",
    "services": "How many services the edition lists.",
    "areas": "The names of the macro-areas, in the network's order.",
    "providers": "How many providers the edition lists.",
    "area": "In section.j2 only: the macro-area (name, description, services: how many it lists).",
}


@dataclass
class Prose:
    """The booklet's templates, compiled: `render(lang, name, **values)` gives its blocks."""

    sources: dict[str, str]  # file (relative to the network) -> template text
    environment: object = field(repr=False, default=None)

    def render(self, lang: str, name: str, values: dict) -> list[tuple[str, str]]:
        """The template's blocks, each (kind, markup): kind is 'heading', 'item' or 'paragraph'.
        Raises TemplateFailed (a refusal naming the file and line) if it cannot be filled in."""
        file = template_file(lang, name)
        text, found = _fill(self.environment, file, values)
        if found is not None:
            raise TemplateFailed(f"{found.location}: {found.message()}", f"{found.location}: {found.message('it')}")
        return blocks(text)


class TemplateFailed(Refusal):
    """A template that passed the checks failed with the network's own values (a branch the
    checks with sample values could not reach): the message names the file and line."""


def template_file(lang: str, name: str) -> str:
    return f"{TEMPLATE_DIR}/{lang}/{name}.j2"


def load_prose(root: Path) -> tuple[Prose | None, list[Problem]]:
    """Read and check the booklet templates of the network in `root` (the shipped defaults when it
    has no templates/booklet/). None when one of them cannot be used."""
    directory = root / TEMPLATE_DIR
    if directory.is_dir():
        sources, problems = _read_dir(root, directory)
    else:
        sources, problems = default_sources(), []
    environment = _environment(sources)
    for lang in LANGS:
        for name in NAMES:
            file = template_file(lang, name)
            if file in sources:
                problems += check_template(environment, file, name)
    if problems:
        return None, problems
    return Prose(sources, environment), []


def default_sources() -> dict[str, str]:
    """The templates `welfarectl init` writes, from the package."""
    skeleton = resources.files("welfarectl") / "skeleton" / "templates" / "booklet"
    return {template_file(lang, name): (skeleton / lang / f"{name}.j2").read_text(encoding="utf-8")
            for lang in LANGS for name in NAMES}


def _read_dir(root: Path, directory: Path) -> tuple[dict[str, str], list[Problem]]:
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    for path in sorted(directory.rglob("*.j2")):
        file = path.relative_to(root).as_posix()
        try:
            sources[file] = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raw = path.read_bytes()
            line = raw.count(b"\n", 0, exc.start) + 1
            problems.append(problem("yaml-encoding", Location(file, line), byte=f"{raw[exc.start]:02X}"))
        except OSError as exc:
            problems.append(problem("file-unreadable", Location(file), **os_reason(exc)))
    for lang in LANGS:
        for name in NAMES:
            file = template_file(lang, name)
            if file not in sources and not any(p.location.file == file for p in problems):
                problems.append(problem("missing-file", Location(file), name=file))
    return sources, problems


def _environment(sources: dict[str, str]):
    from jinja2 import FunctionLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    def load(name: str):
        if name not in sources:
            return None
        return sources[name], name, lambda: True

    return SandboxedEnvironment(loader=FunctionLoader(load), undefined=StrictUndefined, autoescape=True,
                                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)


def sample_values(name: str, company: str) -> dict:
    values = {**SAMPLE, "company": company}
    if name == "section":
        values["area"] = SAMPLE_AREA
    return values


def check_template(environment, file: str, name: str) -> list[Problem]:
    """The template's problems: filled in with the sample values, as a company edition and as the
    full booklet (an `{% if company %}` has two branches), and its text parsed as booklet markup."""
    for company in (SAMPLE["company"], ""):
        text, found = _fill(environment, file, sample_values(name, company))
        if found is not None:
            return [found]
        bad = markup_error(text)
        if bad is not None:
            block, detail = bad
            source = environment.loader.get_source(environment, file)[0]
            return [problem("template-error", Location(file, _line_of(block, source)), detail=detail)]
    return []


def _line_of(block: str, source: str) -> int | None:
    """The line of the template where a block of its text (most likely) comes from: the first
    line with the block's first words."""
    words = re.sub(r"<[^>]*>|&\w+;", " ", block).split()[:3]
    if not words:
        return None
    for number, line in enumerate(source.splitlines(), 1):
        if " ".join(line.split()).find(" ".join(words)) >= 0:
            return number
    return None


def _fill(environment, file: str, values: dict) -> tuple[str, Problem | None]:
    """The template filled in with `values`, or the problem that stops it, at its line."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import TemplateError

    try:
        return environment.get_template(file).render(values), None
    except TemplateSyntaxError as exc:
        where = exc.filename or exc.name or file
        return "", problem("template-syntax", Location(where, exc.lineno), detail=exc.message or str(exc))
    except UndefinedError as exc:
        where, line = _failing_line(exc, file)
        return "", _unknown_variable(Location(where, line), str(exc.message or exc), values)
    except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError) as exc:
        where, line = _failing_line(exc, file)
        return "", problem("template-error", Location(where, line), detail=str(exc) or type(exc).__name__)


def _failing_line(exc: BaseException, file: str) -> tuple[str, int | None]:
    """The template file and line Jinja was running when `exc` was raised: Jinja rewrites the
    traceback so that its frames carry the template's file name and line."""
    found: tuple[str, int | None] = (file, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith(TEMPLATE_DIR + "/"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


_UNDEFINED = (re.compile(r"'([^']+)' is undefined"), re.compile(r"has no attribute '([^']+)'"),
              re.compile(r"has no element '?([^']+)'?"))


def _unknown_variable(where: Location, message: str, values: dict) -> Problem:
    name = next((m[1] for pattern in _UNDEFINED if (m := pattern.search(message))), message)
    known = _known_names(values)
    close = closest(name, known) or closest(name, {path.rpartition(".")[2]: path for path in known})
    if close and "." not in close:
        close = next((path for path in known if path.endswith("." + close)), close)
    suggestion = {"suggestion": f" (did you mean '{close}'?)" if close else "",
                  "suggestion_it": f" (forse '{close}'?)" if close else ""}
    return problem("template-unknown-variable", where, name=name, known=", ".join(known), **suggestion)


def _known_names(values: dict) -> list[str]:
    names: list[str] = []
    for key, value in values.items():
        names += [f"{key}.{sub}" for sub in value] if isinstance(value, dict) else [key]
    return names


# --- the text a template gives, as blocks of booklet markup ------------------------------------------
_BARE_AMPERSAND = re.compile(r"&(?!#?\w+;)")


def blocks(text: str) -> list[tuple[str, str]]:
    """Blocks at blank lines: '# ' a heading, '- ' an item (one per line), else a paragraph. A bare
    '&' the template's author wrote is made an entity (values are already escaped)."""
    found: list[tuple[str, str]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("# "):
            found.append(("heading", _BARE_AMPERSAND.sub("&amp;", " ".join(lines)[2:].strip())))
        elif all(line.startswith("- ") for line in lines):
            found += [("item", _BARE_AMPERSAND.sub("&amp;", line[2:].strip())) for line in lines]
        else:
            found.append(("paragraph", _BARE_AMPERSAND.sub("&amp;", " ".join(lines))))
    return found


def markup_error(text: str) -> tuple[str, str] | None:
    """The first block of `text` ReportLab cannot read as paragraph markup, and why; or None."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus.paraparser import ParaParser

    style = ParagraphStyle("check")
    for _, markup in blocks(text):
        try:
            ParaParser().parse(markup, style)
        except ValueError as exc:  # ReportLab's word for markup it cannot read
            said = [line for line in str(exc).splitlines() if line.strip()]
            return markup, said[-1] if said else f"cannot read {markup[:60]!r}"
    return None
