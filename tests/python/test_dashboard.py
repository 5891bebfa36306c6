"""The managers' page (make dashboard): periods, formatting, and the page itself in headless Chromium.

The browser tests open the page built from the shared demo warehouse in
Debian's Chromium through /usr/bin/chromedriver (`make browser` installs
both; Selenium is given both paths, so its driver manager never runs) and
check what a manager sees: every tile shows the scorecard's numbers for the
chosen period, the page loads nothing but file: and data: resources, it
fits a phone's width, and its PDF is one A4 landscape page. A screenshot is
written to reports/test/dashboard.png.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT

# dashboard/ lives at the repo root, like quality/.
sys.path.insert(0, str(PROJECT_ROOT))

from dashboard import data  # noqa: E402
from dashboard.__main__ import DEFAULT_OUT_DIR, HTML_NAME, PDF_NAME, build, project_currency  # noqa: E402
from dashboard.formatting import direction, format_change, format_value, significance_mark  # noqa: E402
from dashboard.page import Settings  # noqa: E402
from dashboard.pdf import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from dashboard.periods import Period, latest_complete, parse_period  # noqa: E402

ARTEFACTS = PROJECT_ROOT / "reports" / "test"
CURRENCY = project_currency()


# --- periods and formatting (no warehouse) -------------------------------------


def test_periods_parse_months_weeks_and_the_latest_complete_one():
    latest = date(2026, 10, 30)  # a Friday
    assert parse_period("2026-09", latest) == Period("month", date(2026, 9, 1))
    assert parse_period("2026-W40", latest) == Period("week", date(2026, 9, 28))
    assert parse_period("2026-w01", latest) == Period("week", date(2025, 12, 29))
    # October ends on the 31st, after the data: September is the latest complete month.
    assert parse_period("", latest) == parse_period("month", latest) == Period("month", date(2026, 9, 1))
    assert latest_complete("month", date(2026, 10, 31)) == Period("month", date(2026, 10, 1))
    # the week of Monday 26 October ends on Sunday 1 November: the week before is the latest complete one
    assert parse_period("week", latest) == Period("week", date(2026, 10, 19))
    assert latest_complete("week", date(2026, 10, 25)) == Period("week", date(2026, 10, 19))
    assert Period("month", date(2024, 2, 1)).end == date(2024, 2, 29)
    assert Period("week", date(2026, 9, 28)).code == "2026-W40"
    for bad in ("2026-13", "2026-W54", "sept", "2026-9"):
        with pytest.raises(ValueError, match="PERIOD"):
            parse_period(bad, latest)


def test_format_value_by_unit():
    assert format_value(1234, "count", "USD") == "1,234"
    assert format_value(1030.4, "money", "USD") == "$1,030.40"
    assert format_value(-5, "money", "USD") == "-$5.00"
    assert format_value(12.5, "money", "CHF") == "CHF 12.50"
    assert format_value(0.472050, "rate", "USD") == "47.2%"
    assert format_value(1266, "seconds", "USD") == "1,266.0 s"
    assert format_value(32.6166, "minutes", "USD") == "32.6 min"
    assert format_value(0.082, "days", "USD") == "0.1 days"
    assert format_value(None, "rate", "USD") == "–"
    with pytest.raises(ValueError):
        format_value(1, "furlongs", "USD")


def test_change_direction_and_mark():
    row = {"unit": "rate", "change": 0.37401, "change_pct": 3.81, "previous_value": 0.098, "is_higher_better": True}
    assert format_change(row, "USD") == "+37.4 pts"
    assert direction(row) == "good"
    assert direction({**row, "is_higher_better": False}) == "bad"
    assert direction({**row, "change": -0.1}) == "bad"
    assert direction({**row, "change": 0}) == "flat"
    money = {"unit": "money", "change": -3.36, "change_pct": -0.0495, "previous_value": 67.76, "is_higher_better": True}
    assert format_change(money, "USD") == "-5%"
    from_zero = {"unit": "count", "change": 3, "change_pct": None, "previous_value": 0, "is_higher_better": True}
    assert format_change(from_zero, "USD") == "+3"
    no_previous = {
        "unit": "count",
        "change": None,
        "change_pct": None,
        "previous_value": None,
        "is_higher_better": True,
    }
    assert format_change(no_previous, "USD") == "–"
    assert direction(no_previous) == "none"
    # the mark exists only when the scorecard has the significance columns
    assert significance_mark(row) is None
    assert significance_mark({**row, "is_change_significant": True}) == "beyond noise"
    assert significance_mark({**row, "is_change_significant": False}) == "within noise"
    assert significance_mark({**row, "is_change_significant": None}) == "not tested"
    # with the scorecard's noise_test: a tested KPI without a p-value (no previous period) has no mark
    assert significance_mark({**row, "is_change_significant": None, "noise_test": "proportion"}) is None
    assert significance_mark({**row, "is_change_significant": None, "noise_test": None}) == "not tested"


# --- on the demo warehouse --------------------------------------------------------


def scorecard_rows(warehouse: Path, period: Period) -> dict[str, dict]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(
            "select * from marts.kpi_scorecard where period_grain = ? and period_start = ?",
            [period.grain, period.start],
        )
        names = [column[0] for column in cursor.description]
        return {row[names.index("kpi")]: dict(zip(names, row)) for row in cursor.fetchall()}


def test_format_value_writes_numbers_as_the_scorecard_sentences_do(demo_build):
    """The page's formatter against SQL's format_kpi_value: each value (and previous
    value) appears, formatted, in the scorecard's own `why`."""
    rows = demo_build.query("select kpi, unit, value, previous_value, why from marts.kpi_scorecard")
    checked = 0
    for kpi, unit, value, previous_value, why in rows:
        if value is not None:
            assert format_value(value, unit, CURRENCY) in why, (kpi, value, why)
            checked += 1
        if value is not None and previous_value is not None and value != previous_value:
            assert f"from {format_value(previous_value, unit, CURRENCY)} to" in why, (kpi, previous_value, why)
    assert checked > 100


