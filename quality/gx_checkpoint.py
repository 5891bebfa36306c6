"""Run the Great Expectations suites against the DuckDB warehouse.

    python -m quality.gx_checkpoint --warehouse dm_roi.duckdb --output-dir reports/gx [--suites raw,marts]

Opens the warehouse read-only, reads each table of the selected suites into
pandas (the GX SQL datasource through duckdb-engine returns empty results,
and GX has no regex support for the duckdb dialect), adds the helper columns
of quality/prepare.py, builds one suite per table from quality/suites.py and
runs ONE GX Checkpoint over all their validation definitions. Writes:

    DIR/index.html     plain HTML summary, readable offline (no JavaScript, inline CSS)
    DIR/results.json   the same, machine-readable
    DIR/data_docs/     GX's own Data Docs (their CSS/JS come from CDNs: they need a network)

Prints one line per suite; exits 1 when any expectation fails or a table of
a selected suite is missing from the warehouse, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before great_expectations is imported

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from quality import prepare, report, suites  # noqa: E402

LAYERS = ("raw", "marts")
CHECKPOINT_NAME = "dm_roi_warehouse"
DATA_DOCS_SITE = "dm_roi_checks"
# SUMMARY: counts and percentages plus the first unexpected values.
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 20}
SAMPLE_SIZE = 5
CHECK_KEY = "dm_roi_check"  # expectation meta: position of the check in its suite


@dataclass
class ExpectationOutcome:
    expectation: str
    kwargs: dict[str, Any]
    why: str
    success: bool
    observed: str
    unexpected_count: int | None = None
    element_count: int | None = None
    sample_unexpected: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    @property
    def target(self) -> str:
        if "column" in self.kwargs:
            return str(self.kwargs["column"])
        if "column_list" in self.kwargs:
            return ", ".join(map(str, self.kwargs["column_list"]))
        return "(table)"

    @property
    def label(self) -> str:
        return f"{self.expectation}({self.target})"


@dataclass
class SuiteOutcome:
    suite: str
    table: str
    layer: str
    status: str  # passed | failed | missing
    rows: int | None = None
    message: str | None = None
    expectations: list[ExpectationOutcome] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return self.status == "passed"

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.expectations if not outcome.success]

    def summary_line(self) -> str:
        status = "PASS" if self.success else "FAIL"
        if self.status == "missing":
            return f"{status}  {self.suite:<32} {self.message}"
        passed = len(self.expectations) - len(self.failed)
        line = f"{status}  {self.suite:<32} {self.rows:>9,} rows  {passed}/{len(self.expectations)} expectations passed"
        if self.failed:
            names = [outcome.label for outcome in self.failed]
            line += "; failed: " + ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        return line


# --- reading the warehouse ---------------------------------------------------


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def read_tables(warehouse: Path, tables: list[str]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Each existing table as a dataframe, and the tables that do not exist.

    Only the columns that an expectation or a helper column reads are loaded;
    the others stay in the frame as empty placeholders, so the column-set
    checks still see the table's whole schema (a million raw events: 9 of 21
    columns, which halves reading and handing the frame to GX). Raw tables
    are all text: blank values (only spaces) are read as null, as staging's
    clean_text does."""
    frames: dict[str, pd.DataFrame] = {}
    missing: list[str] = []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        (catalog,) = connection.execute("select current_database()").fetchone()
        columns_by_table: dict[str, list[tuple[str, str]]] = {}
        for schema, name, column, data_type in connection.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns "
            "where table_catalog = current_database() order by table_schema, table_name, ordinal_position"
        ).fetchall():
            columns_by_table.setdefault(f"{schema}.{name}".lower(), []).append((column, data_type))
        for table in tables:
            columns = columns_by_table.get(table.lower())
            if not columns:
                missing.append(table)
                continue
            needed = suites.columns_checked(suites.checks_for(table, [column for column, _ in columns]))
            needed |= set(prepare.INPUTS.get(table, []))
            selected = []
            for column, data_type in columns:
                if column not in needed:
                    selected.append(f"null as {_quote(column)}")
                elif suites.layer_of(table) == "raw" and data_type.upper() == "VARCHAR":
                    selected.append(
                        f"case when trim({_quote(column)}) = '' then null else {_quote(column)} end as {_quote(column)}"
                    )
                else:
                    selected.append(_quote(column))
            # Fully qualified: a file named raw.duckdb or marts.duckdb makes its
            # catalog name clash with the schema name.
            schema, name = table.split(".", 1)
            relation = ".".join(_quote(part) for part in (catalog, schema, name))
            frames[table] = connection.execute(f"select {', '.join(selected)} from {relation}").df()
    return frames, missing


# --- GX ----------------------------------------------------------------------


def _resolve(kwargs: dict[str, Any], row_count: int) -> dict[str, Any]:
    return {
        key: suites.mostly_for(row_count) if value is suites.TOLERATE_REJECTS else value
        for key, value in kwargs.items()
    }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if value != value else value  # NaN -> null
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(item) for item in value]
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    if value is pd.NaT:
        return None
    return str(value)


