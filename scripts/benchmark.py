#!/usr/bin/env python3
"""Benchmark the whole project on generated data: prints a table, asserts nothing.

For each size (generated DM sessions, --sizes) the script:

1. generates the raw files with the project's generator
   (`python -m scripts.datagen --sessions N --out DIR --parts daily`: one part
   file per table and UTC day, `DIR/<table>/<YYYY-MM-DD>.parquet`, as daily
   exports arrive; every step reads `<table>/*.parquet`), timed;
2. measures the read floor: a fresh DuckDB process that reads every raw file
   once with every column hashed
   (`select count(*), sum(hash(columns(*))) from read_parquet(...)` per table);
3. `dbt parse` once (so the timed steps below start from a warm partial parse,
   as on a developer's machine; reported as its own row);
4. a full `dbt run` on a fresh warehouse file: wall time, peak RSS of the dbt
   process (DuckDB runs inside it), the models' time from run_results.json
   and the five slowest models;
5. a full `dbt build` on a fresh warehouse file (--skip-build skips it):
   wall, RSS and its pass / warn / error counts (data-test warnings on
   generated data are reported, never fatal);
6. the identity models (`dbt run --select path:models/intermediate/identity`)
   again on the built warehouse;
7. daily runs (issue 15): a folder of symlinks to every part file except the
   last day's of the daily tables (raw_dm_events, raw_orders,
   raw_crm_contacts: the parts dated on or after the last day of events; fx
   rates and costs whole); its own `dbt parse`; a full `dbt run` on a fresh
   warehouse ("dbt run, all but the last day"); the last day's files added;
   `dbt run` again ("dbt run, +1 day incremental"); both with `--threads 1`
   (DuckDB uses both cores in every model; two dbt threads would count each
   model's wait for the other in the models' time). Reported: the incremental
   run's models' time, wall and peak RSS as shares of the full run's, each
   model's time in both, and whether the marts and the identity map equal
   those of the full refresh on all the data (`scripts/compare_marts.py`
   against the warehouse of steps 4-6; --skip-incremental skips this step);
8. the chain case: the same data with a chain of --chain CRM records (record
   i shares an email with one neighbour and a phone with the other, the
   smallest key at one end: the worst case for label propagation), from the
   generator's --chain or, if it has none, added to raw_crm_contacts by this
   script; then (after a `dbt parse` of its own: another raw_path) staging +
   identity (`--select +path:models/intermediate/identity`) on a fresh
   warehouse, the identity models' time reported.

Every step is a child process; wall time is measured around it and peak RSS
is the child's (os.wait4: the largest resident set of the process and the
children it waited for). Each step is reported against the read floor of its
size (× floor = wall / floor wall). Targets (at 1M sessions, full refresh, 2
cores): `dbt run` ≤ 8× the read floor, `dbt build` ≤ 12×, peak RSS of every
dbt process ≤ 4 GiB, no model whose time grows more than 11× from 100k
to 1M sessions, and the models' time of the +1 day incremental run ≤ 5% of
the full run's, with marts identical to a full refresh. A missed target is reported with by how much; a failing step
with its exit code, and the script goes on (exit code 0 unless the script
itself breaks).

dbt runs on a copy of the project taken at the start (models, macros, tests,
seeds, ... in the work folder), so edits made in the repo while it runs do
not mix versions; its target and log folders are in the work folder too.

Usage (from the repo root):
    .venv/bin/python scripts/benchmark.py                         # 10k, 100k, 1M; prints
    .venv/bin/python scripts/benchmark.py --output docs/benchmarks.md   # = make bench
    .venv/bin/python scripts/benchmark.py --sizes 10000 --skip-build --keep
    .venv/bin/python scripts/benchmark.py --sizes 1000000 --chain 0 --skip-build   # the daily-run figure
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import glob
import itertools
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DBT = str(Path(sys.executable).parent / "dbt")
RAW_TABLES = [
    "raw_dm_events",
    "raw_crm_contacts",
    "raw_orders",
    "raw_fx_rates",
    "raw_automation_costs",
]
# What dbt reads of the project (copied into the work folder once).
PROJECT_ITEMS = [
    "dbt_project.yml",
    "profiles.yml",
    ".dbtignore",  # tests/fixtures/native holds vendor samples, not dbt fixtures
    "packages.yml",
    "dependencies.yml",
    "selectors.yml",
    "models",
    "macros",
    "tests",
    "seeds",
    "analyses",
    "snapshots",
    "docs",
]
DAILY_TABLES = ["raw_dm_events", "raw_orders", "raw_crm_contacts"]  # one part file per day
IDENTITY_PATH = "models/intermediate/identity"
GIB = 1024**3
TARGET_SIZE = 1_000_000
TARGET_RUN_RATIO = 8.0
TARGET_BUILD_RATIO = 12.0
TARGET_RSS_GIB = 4.0
TARGET_GROWTH = (100_000, 1_000_000, 11.0)  # from, to, at most this many times slower
TARGET_INCREMENTAL_SHARE = 0.05  # models' time of +1 day ≤ this share of the full run's
NOISE_S = 0.5  # model times under this are mostly fixed cost: their growth says little

# The read floor, run in a fresh interpreter: argv = table readers; prints JSON.
FLOOR_SCRIPT = """
import json, sys, time
import duckdb
connection = duckdb.connect()
connection.execute("set enable_progress_bar = false")  # stdout is the JSON below
started = time.perf_counter()
rows = {}
for name, reader in zip(sys.argv[1::2], sys.argv[2::2]):
    rows[name] = connection.execute(
        f"select count(*), sum(hash(columns(*))) from {reader}"
    ).fetchone()[0]
