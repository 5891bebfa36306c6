#!/usr/bin/env python3
"""Compare the public marts (and the identity map) of two DuckDB warehouses, value for value.

    .venv/bin/python scripts/compare_marts.py BEFORE.duckdb AFTER.duckdb [--tolerance 1e-9]

Every table of schema ``marts`` (or of the schemas given with --schema) and ``intermediate.int_identity_person_map`` is read from both files;
the two must have the same columns and, sorted on every column, the same rows: text, integers,
decimals, booleans, dates and timestamps exactly, floating-point values within the tolerance
(relative, or absolute near 0). A table present on one side only is a difference. Prints one line
per table and exits 1 when anything differs, so it is the check of every optimisation ("the marts
before and after") and of engine or load-path equality.
"""

from __future__ import annotations

import argparse
import math
import sys

import duckdb

EXTRA_TABLES = [("intermediate", "int_identity_person_map")]


def tables(con: duckdb.DuckDBPyConnection, schemas: list[str]) -> list[tuple[str, str]]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where list_contains(?, table_schema) and table_type = 'BASE TABLE' "
        "order by table_schema, table_name",
        [schemas],
    ).fetchall()
    present = set(con.execute("select table_schema, table_name from information_schema.tables").fetchall())
    return [tuple(r) for r in rows] + [t for t in EXTRA_TABLES if t in present]


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


def same_value(a: object, b: object, tolerance: float) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        fa, fb = float(a), float(b)
        if math.isnan(fa) or math.isnan(fb):
            return math.isnan(fa) and math.isnan(fb)
        return abs(fa - fb) <= tolerance * max(1.0, abs(fa), abs(fb))
    return a == b


def compare(before: str, after: str, tolerance: float, schemas: list[str]) -> int:
    left = duckdb.connect(before, read_only=True)
    right = duckdb.connect(after, read_only=True)
    names = sorted(set(tables(left, schemas)) | set(tables(right, schemas)))
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
                if not same_value(a, b, tolerance):
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--tolerance", type=float, default=1e-9)
    parser.add_argument(
        "--schema",
        action="append",
        help="schema whose tables to compare (repeatable; default: marts)",
    )
    args = parser.parse_args()
    return compare(args.before, args.after, args.tolerance, args.schema or ["marts"])


if __name__ == "__main__":
    sys.exit(main())
