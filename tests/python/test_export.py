"""make export: every public mart as Parquet and CSV, and a folder guard.

The list of marts comes from dbt's manifest; here it is checked against the
models' YAML files, read independently (group and access set at the top of
a model's entry or under its config).
"""

from __future__ import annotations

import json
import sys

import duckdb
import pytest
import yaml

from conftest import PROJECT_ROOT

# dashboard/ lives at the repo root, like quality/.
sys.path.insert(0, str(PROJECT_ROOT))

from dashboard.export import MARKER, export, main, public_marts, read_manifest  # noqa: E402


def public_models_in_yaml() -> set[str]:
    names = set()
    for path in (PROJECT_ROOT / "models").rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []) or []:
            config = model.get("config") or {}
            group = model.get("group", config.get("group"))
            access = model.get("access", config.get("access"))
            if group == "kpi_consumers" and access == "public":
                names.add(model["name"])
    return names


@pytest.fixture(scope="module")
def manifest(demo_build) -> dict:
    return read_manifest(demo_build.project_dir / "target" / "manifest.json")


def test_public_marts_are_read_from_the_manifest(manifest):
    names = {mart["name"] for mart in public_marts(manifest)}
    assert names == public_models_in_yaml()
    assert {"kpi_scorecard", "mart_roi_monthly", "fct_orders", "dim_contacts"} <= names
    assert not any(name.startswith(("int_", "stg_", "dq_")) for name in names)


def test_export_writes_parquet_and_csv_of_every_public_mart(demo_build, manifest, tmp_path):
    out = tmp_path / "export"
    written = export(manifest, demo_build.warehouse, out)
    marts = public_marts(manifest)
    assert [entry["mart"] for entry in written] == [mart["name"] for mart in marts]
    with duckdb.connect(str(demo_build.warehouse), read_only=True) as connection:
        for mart in marts:
            table = f"{mart['schema']}.{mart['alias']}"
            (rows,) = connection.execute(f"select count(*) from {table}").fetchone()
            columns = [row[0] for row in connection.execute(f"describe {table}").fetchall()]
            parquet, csv = out / f"{mart['name']}.parquet", out / f"{mart['name']}.csv"
            assert connection.execute(f"select count(*) from '{parquet}'").fetchone()[0] == rows, mart
            assert [row[0] for row in connection.execute(f"describe select * from '{parquet}'").fetchall()] == columns
            # the Parquet holds the same rows as the warehouse (typed, nothing lost)
            (missing,) = connection.execute(
                f"select count(*) from (select * from {table} except all select * from '{parquet}')"
            ).fetchone()
            assert missing == 0, mart
            header = csv.read_text().splitlines()[0].split(",")
            assert header == columns
            assert connection.execute(f"select count(*) from read_csv('{csv}', header = true)").fetchone()[0] == rows
    marker = json.loads((out / MARKER).read_text())
    assert sorted(marker["files"]) == sorted(path.name for path in out.iterdir() if path.name != MARKER)


def test_export_never_writes_into_a_folder_it_did_not_write(demo_build, manifest, tmp_path):
    foreign = tmp_path / "someones_files"
    foreign.mkdir()
    (foreign / "kpi_scorecard.csv").write_text("keep me\n")
    with pytest.raises(FileExistsError, match="was not written by make export"):
        export(manifest, demo_build.warehouse, foreign)
    assert (foreign / "kpi_scorecard.csv").read_text() == "keep me\n"
    assert sorted(path.name for path in foreign.iterdir()) == ["kpi_scorecard.csv"]
    # the command line says so and exits 1
    argv = ["--manifest", str(demo_build.project_dir / "target" / "manifest.json")]
    assert main([*argv, "--warehouse", str(demo_build.warehouse), "--out", str(foreign)]) == 1


def test_a_second_export_replaces_the_first(demo_build, manifest, tmp_path):
    out = tmp_path / "export"
    export(manifest, demo_build.warehouse, out)
    marker = json.loads((out / MARKER).read_text())
    # a mart that was public at the last export and is not any more: its files go
    (out / "old_mart.csv").write_text("stale\n")
    marker["files"].append("old_mart.csv")
    (out / MARKER).write_text(json.dumps(marker))
    export(manifest, demo_build.warehouse, out)
    assert not (out / "old_mart.csv").exists()
    assert (out / "kpi_scorecard.parquet").is_file()
    # an empty folder is fine too
    empty = tmp_path / "empty"
    empty.mkdir()
    export(manifest, demo_build.warehouse, empty)
    assert (empty / MARKER).is_file()