print(json.dumps({"rows": rows, "scan_s": time.perf_counter() - started}))
"""


@dataclass
class Step:
    """One measured child process (or a step that could not run)."""

    size: int
    name: str
    exit_code: int | None = None
    wall_s: float | None = None
    rss_bytes: int | None = None
    models_s: float | None = None  # sum of execution_time in run_results.json
    detail: str = ""
    ratio_target: float | None = None  # at most this many times the read floor
    rss_target: bool = False  # peak RSS ≤ TARGET_RSS_GIB
    share_target: float | None = None  # models_s at most this share of share_of's
    share_of: Step | None = None  # the full run an incremental run is measured against
    floor_s: float | None = None  # filled in once the size is done

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    @property
    def ratio(self) -> float | None:
        if self.wall_s is None or not self.floor_s:
            return None
        return self.wall_s / self.floor_s


@dataclass
class SizeResult:
    size: int
    steps: list[Step] = field(default_factory=list)
    run_models: dict[str, float] = field(default_factory=dict)  # model -> s (dbt run)
    build_problems: list[tuple[str, str, str]] = field(default_factory=list)
    floor_s: float | None = None
    daily: Daily | None = None  # step 7


@dataclass
class Daily:
    """Step 7: one new day on top of the rest, against a full run on the rest."""

    last_day: str
    new_rows: dict[str, int]  # raw table -> rows in the last day's files
    full: Step  # dbt run, all but the last day (fresh warehouse)
    increment: Step | None = None  # dbt run, +1 day incremental
    # model -> (materialization, s in the full run, s in the incremental run)
    models: dict[str, tuple[str, float | None, float | None]] = field(default_factory=dict)
    marts: str = "not compared"  # "equal", or the differing tables


# ----------------------------------------------------------------------------- processes


def measure(
    command: list[str],
    cwd: Path,
    log: Path,
    env: dict | None = None,
    stdout: Path | None = None,
):
    """Run a child; returns (exit code, wall s, peak RSS bytes). Output goes to log."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as files:
        log_file = files.enter_context(open(log, "ab"))
        log_file.write(f"\n$ {shlex.join(command)}\n".encode())
        log_file.flush()
        out = files.enter_context(open(stdout, "wb")) if stdout else log_file
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=log_file)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    exit_code = os.waitstatus_to_exitcode(status)
    process.returncode = exit_code  # reaped by wait4
    # Linux reports ru_maxrss in KiB
    return exit_code, wall, usage.ru_maxrss * 1024


def log_tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- data


def table_layout(data: Path, table: str) -> tuple[str, str] | None:
    """(format, glob) of a raw table, in the order macros/raw_files.sql looks."""
    base = data / table
    for file_format, pattern in [
        ("parquet", f"{base}.parquet"),
        ("csv", f"{base}.csv"),
        ("parquet", f"{base}/*.parquet"),
        ("csv", f"{base}/*.csv"),
    ]:
        if glob.glob(pattern):
            return file_format, pattern
    return None


def table_reader(file_format: str, pattern: str) -> str:
    quoted = pattern.replace("'", "''")
    if file_format == "parquet":
        return f"read_parquet('{quoted}', union_by_name = true)"
    return f"read_csv('{quoted}', header = true, all_varchar = true, union_by_name = true)"


def has_raw_tables(data: Path) -> bool:
    return all(table_layout(data, table) for table in RAW_TABLES)


