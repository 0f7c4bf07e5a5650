"""Reading a PDF back as its reader would (poppler-utils: scripts/system-deps.sh installs
them): its text, its number of pages, and page 1 as an image."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def write(content: bytes, folder: Path, name: str = "report.pdf") -> Path:
    assert content.startswith(b"%PDF-"), content[:40]
    path = folder / name
    path.write_bytes(content)
    return path


def text(path: Path) -> str:
    """The PDF's text as laid out (a table row on one line), with single spaces."""
    return " ".join(_run("pdftotext", "-layout", "-enc", "UTF-8", str(path), "-").split())


def pages(path: Path) -> int:
    for line in _run("pdfinfo", str(path)).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


def page_size_mm(path: Path) -> tuple[float, float]:
    for line in _run("pdfinfo", str(path)).splitlines():
        if line.startswith("Page size:"):
            width, height = line.split()[2], line.split()[4]
            return round(float(width) * 25.4 / 72), round(float(height) * 25.4 / 72)
    raise AssertionError("pdfinfo gave no page size")


def inked_share(path: Path, page: int = 1) -> float:
    """The share of page `page`'s pixels that are not (nearly) white, rendered at 40 dpi."""
    stem = path.with_suffix("")
    _run(
        "pdftoppm",
        "-r",
        "40",
        "-f",
        str(page),
        "-l",
        str(page),
        "-png",
        "-singlefile",
        str(path),
        str(stem),
    )
    image = Image.open(f"{stem}.png").convert("L")
    histogram = image.histogram()
    return sum(histogram[:230]) / sum(histogram)


def info(path: Path) -> dict[str, str]:
    """pdfinfo's fields ("Tagged", "PDF version", "Title", ...)."""
    fields = {}
    for line in _run("pdfinfo", str(path)).splitlines():
        name, _sep, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def xmp(path: Path) -> str:
    """The document's XMP metadata (e.g. the PDF/UA identification `pdfuaid:part`)."""
    return _run("pdfinfo", "-meta", str(path))
