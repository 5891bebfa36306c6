"""The semantic layer returns the scorecard's numbers, and the check bites.

`mf query` (MetricFlow's CLI, dbt-metricflow) runs every metric of
models/semantic/_metrics.yml by metric_time__month and metric_time__week
against the demo warehouse (the ``demo_build`` fixture of conftest.py), and
every period of kpi_scorecard is compared with it value for value: the
KPI's value, and for a ratio its numerator and denominator (the metrics
the ratio names in target/semantic_manifest.json). Metrics that are no KPI
of the scorecard (parts such as attributed_orders_matched) are compared
with the column of the same name of a tile mart or of mart_roi_monthly.
The ROI metrics (month grain only) are checked by month. A scorecard KPI
without a metric must be in NOT_IN_SEMANTIC_LAYER (documented in README,
"The semantic layer"). The check is shown to fail on a copy of the
project whose sessions_started measure also counts organic sessions.

`mf` reads the profile and the semantic manifest of the dbt project in its
working directory (profiles.yml there, target/semantic_manifest.json) and
the warehouse file from DBT_DUCKDB_PATH, so each query runs in a project
directory that dbt parsed against the same warehouse file (dbt-duckdb names
the database after the file: the manifest's relations must match it).
"""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DbtResult, copy_project, run_dbt

MF = Path(sys.executable).parent / "mf"
TOLERANCE = 1e-9
GRAINS = ["month", "week"]
TILE_MARTS = ["mart_acquisition", "mart_engagement", "mart_conversion_revenue", "mart_ops_health"]
ROI_MART = "mart_roi_monthly"  # month rows only, no period_grain column
# Scorecard KPIs that are not MetricFlow metrics, and why (README, "The semantic layer").
NOT_IN_SEMANTIC_LAYER = {
    # lead economics: which orders a lead converts with (any attribution, within 30 days of the
    # lead) comes from int_dm_leads_converted, which no public mart holds per lead
    "lead_to_customer_rate",
    "revenue_per_lead",
    "median_days_to_first_order",
}
ORGANIC_TOO = "case when session_type = 'automated' then 1 else 0 end"


def semantic_manifest(project_dir: Path) -> dict:
    """The project's semantic manifest (dbt parse / build writes it)."""
    return json.loads((project_dir / "target" / "semantic_manifest.json").read_text())


def semantic_metrics(project_dir: Path, grain: str = "month") -> dict[str, dict]:
    """The metrics of the semantic manifest that can be grouped by metric_time__<grain>, by name.

    A metric over a semantic model whose time dimension is of month grain (roi_months) is left
    out of a week query; a ratio goes with its numerator and denominator.
    """
    manifest = semantic_manifest(project_dir)
    metrics = {metric["name"]: metric for metric in manifest["metrics"]}
    if grain == "month":
        return metrics
    month_measures = {
        measure["name"]
        for model in manifest["semantic_models"]
        if any(
            dimension.get("type_params") and dimension["type_params"]["time_granularity"] == "month"
            for dimension in model["dimensions"]
        )
        for measure in model["measures"]
    }
    month_only = {
        name
        for name, metric in metrics.items()
        if (metric["type_params"].get("measure") or {}).get("name") in month_measures
    }
    month_only |= {
        name
        for name, metric in metrics.items()
        if metric["type"] == "ratio"
        and {metric["type_params"]["numerator"]["name"], metric["type_params"]["denominator"]["name"]} & month_only
    }
    return {name: metric for name, metric in metrics.items() if name not in month_only}


