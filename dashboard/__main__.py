"""make dashboard: the managers' page for one period, as HTML and a one-page PDF.

    python -m dashboard --warehouse dm_roi.duckdb --out-dir reports/dashboard [--period 2026-09|2026-W40|week]

Writes OUT_DIR/dashboard.html (self-contained) and OUT_DIR/dashboard.pdf;
exits 1 when the period is not in the scorecard or the PDF is not one page.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

from dashboard import data, pdf
from dashboard.page import Settings, collect, render
from dashboard.periods import parse_period

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Print scales tried in turn until the PDF is one page (a long flow name or sentence can push
# the printed page onto a second sheet; the screen layout never changes).
PRINT_SCALES = (1.0, 0.92, 0.85, 0.78, 0.7, 0.62)
DEFAULT_OUT_DIR = "reports/dashboard"  # relative to the repo root; the executive_dashboard exposure points here
HTML_NAME = "dashboard.html"
PDF_NAME = "dashboard.pdf"


def project_currency(project_file: Path = PROJECT_ROOT / "dbt_project.yml") -> str:
    """The var reporting_currency of dbt_project.yml (the marts' money is in it)."""
    project = yaml.safe_load(project_file.read_text())
    return str((project.get("vars") or {}).get("reporting_currency", "USD"))


def build(
    warehouse: Path, out_dir: Path, period_text: str | None, settings: Settings, with_pdf: bool = True
) -> dict[str, object]:
    """Write the page (and its PDF); returns the period, the paths and the PDF's page count."""
    with data.open_marts(warehouse) as marts:
        latest = data.latest_data_date(marts)
        period = parse_period(period_text, latest)
        context = collect(marts, period, latest, settings)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / HTML_NAME
    result: dict[str, object] = {"period": period, "latest": latest, "html": html_path, "pdf": None, "pages": None}
    for scale in PRINT_SCALES if with_pdf else (1.0,):
        html_path.write_text(render(context, Path(warehouse).name, print_scale=scale), encoding="utf-8")
        if not with_pdf:
            break
        pdf_path = pdf.print_to_pdf(html_path, out_dir / PDF_NAME)
        result.update(pdf=pdf_path, pages=pdf.page_count(pdf_path), print_scale=scale)
        if result["pages"] == 1:
            break
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, default=Path("dm_roi.duckdb"))
    parser.add_argument("--out-dir", type=Path, default=Path(DEFAULT_OUT_DIR))
    parser.add_argument(
        "--period", default="", help="2026-09 (month), 2026-W40 (ISO week), 'week'; default: latest complete month"
    )
    parser.add_argument("--currency", default=None, help="reporting currency (default: dbt_project.yml's var)")
    parser.add_argument("--trend-periods", type=int, default=Settings.trend_periods)
    parser.add_argument("--no-pdf", action="store_true", help="write only the HTML")
    args = parser.parse_args(argv)
    settings = Settings(currency=args.currency or project_currency(), trend_periods=args.trend_periods)
    started = time.perf_counter()
    try:
        result = build(args.warehouse, args.out_dir, args.period, settings, with_pdf=not args.no_pdf)
    except (FileNotFoundError, ValueError, RuntimeError) as error:
        print(f"make dashboard: {error}", file=sys.stderr)
        return 1
    period = result["period"]
    print(f"{period.label} ({period.code}) against the {period.grain} before; data to {result['latest']}")
    print(f"  page: {result['html']}")
    if result["pdf"]:
        print(f"  pdf:  {result['pdf']} ({result['pages']} page(s))")
    print(f"  {time.perf_counter() - started:.1f} s")
    if result["pages"] not in (None, 1):
        print(f"make dashboard: the PDF has {result['pages']} pages, not 1", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
