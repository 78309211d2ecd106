"""PDF pages as a printer and a phone see them: a page rendered to pixels (pdfium), every QR code
on it decoded (ZXing), every font the PDF uses and whether it is embedded (pypdf). All of them
come with the test dependencies.

The print shop's own tools (poppler's pdftoppm and pdffonts, zbar's zbarimg) make extra,
independent checks where they are installed; where they are not, those tests are skipped and
say so."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image  # Pillow comes with ReportLab, a dependency of welfarectl
from pypdf import PdfReader


def render_page(pdf: Path | bytes, page: int = 0, *, dpi: int, grey: bool = True) -> Image.Image:
    """Page `page` (from 0) of a PDF file or bytes, rendered at `dpi`: greyscale, or RGB."""
    document = pypdfium2.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        bitmap = document[page].render(scale=dpi / 72, grayscale=grey)
        return bitmap.to_pil().convert("L" if grey else "RGB")  # a copy: the bitmap's memory goes with the document
    finally:
        document.close()


def read_qr_codes(image: Image.Image) -> list[str]:
    """The text of every QR code ZXing finds on the image, top to bottom."""
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in sorted(found, key=lambda code: (code.position.top_left.y, code.position.top_left.x))]


def fonts(pdf: Path | bytes) -> list[tuple[str, bool]]:
    """(name, embedded) for every font object the pages and their forms use, once each, as
    pdffonts lists them: embedded when its descriptor carries a font file."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    seen: dict[object, tuple[str, bool]] = {}

    def visit(resources) -> None:
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            for descendant in font.get("/DescendantFonts") or []:  # a composite font's glyphs are its descendant's
                descriptor = descendant.get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            seen.setdefault(getattr(ref, "idnum", id(font)), (str(font["/BaseFont"]).lstrip("/"), embedded))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                visit(xobject["/Resources"].get_object())

    for page in reader.pages:
        visit(page["/Resources"].get_object())
    return list(seen.values())


PACKAGES = {"pdftoppm": "poppler-utils", "pdffonts": "poppler-utils", "zbarimg": "zbar-tools"}  # Debian's


def installed(*tools: str) -> list[str]:
    """The paths of the print shop's tools, or skip the test that needs them, saying which are missing."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        packages = ", ".join(sorted({PACKAGES[tool] for tool in missing}))
        pytest.skip(f"{' and '.join(missing)} not installed ({packages}; `.ci/run` installs them): "
                    "this extra, independent check did not run")
    return [shutil.which(tool) for tool in tools]


def run_tool(*args: str) -> str:
    """A tool's standard output; a tool that fails fails the test."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{args[0]} failed: {done.stderr}"
    return done.stdout


def zbarimg_on_page_one(pdf: Path, workdir: Path, *, dpi: int = 300) -> list[str]:
    """Every QR code zbarimg reads on page 1 as poppler's pdftoppm renders it: a print shop's
    renderer and a provider's counter scanner, neither of them the ones the other tests use."""
    pdftoppm, zbarimg = installed("pdftoppm", "zbarimg")
    run_tool(pdftoppm, "-r", str(dpi), "-gray", "-f", "1", "-l", "1", str(pdf), str(workdir / "page"))
    page = next(workdir.glob("page*.pgm"))  # PGM: no PNG compression to pay for, the same pixels
    return [line for line in run_tool(zbarimg, "--raw", "-q", str(page)).splitlines() if line]


def pdffonts(pdf: Path) -> list[tuple[str, bool]]:
    """(name, embedded) for every font poppler's pdffonts lists."""
    (pdffonts,) = installed("pdffonts")
    lines = run_tool(pdffonts, str(pdf)).splitlines()[2:]
    return [(line.split()[0], line.split()[-5] == "yes") for line in lines]