def mf_query(project_dir: Path, warehouse: Path, metrics: list[str], grain: str, out: Path) -> dict[str, dict]:
    """`mf query --metrics ... --group-by metric_time__<grain> --csv out`: {period_start: {metric: value}}."""
    env = dict(os.environ, DBT_DUCKDB_PATH=str(warehouse), DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1")
    env.pop("DBT_PROFILES_DIR", None)
    env.pop("DBT_PROJECT_DIR", None)
    command = [
        str(MF),
        "query",
        "--metrics",
        ",".join(metrics),
        "--group-by",
        f"metric_time__{grain}",
        "--csv",
        str(out),
        "--quiet",
    ]
    completed = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True)
    assert completed.returncode == 0 and out.exists(), (completed.stdout + completed.stderr)[-4000:]
    with open(out, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row[f"metric_time__{grain}"][:10]: row for row in rows}


def as_number(value) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def same(expected, actual) -> bool:
    expected, actual = as_number(expected), as_number(actual)
    if expected is None or actual is None:
        return expected is None and actual is None
    return math.isclose(expected, actual, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def scorecard_rows(demo_build: DbtResult, grain: str) -> list[tuple]:
    return demo_build.query(
        "select cast(period_start as varchar), kpi, value, numerator, denominator from marts.kpi_scorecard "
        f"where period_grain = '{grain}' order by period_start, kpi"
    )


def tile_mart_columns(demo_build: DbtResult, grain: str) -> dict[str, dict[str, object]]:
    """{period_start: {column: value}} over the four tile marts and, by month, the ROI mart."""
    by_period: dict[str, dict[str, object]] = {}
    queries = [f"select * from marts.{mart} where period_grain = '{grain}'" for mart in TILE_MARTS]
    if grain == "month":
        queries.append(f"select * from marts.{ROI_MART}")
    for sql in queries:
        frame = demo_build.query_df(sql)
        for record in frame.to_dict("records"):
            period = str(record.pop("period_start"))[:10]
            by_period.setdefault(period, {}).update(
                {column: value for column, value in record.items() if not column.startswith("previous_")}
            )
    return by_period


def mismatches(demo_build: DbtResult, metrics: dict[str, dict], mf_rows: dict[str, dict], grain: str) -> list[str]:
    """Every difference between the mf result of one grain and kpi_scorecard / the tile marts."""
    problems: list[str] = []
    scorecard = scorecard_rows(demo_build, grain)
    periods = sorted({period for period, *_ in scorecard})
    if sorted(mf_rows) != periods:
        problems.append(f"{grain}: mf has the periods {sorted(mf_rows)}, kpi_scorecard {periods}")

    checked: set[str] = set()
    for period, kpi, value, numerator, denominator in scorecard:
        if kpi in NOT_IN_SEMANTIC_LAYER:
            continue
        if kpi not in metrics:
            problems.append(f"kpi_scorecard's {kpi} has no metric (nor a place in NOT_IN_SEMANTIC_LAYER)")
            continue
        row = mf_rows.get(period, {})
        checked.add(kpi)
        if not same(value, row.get(kpi)):
            problems.append(f"{grain} {period} {kpi}: kpi_scorecard {value}, mf {row.get(kpi)!r}")
        metric = metrics[kpi]
        if metric["type"] == "ratio":
            parts = metric["type_params"]
            for side, expected in (("numerator", numerator), ("denominator", denominator)):
                part = parts[side]["name"]
                checked.add(part)
                if not same(expected, row.get(part)):
                    problems.append(
                        f"{grain} {period} {kpi} {side} ({part}): kpi_scorecard {expected}, mf {row.get(part)!r}"
                    )
        elif numerator is not None or denominator is not None:
            problems.append(f"{kpi} is a ratio in kpi_scorecard but a {metric['type']} metric")

    marts = tile_mart_columns(demo_build, grain)
    for name in sorted(set(metrics) - checked):
        for period in periods:
            columns = marts.get(period, {})
            if name not in columns:
                problems.append(f"metric {name} is neither a KPI of kpi_scorecard nor a column of a tile mart")
                break
            if not same(columns[name], mf_rows.get(period, {}).get(name)):
                problems.append(
                    f"{grain} {period} {name}: tile mart {columns[name]}, mf {mf_rows.get(period, {}).get(name)!r}"
                )
    return problems


@pytest.fixture(scope="module")
def semantic_project(demo_build) -> Path:
    """The demo project directory, with the semantic manifest of its build."""
    if not (demo_build.project_dir / "target" / "semantic_manifest.json").exists():
        result = run_dbt(demo_build.project_dir, "parse", warehouse=demo_build.warehouse)
        assert result.returncode == 0, result.output[-3000:]
    return demo_build.project_dir


@pytest.fixture(scope="module")
def mf_results(demo_build, semantic_project, tmp_path_factory) -> dict[str, dict[str, dict]]:
    """One `mf query` of every metric that fits the grain, per grain: {grain: {period_start: {metric: value}}}."""
    out_dir = tmp_path_factory.mktemp("mf")
    return {
        grain: mf_query(
            semantic_project,
            demo_build.warehouse,
            sorted(semantic_metrics(semantic_project, grain)),
            grain,
            out_dir / f"{grain}.csv",
        )
        for grain in GRAINS
    }


@pytest.mark.parametrize("grain", GRAINS)
def test_every_metric_matches_the_scorecard(demo_build, semantic_project, mf_results, grain):
    metrics = semantic_metrics(semantic_project, grain)
    assert "revenue_per_chat" in metrics
    assert ("roi" in metrics) == (grain == "month")
    assert mismatches(demo_build, metrics, mf_results[grain], grain) == []


def test_revenue_per_chat_by_month_tells_the_story(mf_results):
    """What `make metrics` shows on the demo: $3.10 in September 2026, $6.40 in October."""
    rows = mf_results["month"]
    assert {month: round(float(row["revenue_per_chat"]), 2) for month, row in rows.items()} == {
        "2026-09-01": 3.10,
        "2026-10-01": 6.40,
    }


def test_the_check_fails_when_a_definition_differs(demo_build, tmp_path):
    """sessions_started counting organic sessions too: revenue_per_chat's value and denominator differ."""
    project_dir = copy_project(tmp_path / "project")
    # dbt's partial parse of the demo build: only the changed YAML file is parsed again
    (project_dir / "target").mkdir()
    shutil.copy2(demo_build.project_dir / "target" / "partial_parse.msgpack", project_dir / "target")
    semantic_yml = project_dir / "models" / "semantic" / "_semantic_models.yml"
    text = semantic_yml.read_text()
    assert text.count(ORGANIC_TOO) == 1
    semantic_yml.write_text(text.replace(ORGANIC_TOO, "1"))
    result = run_dbt(project_dir, "parse", warehouse=demo_build.warehouse)
    assert result.returncode == 0, result.output[-3000:]

    metrics = semantic_metrics(project_dir)
    rows = mf_query(project_dir, demo_build.warehouse, sorted(metrics), "month", tmp_path / "month.csv")
    problems = mismatches(demo_build, metrics, rows, "month")
    assert any(problem.startswith("month 2026-09-01 revenue_per_chat:") for problem in problems), problems
    assert any("revenue_per_chat denominator (sessions_started)" in problem for problem in problems), problems
    assert any(problem.startswith("month 2026-10-01 sessions_started:") for problem in problems), problems


def test_every_semantic_node_is_described(semantic_project):
    """Semantic models, their entities, dimensions and measures, and the metrics: each has a description."""
    manifest = semantic_manifest(semantic_project)
    undescribed = [
        f"{model['name']}.{kind}.{node['name']}"
        for model in manifest["semantic_models"]
        for kind in ("entities", "dimensions", "measures")
        for node in model[kind]
        if not (node.get("description") or "").strip()
    ]
    undescribed += [
        model["name"] for model in manifest["semantic_models"] if not (model.get("description") or "").strip()
    ]
    undescribed += [metric["name"] for metric in manifest["metrics"] if not (metric.get("description") or "").strip()]
    assert undescribed == []
