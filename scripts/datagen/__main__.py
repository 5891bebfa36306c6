"""Command line of the vectorised generator: ``python -m scripts.datagen --sessions N --out DIR``.

Writes the five raw tables of the contract (every column text) to DIR as ``<table>.parquet`` (or
``.csv``), or with ``--parts daily`` as ``DIR/<table>/<YYYY-MM-DD>.<ext>`` (events by received_at,
orders by created_at, CRM records by updated_at, UTC dates; fx rates and costs in
``DIR/<table>/all.<ext>``). Same arguments and seed: byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .generate import Config, generate


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m scripts.datagen",
        description="Generate the raw tables of the dm_roi contract at any size (deterministic).",
    )
    parser.add_argument("--sessions", type=int, required=True, help="automated DM sessions (triggers)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--seed", type=int, default=20251101)
    parser.add_argument(
        "--chain",
        type=int,
        default=0,
        help="add an adversarial identity chain of N CRM records (one person)",
    )
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        default=date(2025, 11, 1),
        help="first day (UTC)",
    )
    parser.add_argument("--days", type=int, default=365, help="length of the period in days")
    parser.add_argument(
        "--parts",
        choices=["daily"],
        default=None,
        help="one file per UTC day and table",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=2,
        help="DuckDB threads (output does not depend on it)",
    )
    args = parser.parse_args(argv)
    if args.sessions < 1:
        parser.error("--sessions must be at least 1")
    if args.days < 7:
        parser.error("--days must be at least 7")
    if not 0 <= args.chain <= 10_000_000:
        parser.error("--chain must be between 0 and 10,000,000")
    return args


def main(argv=None):
    args = parse_args(argv)
    cfg = Config(
        sessions=args.sessions,
        out=args.out,
        fmt=args.format,
        seed=args.seed,
        chain=args.chain,
        start=args.start,
        days=args.days,
        parts=args.parts,
        threads=args.threads,
    )
    result = generate(cfg)
    for table, rows in result["counts"].items():
        print(f"{table:22s} {rows:>12,d} rows")
    print(
        f"{result['threads']:,d} threads, {result['duplicates']:,d} duplicate deliveries; "
        f"built in {result['seconds_build']} s, done in {result['seconds_total']} s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
