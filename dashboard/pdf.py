"""Print the page to PDF with Debian's headless Chromium (make browser installs it).

Chromium starts with a fresh profile and the flags that keep it off the
network (no background networking, component updates or sync).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# The flags every Chromium of this project starts with (plus a fresh --user-data-dir).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def require_chromium(chromium: Path = CHROMIUM) -> Path:
    if not chromium.is_file():
        raise FileNotFoundError(f"{chromium} not found: `make browser` installs Debian's chromium and chromium-driver")
    return chromium


def print_to_pdf(html: Path, pdf: Path, chromium: Path = CHROMIUM, timeout: float = 120) -> Path:
    """Print html (a file) to pdf; the page's @page rule sets A4 landscape."""
    require_chromium(chromium)
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="dm_roi_chromium_") as profile:
        command = [
            str(chromium),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf.resolve()}",
            html.resolve().as_uri(),
        ]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if not pdf.is_file():
        raise RuntimeError(f"Chromium wrote no PDF (exit {completed.returncode}): {completed.stderr[-2000:]}")
    return pdf


def page_count(pdf: Path) -> int:
    """Page objects in the PDF (Chromium writes them uncompressed: /Type /Page)."""
    return len(PAGE_OBJECT.findall(pdf.read_bytes()))
