#!/usr/bin/env python3
"""Compare the public marts (and the identity map) of two DuckDB warehouses, value for value.

    .venv/bin/python scripts/compare_marts.py BEFORE.duckdb AFTER.duckdb [--tolerance 1e-9]
    .venv/bin/python scripts/compare_marts.py BEFORE.duckdb SPARK_WAREHOUSE_DIR   (a Spark build, issue 12)

Every table of schema ``marts`` (or of the schemas given with --schema) and ``intermediate.int_identity_person_map`` is read from both files;
the two must have the same columns and, sorted on every column, the same rows: text, integers,
decimals, booleans, dates and timestamps exactly, floating-point values within the tolerance
(relative, or absolute near 0). A table present on one side only is a difference. Prints one line
per table and exits 1 when anything differs, so it is the check of every optimisation ("the marts
before and after") and of engine or load-path equality.

Either side may be a Spark warehouse folder (spark.sql.warehouse.dir of the `spark` target, e.g.
.spark/warehouse): its tables are Parquet folders <schema>.db/<table>/, read by DuckDB into a
throwaway DuckDB file first (spark_warehouse_to_duckdb), timestamps as UTC wall-clock time, so the
same rules compare the two engines; decimals then compare within 1e-12 relative
(SPARK_DECIMAL_TOLERANCE: the digits past double precision of a double cast to decimal), else exactly.
"""

from __future__ import annotations

import argparse
import decimal
import math
import sys
import tempfile
from pathlib import Path

import duckdb

EXTRA_TABLES = [("intermediate", "int_identity_person_map")]
# Decimals between engines: a value computed in double and cast to decimal(38,16) keeps digits past
# double's 16th significant one, and DuckDB (the exact binary value) and Spark (Java's shortest
# decimal form of the double) write different ones there; a difference of two such values (a KPI's
# change) carries them up a few digits. 1e-12 relative: a cent on any amount below 10^10 still
# differs.
SPARK_DECIMAL_TOLERANCE = 1e-12


def tables(
    con: duckdb.DuckDBPyConnection, schemas: list[str], extra_tables: list[tuple[str, str]] = EXTRA_TABLES
) -> list[tuple[str, str]]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where list_contains(?, table_schema) and table_type = 'BASE TABLE' "
        "order by table_schema, table_name",
        [schemas],
    ).fetchall()
    present = set(con.execute("select table_schema, table_name from information_schema.tables").fetchall())
    return [tuple(r) for r in rows] + [t for t in extra_tables if t in present]


