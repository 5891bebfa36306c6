"""The seed path's crashes, each turned into one message that says what to do: a byte that is not
UTF-8, an upper-case header and a field over 128 KiB are named by scripts/check_seeds.py (run by
make build and make test before dbt); an upper-case header that reaches dbt stops the seed load
naming the column (seed post-hook), and a typed column in a user's raw table stops the run before
anything is built (check_raw_tables)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT, run_dbt

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from check_seeds import main as check_seeds

TABLES = ["raw_dm_events", "raw_crm_contacts", "raw_orders", "raw_fx_rates", "raw_automation_costs"]


def seeds_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", folder)
    return folder


def test_demo_seeds_pass(capsys):
    assert check_seeds([]) == 0, capsys.readouterr().out


@pytest.mark.parametrize(
    ("table", "edit", "message"),
    [
        (
            "raw_automation_costs",
            lambda text: text.replace("Paris", "Paris café").encode("latin-1"),
            "raw_automation_costs.csv: line 4 is not UTF-8 (byte 0xe9): re-save the file as UTF-8",
        ),
        (
            "raw_automation_costs",
            lambda text: text.replace("amount", "AMOUNT", 1).encode(),
            "raw_automation_costs.csv: header column 'AMOUNT' is not lower case",
        ),
        (
            "raw_dm_events",
            lambda text: text.replace("So pretty!", "x" * 140_000, 1).encode(),
            "raw_dm_events.csv: line 2, column message_text, holds 140,000 characters: dbt seed reads at most 131,072",
        ),
    ],
    ids=["latin1_byte", "upper_case_header", "field_over_128_kib"],
)
def test_check_seeds_names_file_line_and_fix(tmp_path, capsys, table, edit, message):
    folder = seeds_copy(tmp_path)
    path = folder / f"{table}.csv"
    path.write_bytes(edit(path.read_text()))
    assert check_seeds(["--seeds-dir", str(folder)]) == 1
    assert message in capsys.readouterr().out


def test_upper_case_seed_header_stops_the_load_naming_the_column(project_copy):
    path = project_copy / "seeds" / "raw_automation_costs.csv"
    header, rest = path.read_text().split("\n", 1)
    path.write_text(header.replace("amount", "AMOUNT") + "\n" + rest)
    result = run_dbt(project_copy, "seed", "--select", "raw_automation_costs")
    assert result.returncode != 0
    assert "Seed raw_automation_costs (seeds/raw_automation_costs.csv) loaded column(s) AMOUNT" in result.output
    assert "write the header as the raw contract does (lower case" in result.output


def test_typed_column_in_a_user_table_stops_the_run(project_copy):
    warehouse = project_copy / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema exports")
        for table in TABLES:
            typed = table == "raw_automation_costs"
            connection.execute(
                f"create table exports.{table} as select * from read_csv("
                f"'{PROJECT_ROOT / 'seeds' / table}.csv', all_varchar = {str(not typed).lower()})"
            )
    result = run_dbt(
        project_copy,
        "run",
        "--select",
        "base_finance__automation_costs",
        "--vars",
        "{raw_from_seeds: false, raw_schema: exports}",
    )
    assert result.returncode != 0
    assert "has typed contract column(s) cost_month (DATE), amount (DOUBLE)" in result.output, result.output[-2000:]
