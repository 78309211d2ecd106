"""Regenerate the files derived from the code: docs/problems.md, docs/formats.md, docs/report.md
and the sample's JSON Schemas.

    python tools/make_docs.py
"""

from pathlib import Path

from welfarectl.base.output import write_text_atomic
from welfarectl.base.problems import render_catalogue_markdown
from welfarectl.cards.layout import load_layouts
from welfarectl.formats import render_formats
from welfarectl.network.catalogue import load_catalogue
from welfarectl.network.schema import write_schemas
from welfarectl.report.jsonout import render_report_doc

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    write_text_atomic(ROOT / "docs" / "problems.md", render_catalogue_markdown())
    for path in write_schemas(ROOT):
        print(path.relative_to(ROOT))
    print("docs/problems.md")
    catalogue, _ = load_catalogue(ROOT)
    write_text_atomic(ROOT / "docs" / "formats.md", render_formats(catalogue, load_layouts(ROOT)[:2]))
    print("docs/formats.md")
    write_text_atomic(ROOT / "docs" / "report.md", render_report_doc())
    print("docs/report.md")
