#!/usr/bin/env python3
"""Check the demo seeds before dbt reads them: UTF-8, lower-case headers, no field over 128 KiB.

    .venv/bin/python scripts/check_seeds.py [--seeds-dir seeds]

dbt fails on each of these far from the cause: a byte that is not UTF-8 stops `dbt parse` with a
Python traceback that names no file; an upper-case header (AMOUNT) escapes the seeds'
column_types, loads typed and breaks the first staging unit test; a field longer than 131,072
characters stops `dbt seed` with advice the user cannot follow. `make build` and `make test` run
this first; it prints one line per problem (file, line, what to do) and exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

SEED_FIELD_LIMIT = 131_072  # agate's (Python csv's default) field size limit, which dbt seed uses


def problems_of(path: Path) -> list[str]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return [
            f"{path}: line {line} is not UTF-8 (byte 0x{data[error.start]:02x}): re-save the file as UTF-8, "
            "or read it from a folder of files with --vars '{raw_path: <folder>, raw_csv_encoding: latin-1}'"
        ]
    problems = []
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = next(reader, [])
    for name in header:
        if name != name.strip().lower():
            problems.append(
                f"{path}: header column {name!r} is not lower case: seeds' column_types match names exactly, "
                f"so it would load typed; write it as {name.strip().lower()!r}"
            )
    for row in reader:
        for name, value in zip(header, row, strict=False):
            if len(value) > SEED_FIELD_LIMIT:
                problems.append(
                    f"{path}: line {reader.line_num}, column {name}, holds {len(value):,} characters: dbt seed "
                    f"reads at most {SEED_FIELD_LIMIT:,}; load such data from files (--vars '{{raw_path: <folder>}}')"
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds-dir", default=Path(__file__).resolve().parents[1] / "seeds", type=Path)
    args = parser.parse_args(argv)
    problems = [problem for path in sorted(args.seeds_dir.glob("*.csv")) for problem in problems_of(path)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