@pytest.fixture(scope="module")
def latest_month(demo_build) -> Period:
    (start,) = demo_build.query("select max(period_start) from marts.kpi_scorecard where period_grain = 'month'")[0]
    return Period("month", start)


@pytest.fixture(scope="module")
def latest_date(demo_build) -> date:
    (latest,) = demo_build.query(
        "select greatest((select max(cast(ended_at as date)) from marts.fct_dm_sessions),"
        " (select max(cast(created_at as date)) from marts.fct_orders))"
    )[0]
    return latest


@pytest.fixture(scope="module")
def month_page(demo_build, latest_month, tmp_path_factory) -> dict:
    """The page and its PDF for the latest month of the scorecard (it has a previous month)."""
    out = tmp_path_factory.mktemp("dashboard_month")
    return build(demo_build.warehouse, out, latest_month.code, Settings(currency=CURRENCY))


def test_default_period_is_the_latest_complete_month(demo_build, latest_date, tmp_path):
    result = build(demo_build.warehouse, tmp_path, None, Settings(currency=CURRENCY), with_pdf=False)
    # the month before the month of the day after the latest date: its last day is on or before it
    (expected,) = demo_build.query(
        f"select cast(date_trunc('month', date '{latest_date}' + interval 1 day) - interval 1 month as date)"
    )[0]
    assert result["period"] == Period("month", expected)
    assert (tmp_path / HTML_NAME).is_file() and not (tmp_path / PDF_NAME).exists()


def test_a_period_missing_from_the_scorecard_is_refused(demo_build, tmp_path):
    with pytest.raises(ValueError, match="kpi_scorecard has no month 1999-01"):
        build(demo_build.warehouse, tmp_path, "1999-01", Settings(currency=CURRENCY), with_pdf=False)


def test_pdf_is_one_a4_landscape_page(month_page):
    content = Path(month_page["pdf"]).read_bytes()
    assert content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", content)) == 1
    media_box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", content)
    width, height = float(media_box[1]), float(media_box[2])
    assert abs(width - 841.9) < 1 and abs(height - 595.3) < 1, (width, height)  # A4 landscape in points


def test_the_exposure_points_at_the_page(demo_build):
    manifest = json.loads((demo_build.project_dir / "target" / "manifest.json").read_text())
    exposure = manifest["exposures"]["exposure.dm_roi.executive_dashboard"]
    assert exposure["url"] == f"{DEFAULT_OUT_DIR}/{HTML_NAME}"
    assert "make dashboard" in exposure["description"]