def _error_message(exception_info: Any) -> str | None:
    """GX puts exceptions either at the top level or under each failed metric."""
    if not exception_info:
        return None
    infos = [exception_info] if "raised_exception" in exception_info else list(exception_info.values())
    messages = [
        info.get("exception_message") for info in infos if isinstance(info, dict) and info.get("raised_exception")
    ]
    return "; ".join(dict.fromkeys(message for message in messages if message)) or None


def _observed(expectation_type: str, result: dict[str, Any], success: bool, error: str | None) -> str:
    if error:
        return "not evaluated"
    if expectation_type == "expect_column_to_exist":
        return "present" if success else "column not found"
    if expectation_type == "expect_table_columns_to_match_set":
        missing = ((result.get("details") or {}).get("mismatched") or {}).get("missing") or []
        if missing:
            return "missing column(s): " + ", ".join(map(str, missing))
        return "all required columns present"
    if expectation_type == "expect_table_row_count_to_be_between":
        return f"{result.get('observed_value', 0):,} rows"
    if "unexpected_count" in result:
        unexpected, total = result["unexpected_count"], result.get("element_count") or 0
        missing = result.get("missing_count")
        if missing is None:  # not-null / null checks: a share of all rows
            return f"{unexpected:,} unexpected of {total:,} rows ({result.get('unexpected_percent') or 0:.2f}%)"
        checked = total - missing
        return (
            f"{unexpected:,} unexpected of {checked:,} non-null values ({result.get('unexpected_percent') or 0:.2f}%)"
        )
    if "observed_value" in result:
        return str(_jsonable(result["observed_value"]))
    return ""


def _sample(result: dict[str, Any]) -> list[dict[str, Any]]:
    counts = result.get("partial_unexpected_counts") or []
    if counts:
        return [
            {"value": _jsonable(item.get("value")), "count": _jsonable(item.get("count"))}
            for item in counts[:SAMPLE_SIZE]
        ]
    values = result.get("partial_unexpected_list") or []
    return [{"value": _jsonable(value), "count": None} for value in values[:SAMPLE_SIZE]]


