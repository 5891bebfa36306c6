"""Spark = DuckDB (issue 12): the same project, built on Apache Spark (dbt-spark, session method,
local[2]) and on DuckDB from the same raw data, gives the same public marts and identity map, row
for row (scripts/compare_marts.py: text, integers, decimals, dates exactly, floating-point within
1e-9, timestamps in UTC).

1. The demo seeds: `dbt build --target spark` with every model, contract, data test and unit test
   must pass (no error, no failing test; the same warnings as on DuckDB), then the marts are
   compared with a DuckDB build of the same seeds.
2. A small generated data set with its mess (scripts/datagen, 2,000 sessions, Parquet files and a
   CSV copy) read through var raw_path: on Spark by spark__raw_file_scan (external tables over
   the files), on DuckDB by read_parquet / read_csv; models only on both, then compared.

Marked `spark`: run by `make test-spark` in .venv-spark (dbt-spark, pyspark 4, Java 17); `make
test` excludes it. One Spark process at a time: the tests of this module run one after the other,
each with its own warehouse and Derby metastore folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT, copy_project, run_dbt

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from compare_marts import SPARK_DECIMAL_TOLERANCE, compare, spark_warehouse_to_duckdb

pytestmark = pytest.mark.spark

SCHEMAS = ["marts"]
DBT = Path(sys.executable).parent / "dbt"


def spark_available() -> str | None:
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        return "dbt-spark and pyspark are not installed here: run make test-spark (it uses .venv-spark)"
    if shutil.which("java") is None:
        return "no java on PATH: Spark needs Java 17 or later"
    return None


@pytest.fixture(scope="module", autouse=True)
def needs_spark():
    reason = spark_available()
    if reason:
        pytest.fail(reason)


def run_spark(project_dir: Path, *args: str) -> tuple[int, str, Path]:
    """dbt on the spark target, with its warehouse and metastore under project_dir/.spark."""
    spark_home = project_dir / ".spark"
    env = dict(os.environ)
    env.update(
        DBT_SPARK_HOME=str(spark_home),
        DBT_SPARK_LOG4J=str(PROJECT_ROOT / "spark_log4j2.properties"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DO_NOT_TRACK="1",
        DBT_THREADS="2",
        TZ="UTC",
    )
    command = [
        str(DBT),
        *args,
        "--target",
        "spark",
        "--profiles-dir",
        str(project_dir),
        "--project-dir",
        str(project_dir),
        "--target-path",
        str(project_dir / "target"),
        "--log-path",
        str(project_dir / "logs"),
    ]
    completed = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True)
    return completed.returncode, completed.stdout + completed.stderr, spark_home / "warehouse"


def statuses(project_dir: Path) -> Counter:
    results = json.loads((project_dir / "target" / "run_results.json").read_text())["results"]
    return Counter(result["status"] for result in results)


def failures(project_dir: Path) -> list[str]:
    results = json.loads((project_dir / "target" / "run_results.json").read_text())["results"]
    return [
        f"{result['unique_id']}: {result['status']} {(result.get('message') or '')[:300]}"
        for result in results
        if result["status"] in ("error", "fail", "runtime error")
    ]


def warned(project_dir: Path) -> set[str]:
    results = json.loads((project_dir / "target" / "run_results.json").read_text())["results"]
    return {result["unique_id"] for result in results if result["status"] == "warn"}


def assert_equal_marts(duckdb_file: Path, spark_warehouse: Path, scratch: Path, capsys) -> None:
    spark_file = spark_warehouse_to_duckdb(spark_warehouse, scratch / "spark_marts.duckdb", SCHEMAS)
    differences = compare(str(duckdb_file), spark_file, 1e-9, SCHEMAS, SPARK_DECIMAL_TOLERANCE)
    report = capsys.readouterr().out
    print(report)
    assert "int_identity_person_map" in report, report
    assert differences == 0, report


def test_demo_build_on_spark_equals_duckdb(tmp_path, capsys):
    """Every model, contract, data test and unit test passes on Spark; the marts equal DuckDB's."""
    duck_dir = copy_project(tmp_path / "duckdb")
    duck = run_dbt(duck_dir, "build")
    assert duck.returncode == 0, duck.output[-4000:]

    spark_dir = copy_project(tmp_path / "spark")
    returncode, output, warehouse = run_spark(spark_dir, "build")
    counts = statuses(spark_dir)
    print(f"dbt build --target spark on the demo seeds: {dict(counts)}")
    assert returncode == 0, "\n".join(failures(spark_dir)) or output[-4000:]
    assert not failures(spark_dir)
    # the same data tests warn on both engines (the demo's known findings)
    assert warned(spark_dir) == warned(duck_dir)
    assert_equal_marts(duck.warehouse, warehouse, tmp_path, capsys)

    # The one incremental model appends (insert into): exact on Spark's Parquet tables, a second
    # run adds one row per raw table and keeps the first build's rows.
    returncode, output, _ = run_spark(spark_dir, "run", "--select", "dq_raw_row_count_history")
    assert returncode == 0, output[-4000:]
    history = warehouse / "data_quality_history.db" / "dq_raw_row_count_history"
    with duckdb.connect() as connection:
        builds, rows = connection.execute(
            f"select count(distinct invocation_id), count(*) from read_parquet('{history}/**/*.parquet')"
        ).fetchone()
    assert (builds, rows) == (2, 10)

    # Source freshness runs its loaded_at_field SQL on Spark (the demo data is always stale: stale
    # is fine, a query that fails is not).
    run_spark(spark_dir, "source", "freshness")
    sources = json.loads((spark_dir / "target" / "sources.json").read_text())["results"]
    assert sources and all(result["status"] in ("pass", "warn", "error") for result in sources), [
        (result["unique_id"], result["status"], result.get("error")) for result in sources
    ]
    assert all(result.get("max_loaded_at") for result in sources), sources


@pytest.fixture(scope="module")
def generated_raw(tmp_path_factory) -> dict[str, Path]:
    """2,000 generated sessions with the generator's mess, as Parquet files and as CSV files."""
    root = tmp_path_factory.mktemp("generated")
    folders = {}
    for file_format in ("parquet", "csv"):
        out = root / file_format
        completed = subprocess.run(
            [sys.executable, "-m", "scripts.datagen", "--sessions", "2000", "--out", str(out), "--format", file_format],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
        folders[file_format] = out
    return folders


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_generated_data_on_spark_equals_duckdb(tmp_path, capsys, generated_raw, file_format):
    """Raw files read through var raw_path (Spark: spark__raw_file_scan) give the same marts."""
    raw_path = generated_raw[file_format]
    variables = f"{{raw_path: '{raw_path}', raw_file_format: {file_format}}}"

    duck_dir = copy_project(tmp_path / "duckdb")
    duck = run_dbt(duck_dir, "run", "--vars", variables)
    assert duck.returncode == 0, duck.output[-4000:]

    spark_dir = copy_project(tmp_path / "spark")
    returncode, output, warehouse = run_spark(spark_dir, "run", "--vars", variables)
    assert returncode == 0, "\n".join(failures(spark_dir)) or output[-4000:]
    assert_equal_marts(duck.warehouse, warehouse, tmp_path, capsys)