# --- in the browser -----------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.is_file():
            pytest.fail(f"{path} is missing: `make browser` installs Debian's chromium and chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium_profile')}")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_window_size(1280, 900)
    yield driver
    driver.quit()


RENDERED_KPIS = """
return Array.from(document.querySelectorAll('[data-kpi]')).map(element => ({
    kpi: element.dataset.kpi,
    tile: element.dataset.tile,
    headline: element.classList.contains('headline'),
    value: element.querySelector('.kpi-value').textContent.trim(),
    change: element.querySelector('.change').textContent.replace(/[▲▼■]/g, '').trim(),
    direction: element.querySelector('.change').classList[1],
    mark: element.querySelector('.mark') ? element.querySelector('.mark').textContent.trim() : null,
}));
"""

OFFLINE_VIOLATIONS = """
const loaded = performance.getEntriesByType('resource').map(entry => entry.name);
const referenced = [];
for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
        if (/(^|:)(src|href|srcset|data)$/i.test(attribute.name)) referenced.push(attribute.value);
    }
}
const remote = value => !/^(file:|data:|#|$)/i.test(value.trim());
return {loaded: loaded.filter(remote), referenced: referenced.filter(remote), page: location.protocol};
"""


def rendered_kpis(browser, page: Path) -> list[dict]:
    browser.get(page.resolve().as_uri())
    return browser.execute_script(RENDERED_KPIS)


def test_tiles_show_the_scorecard_numbers_of_the_period(browser, month_page, demo_build, latest_month, latest_date):
    expected = scorecard_rows(demo_build.warehouse, latest_month)
    shown = rendered_kpis(browser, Path(month_page["html"]))
    assert sorted(item["kpi"] for item in shown) == sorted(expected), "every KPI of the period, once"
    assert {item["tile"] for item in shown if item["headline"]} == {
        "acquisition",
        "engagement",
        "conversion_revenue",
        "ops_health",
    }
    for item in shown:
        row = expected[item["kpi"]]
        assert item["tile"] == row["tile"]
        assert item["value"] == format_value(row["value"], row["unit"], CURRENCY), item
        assert item["change"] == format_change(row, CURRENCY), item
        # the colour: good when the number moved the way is_higher_better wants
        if row["change"] is not None and row["change"] != 0:
            wanted = "good" if (row["change"] > 0) == row["is_higher_better"] else "bad"
            assert item["direction"] == wanted, item
        assert item["mark"] == significance_mark(row), item
    headline = browser.find_element("css selector", '[data-tile="conversion_revenue"] .why').text
    assert headline == expected["revenue_per_chat"]["why"]
    partial = browser.find_elements("css selector", '[data-role="partial"]')
    assert bool(partial) == (latest_month.end > latest_date)


def test_flows_dropoffs_and_roi_come_from_their_marts(browser, month_page, demo_build, latest_month):
    browser.get(Path(month_page["html"]).resolve().as_uri())
    flows = [row.get_attribute("data-flow") for row in browser.find_elements("css selector", "tr[data-flow]")]
    expected_flows = [
        flow
        for (flow,) in demo_build.query(
            "select flow_name from marts.mart_flow_performance where period_grain = 'month' "
            f"and period_start = date '{latest_month.start}' and revenue_rank is not null"
            " order by revenue_rank, flow_name limit 5"
        )
    ]
    assert flows == expected_flows and flows
    roi = dict(
        zip(
            ["tool_subscription_cost", "setup_cost", "agency_cost", "ads_cost", "other_cost", "revenue_gain"],
            demo_build.query(
                "select tool_subscription_cost, setup_cost, agency_cost, ads_cost, other_cost, revenue_gain "
                f"from marts.mart_roi_monthly where period_start = date '{latest_month.start}'"
            )[0],
        )
    )
    for column, value in roi.items():
        shown = browser.find_element("css selector", f'[data-roi="{column}"]').text
        assert shown == format_value(value, "money", CURRENCY), column
    assert len(browser.find_elements("css selector", "svg")) >= 7, "four trends, flows, drop-offs, ROI"