def run_checkpoint(
    frames: dict[str, pd.DataFrame], data_docs_dir: Path | None, timings: dict[str, float] | None = None
) -> list[SuiteOutcome]:
    """One suite per frame, one validation definition per suite, one Checkpoint
    over all of them; then the GX Data Docs site in data_docs_dir (None: none).
    timings gets the seconds spent in the checkpoint and on the Data Docs."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if data_docs_dir is not None:
        shutil.rmtree(data_docs_dir, ignore_errors=True)
        context.add_data_docs_site(
            site_name=DATA_DOCS_SITE,
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    datasource = context.data_sources.add_pandas(name="warehouse")
    checks_by_table: dict[str, list[suites.Check]] = {}
    validation_definitions = []

    # A Checkpoint passes the same batch parameters to every validation
    # definition, so in-memory dataframe assets (one dataframe per run) cannot
    # serve several tables in one Checkpoint. Each prepared frame is handed to
    # GX as a pickle file in a temporary directory instead (pandas
    # read_pickle: exact dtypes, no extra dependency).
    with tempfile.TemporaryDirectory(prefix="gx_batches_") as batch_dir:
        for table, frame in frames.items():
            path = Path(batch_dir) / f"{table}.pkl"
            frame.to_pickle(path)
            batch_definition = datasource.add_pickle_asset(
                name=table, filepath_or_buffer=path
            ).add_batch_definition_whole_dataframe(name="whole_table")
            checks = suites.checks_for(table, list(frame.columns))
            checks_by_table[table] = checks
            # The whole suite at once (suite.add_expectation re-saves the
            # suite each time); meta says which check an expectation is.
            suite = context.suites.add(
                gx.ExpectationSuite(
                    name=table,
                    expectations=[
                        check.expectation(
                            **_resolve(check.kwargs, len(frame)), description=check.why, meta={CHECK_KEY: position}
                        )
                        for position, check in enumerate(checks)
                    ],
                )
            )
            validation_definitions.append(
                context.validation_definitions.add(
                    gx.ValidationDefinition(name=table, data=batch_definition, suite=suite)
                )
            )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=CHECKPOINT_NAME,
                validation_definitions=validation_definitions,
                result_format=RESULT_FORMAT,
            )
        )
        checkpoint_result = checkpoint.run()
    timings["checkpoint"] = time.perf_counter() - started
    if data_docs_dir is not None:
        # One build of the whole site after the run, rather than GX's
        # UpdateDataDocsAction in the Checkpoint, which rebuilds the site once
        # per validation result (8 s instead of 2 s for the eight mart suites).
        context.build_data_docs(site_names=[DATA_DOCS_SITE])
        timings["data_docs"] = time.perf_counter() - started - timings["checkpoint"]

    outcomes = []
    for validation_result in checkpoint_result.run_results.values():
        table = validation_result.suite_name
        expectations = []
        for expectation_result in validation_result.results:
            configuration = expectation_result.expectation_config
            position = (configuration.meta or {}).get(CHECK_KEY)
            check = checks_by_table[table][position] if position is not None else None
            kwargs = {key: _jsonable(value) for key, value in configuration.kwargs.items() if key != "batch_id"}
            result = expectation_result.result or {}
            error = _error_message(expectation_result.exception_info)
            success = bool(expectation_result.success)
            expectations.append(
                (
                    position if position is not None else len(checks_by_table[table]),
                    ExpectationOutcome(
                        expectation=configuration.type,
                        kwargs=kwargs,
                        why=check.why if check else (configuration.description or ""),
                        success=success,
                        observed=_observed(configuration.type, result, success, error),
                        unexpected_count=result.get("unexpected_count"),
                        element_count=result.get("element_count"),
                        sample_unexpected=_sample(result),  # also when tolerated (mostly)
                        error=error,
                    ),
                )
            )
        expectations.sort(key=lambda pair: pair[0])  # declaration order (GX sorts by type)
        outcomes.append(
            SuiteOutcome(
                suite=table,
                table=table,
                layer=suites.layer_of(table),
                status="passed" if validation_result.success else "failed",
                rows=len(frames[table]),
                expectations=[outcome for _, outcome in expectations],
            )
        )
    return outcomes


# --- CLI ---------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m quality.gx_checkpoint",
        description="Run the Great Expectations suites (raw inputs, marts) against the DuckDB warehouse.",
    )
    parser.add_argument("--warehouse", required=True, type=Path, help="DuckDB file (opened read-only)")
    parser.add_argument(
        "--output-dir", required=True, type=Path, help="where index.html, results.json and data_docs/ go"
    )
    parser.add_argument(
        "--suites", default="raw,marts", help="comma-separated layers to check: raw, marts (default: both)"
    )
    parser.add_argument(
        "--no-data-docs",
        action="store_true",
        help="skip GX's Data Docs (index.html and results.json are always written)",
    )
    args = parser.parse_args(argv)
    layers = [layer.strip() for layer in args.suites.split(",") if layer.strip()]
    unknown = sorted(set(layers) - set(LAYERS))
    if unknown or not layers:
        parser.error(f"--suites takes raw and/or marts, got: {args.suites}")
    args.layers = [layer for layer in LAYERS if layer in layers]
    # GX's Data Docs store wants an absolute base directory.
    args.output_dir = args.output_dir.resolve()
    if not args.warehouse.is_file():
        parser.error(f"warehouse not found: {args.warehouse} (build it first, e.g. make build)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    run_at = datetime.now(UTC)
    tables = [table for table in suites.TABLES if suites.layer_of(table) in args.layers]

    frames, missing = read_tables(args.warehouse, tables)
    timings = {"read": time.perf_counter() - started}
    frames = {table: prepare.prepare(table, frame) for table, frame in frames.items()}
    timings["prepare"] = time.perf_counter() - started - timings["read"]

    args.output_dir.mkdir(parents=True, exist_ok=True)
    data_docs_dir = None if args.no_data_docs else args.output_dir / "data_docs"
    outcomes = run_checkpoint(frames, data_docs_dir, timings) if frames else []
    for table in missing:
        outcomes.append(
            SuiteOutcome(
                suite=table,
                table=table,
                layer=suites.layer_of(table),
                status="missing",
                message=f"table {table} does not exist in {args.warehouse}: "
                + (
                    "build the marts (dbt build) first, or run with --suites raw"
                    if suites.layer_of(table) == "marts"
                    else "load it (dbt seed, or your export into the raw schema) first"
                ),
            )
        )
    position = {table: index for index, table in enumerate(suites.TABLES)}
    outcomes.sort(key=lambda outcome: position.get(outcome.table, len(position)))
    seconds = time.perf_counter() - started

    import great_expectations as gx

    run = {
        "success": all(outcome.success for outcome in outcomes),
        "run_at": run_at.isoformat(timespec="seconds"),
        "warehouse": str(args.warehouse),
        "layers": args.layers,
        "checkpoint": CHECKPOINT_NAME,
        "partial_unexpected_count": RESULT_FORMAT["partial_unexpected_count"],
        "great_expectations_version": gx.__version__,
        "duration_seconds": round(seconds, 2),
        "phase_seconds": {phase: round(value, 2) for phase, value in timings.items()},
        "data_docs": "data_docs/index.html" if (args.output_dir / "data_docs" / "index.html").exists() else None,
        "suites": [{**asdict(outcome), "success": outcome.success} for outcome in outcomes],
    }
    (args.output_dir / "results.json").write_text(json.dumps(_jsonable(run), indent=2) + "\n")
    (args.output_dir / "index.html").write_text(report.render(run))

    for outcome in outcomes:
        print(outcome.summary_line())
    failed = [outcome for outcome in outcomes if not outcome.success]
    print(
        f"GX checkpoint {CHECKPOINT_NAME}: {len(outcomes) - len(failed)}/{len(outcomes)} suites passed "
        f"in {seconds:.1f} s; report: {args.output_dir / 'index.html'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
