"""Shared fixtures: drive dbt through dbtRunner against throwaway DuckDB files.

dbtRunner is not safe to run concurrently in one process, and dbt keeps
global state between invocations, so every build here runs in a subprocess
(``python -m dbt.cli.main``-style, via the venv's ``dbt``) with its own
project copy, warehouse file and target directory. That also lets a test
swap the demo seeds for a handful of hand-written rows.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
# What a project copy needs (no .venv, no target, no warehouse files).
PROJECT_ITEMS = ["dbt_project.yml", "profiles.yml", ".dbtignore", "models", "macros", "seeds", "tests", "analyses"]


@dataclass
class DbtResult:
    returncode: int
    output: str
    project_dir: Path
    warehouse: Path

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.warehouse), read_only=True)

    def query(self, sql: str) -> list[tuple]:
        with self.connect() as connection:
            return connection.execute(sql).fetchall()

    def query_df(self, sql: str):
        with self.connect() as connection:
            return connection.execute(sql).df()


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for item in PROJECT_ITEMS:
        source = PROJECT_ROOT / item
        if source.is_dir():
            shutil.copytree(source, destination / item, ignore=shutil.ignore_patterns("__pycache__", "python"))
        elif source.exists():
            shutil.copy2(source, destination / item)
    return destination


def write_seed(project_dir: Path, table: str, rows: list[dict], columns: list[str] | None = None) -> None:
    """Replace seeds/<table>.csv by rows (missing contract columns are written empty)."""
    seed_path = project_dir / "seeds" / f"{table}.csv"
    if columns is None:
        with open(seed_path, newline="") as handle:
            columns = next(csv.reader(handle))
    with open(seed_path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})


def read_seed(table: str) -> tuple[list[str], list[dict]]:
    with open(PROJECT_ROOT / "seeds" / f"{table}.csv", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def run_dbt(project_dir: Path, *args: str, warehouse: Path | None = None) -> DbtResult:
    warehouse = warehouse or project_dir / "warehouse.duckdb"
    env = dict(os.environ)
    env.update(
        DBT_DUCKDB_PATH=str(warehouse),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DO_NOT_TRACK="1",
        DBT_THREADS="2",
    )
    command = [
        str(DBT),
        *args,
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
    return DbtResult(completed.returncode, completed.stdout + completed.stderr, project_dir, warehouse)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> DbtResult:
    """The whole project built once on the demo seeds (models and seeds only, no tests)."""
    project_dir = copy_project(tmp_path_factory.mktemp("demo") / "project")
    result = run_dbt(project_dir, "build", "--exclude", "resource_type:test", "resource_type:unit_test")
    assert result.returncode == 0, result.output[-4000:]
    return result


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A fresh copy of the project, for tests that replace seeds with their own rows."""
    return copy_project(tmp_path / "project")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers",
        "spark: builds on Apache Spark through dbt-spark (make test-spark, in .venv-spark); make test excludes it",
    )