def test_the_page_loads_nothing_but_file_and_data(browser, month_page, tmp_path):
    browser.get(Path(month_page["html"]).resolve().as_uri())
    found = browser.execute_script(OFFLINE_VIOLATIONS)
    assert found == {"loaded": [], "referenced": [], "page": "file:"}
    csp = browser.find_element("css selector", 'meta[http-equiv="Content-Security-Policy"]')
    assert "default-src 'none'" in csp.get_attribute("content")
    # the check bites: a page with a script from elsewhere (loopback, nothing listens) is caught
    bad = tmp_path / "bad.html"
    bad.write_text('<html><head><script src="http://127.0.0.1:9/x.js"></script></head><body>x</body></html>')
    browser.get(bad.as_uri())
    assert browser.execute_script(OFFLINE_VIOLATIONS)["referenced"] == ["http://127.0.0.1:9/x.js"]


def test_phone_width_and_screenshot(browser, month_page):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page = Path(month_page["html"]).resolve().as_uri()
    try:
        browser.set_window_size(390, 844)
        browser.get(page)
        layout = browser.execute_script(
            "return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
            " lefts: Array.from(document.querySelectorAll('.tile')).map(t => Math.round(t.getBoundingClientRect().left))};"
        )
        assert layout["scroll"] <= layout["inner"], "no sideways scrolling on a phone"
        assert len(set(layout["lefts"])) == 1, "tiles stacked in one column"
        browser.save_screenshot(str(ARTEFACTS / "dashboard_phone.png"))
        browser.set_window_size(1280, 900)
        browser.get(page)
        # the whole page in one picture: a viewport as tall as the page
        height = browser.execute_script("return document.documentElement.scrollHeight")
        metrics = {"width": 1280, "height": height, "deviceScaleFactor": 1, "mobile": False}
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        assert browser.save_screenshot(str(ARTEFACTS / "dashboard.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.set_window_size(1280, 900)
    assert (ARTEFACTS / "dashboard.png").stat().st_size > 10_000


def test_significance_marks_with_and_without_the_columns(browser, demo_build, latest_month, tmp_path):
    """The demo scorecard has item 2's columns (int_kpi_noise_tests): each KPI shows
    beyond noise / within noise / not tested as the scorecard says; a warehouse whose
    scorecard lacks them (dropped here from a copy) shows no mark at all."""
    with data.open_marts(demo_build.warehouse) as marts:
        assert data.has_significance(marts)
    result = build(
        demo_build.warehouse, tmp_path / "with", latest_month.code, Settings(currency=CURRENCY), with_pdf=False
    )
    expected = scorecard_rows(demo_build.warehouse, latest_month)
    shown = rendered_kpis(browser, Path(result["html"]))
    assert len(shown) == len(expected)
    for item in shown:
        assert item["mark"] == significance_mark(expected[item["kpi"]]), item
    assert {item["mark"] for item in shown} >= {"within noise", "not tested"}

    warehouse = tmp_path / "without_significance.duckdb"
    shutil.copyfile(demo_build.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        for column in ["noise_test", "ci_low", "ci_high", "change_p_value", "is_change_significant"]:
            connection.execute(f"alter table marts.kpi_scorecard drop column {column}")
    with data.open_marts(warehouse) as marts:
        assert not data.has_significance(marts)
    result = build(warehouse, tmp_path / "without", latest_month.code, Settings(currency=CURRENCY), with_pdf=False)
    assert {item["mark"] for item in rendered_kpis(browser, Path(result["html"]))} == {None}


def test_an_iso_week_page(browser, demo_build, tmp_path):
    (start,) = demo_build.query("select max(period_start) from marts.kpi_scorecard where period_grain = 'week'")[0]
    period = Period("week", start)
    result = build(demo_build.warehouse, tmp_path, period.code, Settings(currency=CURRENCY), with_pdf=False)
    expected = scorecard_rows(demo_build.warehouse, period)
    shown = {item["kpi"]: item for item in rendered_kpis(browser, Path(result["html"])) if item["tile"] != "roi"}
    assert set(shown) == set(expected), "a week has no roi KPI in the scorecard"
    for kpi, item in shown.items():
        assert item["value"] == format_value(expected[kpi]["value"], expected[kpi]["unit"], CURRENCY)
    assert period.label in browser.title