def generator_options() -> str | None:
    """The generator's --help text, or None when it cannot run."""
    try:
        result = subprocess.run(
            [PYTHON, "-m", "scripts.datagen", "--help"],
            check=False,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def add_chain(source: Path, destination: Path, records: int) -> None:
    """destination = source with `records` chain CRM records added to raw_crm_contacts.

    Record k shares its email with k+1 when k is even and its phone with k+1
    when k is odd: one path of `records` nodes whose smallest key is at one
    end. The other tables are symlinked.
    """
    import duckdb

    destination.mkdir(parents=True)
    for item in source.iterdir():
        if not item.name.startswith("raw_crm_contacts"):
            (destination / item.name).symlink_to(item.resolve())
    file_format, pattern = table_layout(source, "raw_crm_contacts")
    chain = f"""
        select
            'chain_' || lpad(cast(k as varchar), 9, '0') as contact_id,
            '2026-03-02T10:00:00+00:00' as created_at,
            '2026-03-02T10:00:00+00:00' as updated_at,
            'chain' || cast(k // 2 as varchar) || '@chain.example' as email,
            '+1' || cast(3000000000 + (k + 1) // 2 as varchar) as phone,
            'email' as preferred_channel,
            'import' as source,
            'new' as lifecycle_status,
            'false' as opted_out
        from range({records}) as t(k)"""
    # union all by name: the file's other columns are null in the chain rows
    connection = duckdb.connect()
    target = destination / f"raw_crm_contacts.{file_format}"
    options = "(format parquet)" if file_format == "parquet" else "(format csv, header)"
    connection.execute(
        f"copy (select * from {table_reader(file_format, pattern)} union all by name {chain}) to '{target}' {options}"
    )
    connection.close()


# ----------------------------------------------------------------------------- dbt


class Dbt:
    """dbt on the project copy, one warehouse file and target folder per data folder."""

    def __init__(self, project: Path, data: Path, folder: Path, warehouse: Path):
        self.project, self.data, self.folder, self.warehouse = (
            project,
            data,
            folder,
            warehouse,
        )
        self.target = folder / "target"
        self.log = folder / "dbt_output.log"

    def __call__(self, *args: str) -> tuple[int, float, int, dict | None]:
        results_file = self.target / "run_results.json"
        results_file.unlink(missing_ok=True)
        env = dict(
            os.environ,
            DBT_DUCKDB_PATH=str(self.warehouse),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            DO_NOT_TRACK="1",
            DBT_USE_COLORS="false",
        )
        command = [
            DBT,
            *args,
            "--profiles-dir",
            str(self.project),
            "--project-dir",
            str(self.project),
            "--target-path",
            str(self.target),
            "--log-path",
            str(self.folder / "logs"),
            "--vars",
            json.dumps({"raw_path": str(self.data)}),
        ]
        exit_code, wall, rss = measure(command, self.project, self.log, env)
        results = None
        if results_file.exists():
            try:
                results = json.loads(results_file.read_text())
            except (OSError, ValueError):
                results = None
        return exit_code, wall, rss, results

    def fresh_warehouse(self) -> None:
        for suffix in ("", ".wal"):
            Path(f"{self.warehouse}{suffix}").unlink(missing_ok=True)

    def scalar(self, sql: str):
        """One value from the warehouse (read only), or None."""
        try:
            import duckdb

            with duckdb.connect(str(self.warehouse), read_only=True) as connection:
                return connection.execute(sql).fetchone()[0]
        except Exception:  # noqa: BLE001 - a figure for the detail column, never fatal
            return None


def node_name(unique_id: str) -> str:
    """model.dm_roi.dim_contacts -> dim_contacts; test.dm_roi.<name>.<hash> -> <name>."""
    parts = unique_id.split(".")
    return parts[2] if len(parts) > 2 else unique_id


def model_times(results: dict | None) -> dict[str, float]:
    if not results:
        return {}
    return {
        node_name(result["unique_id"]): result["execution_time"]
        for result in results["results"]
        if result["unique_id"].startswith("model.")
    }


def status_counts(results: dict | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in (results or {}).get("results", []):
        status = result["status"]
        status = {"success": "pass", "fail": "error", "runtime error": "error"}.get(status, status)
        counts[status] = counts.get(status, 0) + 1
    return counts


def dbt_step(size: int, name: str, dbt: Dbt, *args: str, **targets) -> tuple[Step, dict | None]:
    say(f"[{size:,}] {name}: dbt {' '.join(args)}")
    exit_code, wall, rss, results = dbt(*args)
    step = Step(size, name, exit_code, wall, rss, **targets)
    times = model_times(results)
    if times:
        step.models_s = sum(times.values())
    if exit_code != 0:
        step.detail = f"exit {exit_code}" + ("" if results else ", no run_results.json")
        say(f"  failed (exit {exit_code}), last lines of {dbt.log}:\n{log_tail(dbt.log)}")
    return step, results


def identity_models(project: Path) -> set[str]:
    return {path.stem for path in (project / IDENTITY_PATH).glob("*.sql")}


# ----------------------------------------------------------------------------- one size


def bench_size(
    size: int,
    arguments,
    project: Path,
    workdir: Path,
    chain_flag: bool,
    generator: bool,
) -> SizeResult:
    result = SizeResult(size)
    folder = workdir / str(size)
    folder.mkdir(parents=True, exist_ok=True)
    identity = identity_models(project)

    # 1. data
    data = folder / "data"
    chain_data = None
    if arguments.data_dir:
        data = arguments.data_dir / str(size)
        if not has_raw_tables(data):
            data = arguments.data_dir
        given_chain = arguments.data_dir / f"{size}-chain"
        chain_data = given_chain if has_raw_tables(given_chain) else None
        result.steps.append(Step(size, "generate", 0, detail=f"given: {data}"))
    elif not generator:
        result.steps.append(
            Step(
                size,
                "generate",
                None,
                detail="scripts.datagen cannot run: size skipped",
            )
        )
        return result
    else:
        say(f"[{size:,}] generate")
        command = [
            PYTHON,
            "-m",
            "scripts.datagen",
            "--sessions",
            str(size),
            "--out",
            str(data),
            "--parts",
            "daily",
        ]
        exit_code, wall, rss = measure(command, ROOT, folder / "generate.log")
        result.steps.append(Step(size, "generate", exit_code, wall, rss, detail="daily part files"))
        if exit_code != 0:
            result.steps[-1].detail = f"exit {exit_code}: size skipped"
            say(f"  generator failed:\n{log_tail(folder / 'generate.log')}")
            return result
    if not has_raw_tables(data):
        missing = [table for table in RAW_TABLES if not table_layout(data, table)]
        result.steps[-1].detail += f"; missing {', '.join(missing)}: size skipped"
        return result

    # 2. read floor
    say(f"[{size:,}] read floor")
    readers = []
    for table in RAW_TABLES:
        readers += [table, table_reader(*table_layout(data, table))]
    floor_out = folder / "floor.json"
    exit_code, wall, rss = measure(
        [PYTHON, "-c", FLOOR_SCRIPT, *readers],
        folder,
        folder / "floor.log",
        stdout=floor_out,
    )
    floor = Step(size, "read floor", exit_code, wall, rss)
    result.steps.append(floor)
    try:  # the last line: DuckDB may have written something before it
        lines = floor_out.read_text().strip().splitlines()
        figures = json.loads(lines[-1]) if exit_code == 0 and lines else None
    except (OSError, ValueError):
        figures = None
    if figures:
        rows = figures["rows"]
        floor.detail = f"scan {figures['scan_s']:.2f} s in-process; rows " + ", ".join(
            f"{table.removeprefix('raw_')} {count:,}" for table, count in rows.items()
        )
        result.floor_s = wall
    else:
        floor.detail = f"exit {exit_code}"
        say(f"  read floor failed:\n{log_tail(folder / 'floor.log')}")

    # 3. parse, 4. run, 5. build, 6. identity
    dbt = Dbt(project, data, folder, folder / "warehouse.duckdb")
    step, _ = dbt_step(size, "dbt parse", dbt, "parse", rss_target=True)
    result.steps.append(step)

    dbt.fresh_warehouse()
    step, results = dbt_step(size, "dbt run", dbt, "run", ratio_target=TARGET_RUN_RATIO, rss_target=True)
    result.steps.append(step)
    result.run_models = model_times(results)
    if results:
        counts = status_counts(results)
        step.detail = ", ".join(f"{status} {count}" for status, count in sorted(counts.items())) + (
            f"; {step.detail}" if step.detail else ""
        )

    built = step.ok
    if not arguments.skip_build:
        dbt.fresh_warehouse()
        step, results = dbt_step(
            size,
            "dbt build",
            dbt,
            "build",
            ratio_target=TARGET_BUILD_RATIO,
            rss_target=True,
        )
        result.steps.append(step)
        built = step.ok or bool(results)
        counts = status_counts(results)
        if results:
            order = ["pass", "warn", "error", "skipped"]
            shown = order + sorted(set(counts) - set(order))
            step.detail = ", ".join(f"{status} {counts.get(status, 0)}" for status in shown) + (
                f"; {step.detail}" if step.detail else ""
            )
            for node in results["results"]:
                if node["status"] not in ("success", "pass", "skipped", "no-op"):
                    message = " ".join(str(node.get("message") or "").split())[:160]
                    result.build_problems.append((node["status"], node_name(node["unique_id"]), message))
            tests_s = sum(
                node["execution_time"]
                for node in results["results"]
                if node["unique_id"].startswith(("test.", "unit_test."))
            )
            step.detail += f"; tests {tests_s:.2f} s"

    if built:
        step, results = dbt_step(
            size,
            "identity models",
            dbt,
            "run",
            "--select",
            f"path:{IDENTITY_PATH}",
            rss_target=True,
        )
        result.steps.append(step)
        rounds = dbt.scalar("select max(settled_in_round) from intermediate.int_identity_components")
        nodes = dbt.scalar("select count(*) from intermediate.int_identity_nodes")
        parts = [f"{label} {value:,}" for label, value in (("nodes", nodes), ("rounds", rounds)) if value is not None]
        step.detail = "; ".join([*parts, step.detail] if step.detail else parts)
    else:
        result.steps.append(Step(size, "identity models", None, detail="skipped: no warehouse built"))
    identity_no_chain = result.steps[-1]

    # 7. daily runs: compared with the warehouse of steps 4-6 (full refresh, all the data)
    if not arguments.skip_incremental:
        bench_daily(size, project, folder, data, dbt.warehouse if built else None, result, arguments.keep)
    if not arguments.keep:
        dbt.fresh_warehouse()  # disk: the chain case builds its own

    # 8. chain case
    if arguments.chain > 0:
        bench_chain(
            size,
            arguments,
            project,
            folder,
            data,
            chain_data,
            chain_flag,
            identity,
            identity_no_chain,
            result,
        )

    for step in result.steps:
        step.floor_s = result.floor_s
    if not arguments.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def day_parts(data: Path, table: str) -> dict[str, Path] | None:
    """{YYYY-MM-DD: part file} of a table in daily part files, or None for one file."""
    layout = table_layout(data, table)
    if layout is None or "/*." not in layout[1]:
        return None
    parts = {}
    for name in glob.glob(layout[1]):
        path = Path(name)
        try:
            dt.date.fromisoformat(path.stem)
        except ValueError:
            return None
        parts[path.stem] = path
    return parts


def part_rows(paths: list[Path]) -> int:
    import duckdb

    if not paths:
        return 0
    files = "[" + ", ".join("'" + str(path).replace("'", "''") + "'" for path in paths) + "]"
    if paths[0].suffix == ".parquet":
        reader = f"read_parquet({files}, union_by_name = true)"
    else:
        reader = f"read_csv({files}, header = true, all_varchar = true, union_by_name = true)"
    with duckdb.connect() as connection:
        return connection.execute(f"select count(*) from {reader}").fetchone()[0]


def manifest_materializations(target: Path) -> dict[str, str]:
    try:
        nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    except (OSError, ValueError, KeyError):
        return {}
    return {
        node_name(unique_id): node.get("config", {}).get("materialized", "")
        for unique_id, node in nodes.items()
        if unique_id.startswith("model.")
    }


DAILY_RUN = ("run", "--threads", "1")


def bench_daily(size, project, folder, data, complete_warehouse, result, keep) -> None:
    """Step 7: a full run on all but the last day, then the last day incrementally."""
    label = "dbt run, +1 day incremental"
    parts = {table: day_parts(data, table) for table in DAILY_TABLES}
    not_daily = [table for table, found in parts.items() if not found]
    if not_daily or not parts["raw_dm_events"]:
        result.steps.append(Step(size, label, None, detail=f"skipped: no daily part files for {', '.join(not_daily)}"))
        return
    # the last full day of events (its file at least half the median event file: the generator's
    # very last days hold only the tail of late deliveries); later days, and orders and CRM records
    # dated on or after it, come with it
    sizes = {day: path.stat().st_size for day, path in parts["raw_dm_events"].items()}
    half_median = sorted(sizes.values())[len(sizes) // 2] / 2
    last_day = max(day for day, size in sizes.items() if size >= half_median)
    held = {table: [path for day, path in sorted(found.items()) if day >= last_day] for table, found in parts.items()}
    daily_data = folder / "daily-data"
    shutil.rmtree(daily_data, ignore_errors=True)
    for table in RAW_TABLES:
        file_format, pattern = table_layout(data, table)
        keep_back = set(held.get(table, []))
        if "/*." in pattern:
            (daily_data / table).mkdir(parents=True)
            for name in sorted(glob.glob(pattern)):
                if Path(name) not in keep_back:
                    (daily_data / table / Path(name).name).symlink_to(Path(name).resolve())
        else:
            daily_data.mkdir(parents=True, exist_ok=True)
            (daily_data / Path(pattern).name).symlink_to(Path(pattern).resolve())
    try:
        new_rows = {table: part_rows(paths) for table, paths in held.items()}
    except Exception:  # noqa: BLE001 - a figure for the detail column, never fatal
        new_rows = {}

    dbt = Dbt(project, daily_data, folder / "daily", folder / "daily" / "warehouse.duckdb")
    dbt.folder.mkdir(parents=True, exist_ok=True)
    # another raw_path: a full parse first, so both runs start from a warm partial parse
    step, _ = dbt_step(size, "dbt parse, daily", dbt, "parse", rss_target=True)
    result.steps.append(step)
    dbt.fresh_warehouse()
    # one dbt thread for both runs: on 2 cores DuckDB already uses both for every model, and under
    # two dbt threads each model's time counts its wait for the other (docs/benchmarks.md, Notes)
    full, full_results = dbt_step(size, "dbt run, all but the last day", dbt, *DAILY_RUN, rss_target=True)
    files = sum(len(paths) for paths in held.values())
    full.detail = "; ".join(filter(None, [f"raw files without the {files} of {last_day} and later", full.detail]))
    result.steps.append(full)
    daily = Daily(last_day, new_rows, full)
    result.daily = daily
    if not full.ok:
        return
    for table, paths in held.items():
        for path in paths:
            (daily_data / table / path.name).symlink_to(path.resolve())
    increment, increment_results = dbt_step(
        size,
        label,
        dbt,
        *DAILY_RUN,
        rss_target=True,
        share_target=TARGET_INCREMENTAL_SHARE,
        share_of=full,
    )
    result.steps.append(increment)
    daily.increment = increment
    kinds = manifest_materializations(dbt.target)
    full_times, increment_times = model_times(full_results), model_times(increment_results)
    daily.models = {
        model: (kinds.get(model, ""), full_times.get(model), increment_times.get(model))
        for model in sorted(set(full_times) | set(increment_times))
    }

    # the marts (and identity map) against the full refresh on all the data
    if not increment.ok:
        daily.marts = "not compared: the incremental run failed"
    elif complete_warehouse is None or not Path(complete_warehouse).exists():
        daily.marts = "not compared: no full-refresh warehouse"
    else:
        say(f"[{size:,}] compare marts: full refresh vs +1 day incremental")
        out = folder / "daily" / "compare.txt"
        exit_code, wall, _ = measure(
            [PYTHON, "-m", "scripts.compare_marts", str(complete_warehouse), str(dbt.warehouse)],
            ROOT,
            folder / "daily" / "compare.log",
            stdout=out,
        )
        lines = out.read_text(errors="replace").splitlines() if out.exists() else []
        differing = [line.removeprefix("DIFF").strip() for line in lines if line.startswith("DIFF")]
        compared = [line for line in lines if line.startswith(("same", "DIFF"))]
        if exit_code == 0 and compared:
            daily.marts = f"equal ({len(compared)} tables, compared in {wall:.0f} s)"
        elif differing:
            daily.marts = "DIFFER: " + "; ".join(differing)
            say("  marts differ:\n" + "\n".join(differing))
        else:
            daily.marts = f"compare failed (exit {exit_code}): {log_tail(folder / 'daily' / 'compare.log', 3)}"
    increment.detail = "; ".join(filter(None, [f"marts vs full refresh: {daily.marts}", increment.detail]))
    if not keep:
        dbt.fresh_warehouse()


def bench_chain(
    size,
    arguments,
    project,
    folder,
    data,
    chain_data,
    chain_flag,
    identity,
    no_chain,
    result,
) -> None:
    label = f"chain {arguments.chain:,}"
    if chain_data is None:
        chain_data = folder / "chain-data"
        if chain_flag and not arguments.data_dir:
            say(f"[{size:,}] generate, {label}")
            command = [
                PYTHON, "-m", "scripts.datagen", "--sessions", str(size),
                "--out", str(chain_data), "--chain", str(arguments.chain),
            ]  # fmt: skip
            exit_code, wall, rss = measure(command, ROOT, folder / "generate.log")
            step = Step(size, f"generate, {label}", exit_code, wall, rss)
            if exit_code != 0:
                step.detail = f"exit {exit_code}"
        else:
            say(f"[{size:,}] add {label} to raw_crm_contacts")
            started = time.perf_counter()
            try:
                add_chain(data, chain_data, arguments.chain)
                step = Step(size, f"add {label}", 0, time.perf_counter() - started)
                step.detail = "chain rows added by this script (in-process, no RSS)"
            except Exception as error:  # noqa: BLE001 - reported, the benchmark goes on
                step = Step(size, f"add {label}", 1, detail=f"failed: {error}"[:200])
        result.steps.append(step)
        if not step.ok:
            return
    dbt = Dbt(project, chain_data, folder / "chain", folder / "chain" / "warehouse.duckdb")
    dbt.folder.mkdir(parents=True, exist_ok=True)
    # the chain data is another raw_path: a full parse first, like the main case
    step, _ = dbt_step(size, f"dbt parse, {label}", dbt, "parse", rss_target=True)
    result.steps.append(step)
    dbt.fresh_warehouse()
    step, results = dbt_step(
        size,
        f"staging + identity, {label}",
        dbt,
        "run",
        "--select",
        f"+path:{IDENTITY_PATH}",
        rss_target=True,
    )
    result.steps.append(step)
    times = model_times(results)
    identity_s = sum(seconds for model, seconds in times.items() if model in identity)
    parts = []
    if times:
        parts.append(f"identity models {identity_s:.2f} s")
        if no_chain.models_s:
            parts.append(f"{identity_s / no_chain.models_s:.2f}× no chain")
        rounds = dbt.scalar("select max(settled_in_round) from intermediate.int_identity_components")
        if rounds is not None:
            parts.append(f"rounds {rounds}")
    if step.detail:
        parts.append(step.detail)
    step.detail = "; ".join(parts)
    if times:
        # a row of its own: the identity models' time against the floor
        result.steps.append(
            Step(size, f"identity models, {label}", step.exit_code, identity_s, None, identity_s,
                 detail="the identity models of the run above (sum of their execution_time)")
        )  # fmt: skip


# ----------------------------------------------------------------------------- report


def verdict(value: float, limit: float, unit: str) -> str:
    if value <= limit:
        return f"met ({value:.1f}{unit} ≤ {limit:g}{unit})"
    over = value - limit
    return f"MISSED by {over / limit:.0%} ({value:.1f}{unit} > {limit:g}{unit}, {over:.1f}{unit} over)"


def step_row(step: Step) -> list[str]:
    target, outcome = [], []
    applies = step.size >= TARGET_SIZE
    if step.ratio_target is not None:
        target.append(f"≤ {step.ratio_target:g}× floor")
        # dbt exits 1 when it ran to the end with failing nodes: the time still counts
        completed = step.exit_code in (0, 1) and step.models_s is not None
        if applies and completed and step.ratio is not None:
            outcome.append("time " + verdict(step.ratio, step.ratio_target, "×"))
    if step.rss_target and step.rss_bytes is not None:
        target.append(f"RSS ≤ {TARGET_RSS_GIB:g} GiB")
        if applies:
            outcome.append("RSS " + verdict(step.rss_bytes / GIB, TARGET_RSS_GIB, " GiB"))
    if step.share_target is not None:
        target.append(f"models ≤ {step.share_target:.0%} of full run")
        full = step.share_of
        if applies and step.ok and step.models_s is not None and full is not None and full.models_s:
            share = 100 * step.models_s / full.models_s
            outcome.append("models " + verdict(share, 100 * step.share_target, "%") + " of the full run")
    if not applies and target:
        outcome.append(f"(targets at {TARGET_SIZE:,})")
    if step.exit_code is not None and step.exit_code != 0:
        outcome.insert(0, f"FAILED (exit {step.exit_code})")
    elif step.exit_code is None:
        outcome.insert(0, "not run")
    return [
        f"{step.size:,}",
        step.name,
        "" if step.wall_s is None else f"{step.wall_s:.2f}",
        "" if step.rss_bytes is None else f"{step.rss_bytes / GIB:.2f}",
        "" if step.ratio is None or step.name == "read floor" else f"{step.ratio:.1f}×",
        "" if step.models_s is None else f"{step.models_s:.2f}",
        ", ".join(target),
        "; ".join(outcome),
        step.detail,
    ]


STEP_HEADERS = [
    "sessions",
    "step",
    "wall s",
    "peak RSS GiB",
    "× floor",
    "models s",
    "target",
    "result",
    "detail",
]


def slowest_rows(results: list[SizeResult]) -> list[list[str]]:
    rows = []
    for result in results:
        ranked = sorted(result.run_models.items(), key=lambda item: -item[1])[:5]
        for rank, (model, seconds) in enumerate(ranked, 1):
            ratio = f"{seconds / result.floor_s:.1f}×" if result.floor_s else ""
            rows.append([f"{result.size:,}", str(rank), model, f"{seconds:.2f}", ratio])
    return rows


def growth_rows(results: list[SizeResult]) -> tuple[list[str], list[list[str]]]:
    measured = [result for result in results if result.run_models]
    headers = ["model", *[f"s at {r.size:,}" for r in measured]]
    pairs = list(itertools.pairwise(measured))
    headers += [f"{a.size:,} → {b.size:,}" for a, b in pairs]
    low, high, limit = TARGET_GROWTH
    target_pair = next((i for i, (a, b) in enumerate(pairs) if a.size == low and b.size == high), None)
    if target_pair is not None:
        headers.append(f"target ≤ {limit:g}× ({low:,} → {high:,})")
    models = sorted({model for result in measured for model in result.run_models})
    rows = []
    for model in models:
        times = [result.run_models.get(model) for result in measured]
        growth = []
        for a, b in pairs:
            ta, tb = a.run_models.get(model), b.run_models.get(model)
            growth.append(tb / ta if ta and tb else None)
        row = [model, *["" if t is None else f"{t:.2f}" for t in times]]
        row += [
            "" if g is None else f"{g:.1f}×" + (" !" if g > 1.1 * b.size / a.size else "")
            for g, (a, b) in zip(growth, pairs, strict=True)
        ]
        if target_pair is not None:
            g = growth[target_pair]
            if g is None:
                row.append("")
            else:
                text = verdict(g, limit, "×")
                if g > limit and (pairs[target_pair][1].run_models.get(model) or 0) < NOISE_S:
                    text += f" (under {NOISE_S:g} s: mostly fixed cost)"
                row.append(text)
        rows.append((growth[-1] if growth and growth[-1] is not None else 0, row))
    rows.sort(key=lambda item: -item[0])
    return headers, [row for _, row in rows]


def share(part: float | None, whole: float | None) -> str:
    return f"{part / whole:.1%}" if part is not None and whole else ""


def daily_rows(results: list[SizeResult]) -> tuple[list[str], list[list[str]]]:
    headers = [
        "sessions", "new day", "new rows: events, orders, CRM",
        "models s: full", "+1 day", "share",
        "wall s: full", "+1 day", "share",
        "peak RSS GiB: full", "+1 day", "share",
        "target", "result", "marts vs full refresh",
    ]  # fmt: skip
    rows = []
    for result in results:
        daily = result.daily
        if daily is None:
            continue
        full, increment = daily.full, daily.increment or Step(result.size, "", None)
        gib = [None if s.rss_bytes is None else s.rss_bytes / GIB for s in (full, increment)]
        outcome = step_row(increment)[7] if daily.increment else "not run"
        rows.append([
            f"{result.size:,}",
            daily.last_day,
            ", ".join(f"{daily.new_rows.get(table, 0):,}" for table in DAILY_TABLES) if daily.new_rows else "",
            *("" if s.models_s is None else f"{s.models_s:.2f}" for s in (full, increment)),
            share(increment.models_s, full.models_s),
            *("" if s.wall_s is None else f"{s.wall_s:.2f}" for s in (full, increment)),
            share(increment.wall_s, full.wall_s),
            *("" if g is None else f"{g:.2f}" for g in gib),
            share(gib[1], gib[0]),
            f"models ≤ {TARGET_INCREMENTAL_SHARE:.0%} of full run",
            outcome,
            daily.marts,
        ])  # fmt: skip
    return headers, rows


def daily_model_rows(daily: Daily) -> tuple[list[str], list[list[str]], str]:
    """Each model's time in the +1 day run against the full run, largest first; a summary line."""
    headers = ["model", "materialized", "full run s", "+1 day s", "+1 day ÷ full", "share of +1 day models"]
    total = sum(increment or 0 for _, _, increment in daily.models.values())
    ranked = sorted(daily.models.items(), key=lambda item: -(item[1][2] or 0))
    rows = [
        [
            model,
            kind,
            "" if full is None else f"{full:.2f}",
            "" if increment is None else f"{increment:.2f}",
            share(increment, full),
            share(increment, total),
        ]
        for model, (kind, full, increment) in ranked
    ]
    kinds: dict[str, list[float]] = {}
    for kind, full, increment in daily.models.values():
        sums = kinds.setdefault(kind or "unknown", [0.0, 0.0, 0])
        sums[0] += full or 0
        sums[1] += increment or 0
        sums[2] += 1
    summary = "; ".join(
        f"{kind} ({int(count)} models): {full:.2f} s full, {increment:.2f} s +1 day ({share(increment, total)} of it)"
        for kind, (full, increment, count) in sorted(kinds.items(), key=lambda item: -item[1][1])
    )
    return headers, rows, summary


def render(headers: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:

        def line(cells):
            return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

        return "\n".join([line(headers), line(["---"] * len(headers)), *map(line, rows)])
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip() for cells in [headers, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def machine() -> dict[str, str]:
    def read(path: str) -> str:
        try:
            return Path(path).read_text()
        except OSError:
            return ""

    cpu = next(
        (line.split(":", 1)[1].strip() for line in read("/proc/cpuinfo").splitlines() if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    memory_kib = next(
        (int(line.split()[1]) for line in read("/proc/meminfo").splitlines() if line.startswith("MemTotal:")),
        0,
    )

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "not installed"

    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            check=False,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpus (nproc)": str(cores),
        "cpu": cpu,
        "ram": f"{memory_kib / 1024**2:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "dbt-core": version("dbt-core"),
        "dbt-duckdb": version("dbt-duckdb"),
        "duckdb": version("duckdb"),
        "dbt threads": os.environ.get("DBT_THREADS", "2 (profiles.yml)"),
        "git": commit or "unknown",
    }


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def report(results, info, command, started, finished, load_start, load_end, markdown: bool) -> str:
    steps = [step for result in results for step in result.steps]
    sections = []
    h = "## " if markdown else ""
    if markdown:
        sections.append(
            "# Benchmarks\n\n"
            "Written by `scripts/benchmark.py` (`make bench`); rerun it to refresh this file "
            "(the Notes section at the end is kept). Figures only: no test times anything.\n\n"
            "Every step is a child process: wall time around it, peak RSS of the process "
            "(`os.wait4`; DuckDB runs inside dbt). The read floor is a fresh DuckDB process that "
            "reads every raw file once with every column hashed; × floor = wall / floor wall of the "
            "same size. dbt runs start from a warm partial parse (the `dbt parse` row) and each full "
            "run or build starts on a fresh warehouse file. Targets apply at 1,000,000 sessions."
        )
    lines = [f"{key}: {value}" for key, value in info.items()]
    lines += [
        f"load average (1, 5, 15 min): {load_start} at start, {load_end} at end",
        f"command: {command}",
        f"date: {started:%Y-%m-%d %H:%M} to {finished:%H:%M} UTC ({(finished - started).total_seconds() / 60:.0f} min)",
    ]
    if markdown:
        sections.append(f"{h}Machine and run\n\n" + "\n".join(f"- {line}" for line in lines))
    else:
        sections.append("\n".join(lines))
    sections.append(f"{h}Steps\n\n" + render(STEP_HEADERS, [step_row(step) for step in steps], markdown))
    slowest = slowest_rows(results)
    sections.append(
        f"{h}Five slowest models (dbt run)\n\n"
        + (
            render(["sessions", "rank", "model", "s", "× floor"], slowest, markdown)
            if slowest
            else "no dbt run wrote run_results.json"
        )
    )
    problems = [
        [f"{result.size:,}", status, node, message]
        for result in results
        for status, node, message in result.build_problems
    ]
    if problems:
        sections.append(
            f"{h}dbt build: warnings and errors\n\n"
            + render(["sessions", "status", "node", "message"], problems, markdown)
        )
    headers, rows = daily_rows(results)
    if rows:
        sections.append(
            f"{h}Daily runs: one new day on top of the rest (issue 15)\n\n"
            "The same daily part files in a folder of symlinks without the last day's files of the "
            "daily tables (events, orders, CRM records dated on or after the last day of events; fx "
            "rates and costs whole): `dbt run` on a fresh warehouse (full), then the last day's files "
            "added and `dbt run` again on the same warehouse (+1 day: the event models incremental, "
            "the rest rebuilt). Shares are +1 day ÷ full. Marts: every table of schema marts and the "
            "identity map of the +1 day warehouse against the full refresh on all the data (the "
            "`dbt run`/`dbt build` warehouse of the same size), `scripts/compare_marts.py`. Target at "
            f"{TARGET_SIZE:,} sessions: models' time ≤ {TARGET_INCREMENTAL_SHARE:.0%} of the full run's, "
            "marts identical.\n\n" + render(headers, rows, markdown)
        )
        largest = next((r for r in reversed(results) if r.daily and r.daily.models), None)
        if largest is not None:
            headers, rows, summary = daily_model_rows(largest.daily)
            sections.append(
                f"{h}Incremental run: models' time ({largest.size:,} sessions)\n\n"
                "Each model's execution_time in the +1 day run against the full run on all but the "
                "last day, sorted by its +1 day time. `incremental` models process the new day (and "
                "the threads it touches); `table` models are rebuilt from everything each run.\n\n"
                f"By materialization: {summary}.\n\n" + render(headers, rows, markdown)
            )
    headers, rows = growth_rows(results)
    if rows and len(headers) > 2:
        low, high, limit = TARGET_GROWTH
        sections.append(
            f"{h}Growth per model (dbt run)\n\n"
            f"Time at the larger size ÷ time at the smaller; target: at most {limit:g}× from "
            f"{low:,} to {high:,} sessions; `!` marks growth above 1.1× the data's "
            f"(11× for 10×) between any two sizes. Models under {NOISE_S:g} s are mostly "
            "fixed cost, their growth says little. Sorted by the last growth, largest first.\n\n"
            + render(headers, rows, markdown)
        )
    return "\n\n".join(sections) + "\n"


NOTES = "## Notes\n"


def write_markdown(path: Path, body: str) -> None:
    notes = NOTES
    if path.exists():
        old = path.read_text()
        if NOTES in old:
            notes = old[old.index(NOTES) :]
    path.parent.mkdir(parents=True, exist_ok=True)
    # docs/ is one of dbt's docs-paths: no Jinja delimiters in what we write
    body = body.replace("{{", "{ {").replace("{%", "{ %").replace("{#", "{ #")
    path.write_text(body + "\n" + notes)


# ----------------------------------------------------------------------------- main


def copy_project(destination: Path) -> None:
    destination.mkdir(parents=True)
    for item in PROJECT_ITEMS:
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(
                source,
                destination / item,
                ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.duckdb", "*.wal"),
            )
        elif source.exists():
            shutil.copy2(source, destination / item)


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        type=sizes,
        default=[10_000, 100_000, 1_000_000],
        help="generated sessions, comma-separated",
    )
    parser.add_argument(
        "--chain",
        type=int,
        default=100_000,
        help="CRM records in the identity chain case (0: no chain case)",
    )
    parser.add_argument("--workdir", type=Path, help="work folder (default: a new folder under /tmp)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the work folder (data, warehouses, logs)",
    )
    parser.add_argument("--skip-build", action="store_true", help="only dbt run (no dbt build)")
    parser.add_argument(
        "--skip-incremental",
        action="store_true",
        help="no daily-run step (full run on all but the last day, then +1 day incremental)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="also (re)write this markdown file, e.g. docs/benchmarks.md",
    )
    # Hidden: reuse pre-generated data: DIR/<size>/ (or DIR itself) holds the raw
    # tables, DIR/<size>-chain/ the chain case (else the chain is added to a copy).
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.data_dir:
        arguments.data_dir = arguments.data_dir.resolve()

    load_start = load_average()
    started = dt.datetime.now(dt.UTC)
    info = machine()  # at the start: the git state is that of the project copy measured
    command = shlex.join([Path(PYTHON).relative_to(ROOT).as_posix() if Path(PYTHON).is_relative_to(ROOT) else PYTHON,
                          "scripts/benchmark.py", *sys.argv[1:]])  # fmt: skip
    workdir = arguments.workdir or Path(tempfile.mkdtemp(prefix="dm_roi_bench_", dir="/tmp"))
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    say(f"work folder: {workdir}")

    help_text = None if arguments.data_dir else generator_options()
    generator = help_text is not None
    chain_flag = bool(help_text and "--chain" in help_text)
    if not arguments.data_dir and not generator:
        say("scripts.datagen cannot run (python -m scripts.datagen --help failed): nothing to measure")

    results = []
    try:
        project = workdir / "project"
        if not project.exists():
            copy_project(project)
        for size in arguments.sizes:
            results.append(bench_size(size, arguments, project, workdir, chain_flag, generator))
    finally:
        if arguments.keep:
            say(f"kept: {workdir}")
        elif arguments.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            shutil.rmtree(workdir / "project", ignore_errors=True)
    finished = dt.datetime.now(dt.UTC)
    load_end = load_average()
    print(
        report(
            results,
            info,
            command,
            started,
            finished,
            load_start,
            load_end,
            markdown=False,
        )
    )
    if arguments.output:
        write_markdown(
            arguments.output,
            report(results, info, command, started, finished, load_start, load_end, True),
        )
        say(f"wrote {arguments.output}")


if __name__ == "__main__":
    main()