def read(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> tuple[list[str], list[tuple]]:
    columns = [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]
    order = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(f'select {order} from "{schema}"."{table}" order by {order}').fetchall()
    return columns, rows


def same_value(a: object, b: object, tolerance: float, decimal_tolerance: float = 0.0) -> bool:
    if decimal_tolerance and isinstance(a, decimal.Decimal) and isinstance(b, decimal.Decimal):
        return abs(a - b) <= decimal.Decimal(decimal_tolerance) * max(1, abs(a), abs(b))
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        fa, fb = float(a), float(b)
        if math.isnan(fa) or math.isnan(fb):
            return math.isnan(fa) and math.isnan(fb)
        return abs(fa - fb) <= tolerance * max(1.0, abs(fa), abs(fb))
    return a == b


def compare(
    before: str,
    after: str,
    tolerance: float,
    schemas: list[str],
    decimal_tolerance: float = 0.0,
    extra_tables: list[tuple[str, str]] = EXTRA_TABLES,
) -> int:
    """extra_tables: (schema, table) pairs compared besides the schemas' tables, views too (e.g. the
    raw_files views of a DuckDB build against the tables Spark writes for native formats)."""
    left = duckdb.connect(before, read_only=True)
    right = duckdb.connect(after, read_only=True)
    names = sorted(set(tables(left, schemas, extra_tables)) | set(tables(right, schemas, extra_tables)))
    differences = 0
    for schema, table in names:
        label = f"{schema}.{table}"
        try:
            lcols, lrows = read(left, schema, table)
        except duckdb.Error:
            print(f"DIFF  {label}: missing in {before}")
            differences += 1
            continue
        try:
            rcols, rrows = read(right, schema, table)
        except duckdb.Error:
            print(f"DIFF  {label}: missing in {after}")
            differences += 1
            continue
        if lcols != rcols:
            print(f"DIFF  {label}: columns differ: {sorted(set(lcols) ^ set(rcols)) or 'order'}")
            differences += 1
            continue
        if len(lrows) != len(rrows):
            print(f"DIFF  {label}: {len(lrows)} rows vs {len(rrows)}")
            differences += 1
            continue
        bad = 0
        first = None
        for lrow, rrow in zip(lrows, rrows):
            for column, a, b in zip(lcols, lrow, rrow):
                if not same_value(a, b, tolerance, decimal_tolerance):
                    bad += 1
                    if first is None:
                        first = (column, a, b, lrow)
                    break
        if bad:
            column, a, b, row = first
            print(f"DIFF  {label}: {bad} of {len(lrows)} rows differ; first: {column} {a!r} vs {b!r}")
            differences += 1
        else:
            print(f"same  {label}: {len(lrows)} rows")
    print(f"{len(names) - differences} of {len(names)} tables identical")
    return 1 if differences else 0


def spark_warehouse_to_duckdb(
    warehouse_dir: str | Path,
    out_file: str | Path,
    schemas: list[str],
    extra_tables: list[tuple[str, str]] = EXTRA_TABLES,
) -> str:
    """Copy the tables of the given schemas (and the identity map) of a Spark warehouse folder into
    a DuckDB file: every <schema>.db/<table>/ folder of Parquet part files becomes <schema>.<table>.
    Spark writes timestamps as instants (TIMESTAMP_MICROS adjusted to UTC, or INT96): they are read
    back as UTC wall-clock timestamps, as DuckDB's naive UTC timestamps are."""
    warehouse_dir = Path(warehouse_dir)
    wanted = [(schema, None) for schema in schemas] + extra_tables
    with duckdb.connect(str(out_file)) as con:
        con.execute("set TimeZone = 'UTC'")
        for schema, only in wanted:
            schema_dir = warehouse_dir / f"{schema}.db"
            if not schema_dir.is_dir():
                continue
            con.execute(f'create schema if not exists "{schema}"')
            for table_dir in sorted(p for p in schema_dir.iterdir() if p.is_dir()):
                if (only is not None and table_dir.name != only) or not any(table_dir.rglob("*.parquet")):
                    continue
                source = f"read_parquet('{table_dir}/**/*.parquet', hive_partitioning = true)"
                described = con.execute(f"describe select * from {source}").fetchall()
                projection = ", ".join(
                    f'timezone(\'UTC\', "{name}") as "{name}"'
                    if kind.upper().startswith("TIMESTAMP WITH TIME ZONE")
                    else f'"{name}"'
                    for name, kind, *_ in described
                )
                con.execute(
                    f'create or replace table "{schema}"."{table_dir.name}" as select {projection} from {source}'
                )
    return str(out_file)


def as_duckdb_file(path: str, schemas: list[str], scratch_file: str) -> str:
    """A DuckDB file as it is; a Spark warehouse folder copied into the DuckDB file scratch_file."""
    if Path(path).is_dir():
        return spark_warehouse_to_duckdb(path, scratch_file, schemas)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--tolerance", type=float, default=1e-9)
    parser.add_argument(
        "--decimal-tolerance",
        type=float,
        default=None,
        help="relative tolerance of decimals (default: exact; 1e-12 when a side is a Spark warehouse)",
    )
    parser.add_argument(
        "--schema",
        action="append",
        help="schema whose tables to compare (repeatable; default: marts)",
    )
    args = parser.parse_args()
    schemas = args.schema or ["marts"]
    with tempfile.TemporaryDirectory() as scratch:
        before = as_duckdb_file(args.before, schemas, scratch + "/before.duckdb")
        after = as_duckdb_file(args.after, schemas, scratch + "/after.duckdb")
        decimal_tolerance = args.decimal_tolerance
        if decimal_tolerance is None:
            engines_differ = Path(args.before).is_dir() or Path(args.after).is_dir()
            decimal_tolerance = SPARK_DECIMAL_TOLERANCE if engines_differ else 0.0
        return compare(before, after, args.tolerance, schemas, decimal_tolerance)


if __name__ == "__main__":
    sys.exit(main())
