#!/usr/bin/env python3
"""Benchmark identity resolution (models/intermediate/identity) on a synthetic graph.

For each case (without and with a chain of --chain records, each linked only
to the next) the script:

1. writes the five RAW tables (all text columns, as the raw contract says)
   straight into a throwaway DuckDB file with DuckDB SQL: --records nodes,
   80 % CRM records, 10 % DM threads (a trigger event each, and a
   lead_submitted with email/phone for half of them), 10 % orders;
2. builds staging on them with dbt (`raw_from_seeds: false`: the models read
   the raw tables through source(), as with real exports), timed apart;
3. runs only the identity models with dbt (`--select
   path:models/intermediate/identity`) and times them: wall and CPU time of
   the dbt process, time of each model from run_results.json, rounds of the
   connected-components loop, peak RSS of the dbt process (os.wait4), and
   checks the persons against scipy.sparse.csgraph.connected_components on
   the same edges (exactness: same partition). The identity models run
   --repeat times per case (default 3), the two cases interleaved, and the
   best time of each model is reported (the machine may be shared); peak
   RSS is the largest of the runs.

Persons are drawn so that real data's shapes appear: records of one person
share an email and/or a phone (a person's records that share neither are
two components: that is correct), some CRM records carry the ig_user_id or
handle of a DM thread, one CRM record in 1,000 carries info@shop.example
(a hub once more than 20 hold it), and
the chain case replaces the last --chain CRM records by a chain whose
smallest key sits at one end (the worst case for label propagation).

Usage (from the repo root):
    .venv/bin/python scripts/benchmark_identity.py                 # 1M records
    .venv/bin/python scripts/benchmark_identity.py --records 100000 --chain 10000
The parts of the project the identity models need (staging, identity, macros)
are copied into a temporary folder (the repo is never written); --keep keeps it
and prints where.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).parent / "dbt"
# Only what the identity models need: staging, the identity models and their tests, the macros.
PROJECT_ITEMS = [
    "dbt_project.yml",
    "profiles.yml",
    "macros",
    "seeds/_seeds.yml",
    "models/staging",
    "models/intermediate/identity",
    "tests/identity",
]
STAGING = ["stg_crm__contacts", "stg_dm_platform__events", "stg_shop__orders"]
IDENTITY_SELECTOR = "path:models/intermediate/identity"
TS = "'2026-03-02T10:00:00+00:00'"


def contract_columns() -> dict[str, list[str]]:
    with open(ROOT / "seeds" / "_seeds.yml") as handle:
        return {seed["name"]: list(seed["config"]["column_types"]) for seed in yaml.safe_load(handle)["seeds"]}


def select_list(columns: list[str], values: dict[str, str]) -> str:
    """Every contract column, as text: the given SQL expression, else null."""
    return ",\n".join(f"cast({values.get(column, 'null')} as varchar) as {column}" for column in columns)


def write_raw_tables(path: Path, records: int, chain: int) -> dict:
    """The raw tables of one case; returns the node counts."""
    columns = contract_columns()
    crm = records * 8 // 10
    threads = records // 10
    orders = records - crm - threads
    persons = records * 4 // 10
    # record i of a kind belongs to person (i * 2654435761 + offset) % persons: spread, deterministic
    person = "((i * 2654435761 + {offset}) % {persons})"
    crm_person = person.format(offset=0, persons=persons)
    thread_person = person.format(offset=17, persons=persons)
    order_person = person.format(offset=29, persons=persons)
    regular_crm = crm - chain

    def email(person_expr: str) -> str:
        return f"'u' || {person_expr} || '@example.com'"

    def phone(person_expr: str) -> str:
        return f"'+1' || (2000000000 + {person_expr})"

    connection = duckdb.connect(str(path))
    connection.execute("create schema if not exists raw")
    # CRM: 70 % email, 60 % phone (at least one), 20 % ig_user_id, 30 % handle; 1 in 1,000 has info@
    crm_values = {
        "contact_id": "'c' || lpad(cast(i as varchar), 8, '0')",
        "created_at": TS,
        "updated_at": TS,
        "first_name": "'First'",
        "lifecycle_status": "'new'",
        "opted_out": "'false'",
        "email": f"""case
            when i % 1000 = 7 then 'info@shop.example'
            when i % 10 < 7 then {email(crm_person)}
        end""",
        "phone": f"case when i % 10 >= 4 then {phone(crm_person)} end",
        "ig_user_id": f"case when i % 5 = 1 then 'ig' || {crm_person} end",
        "ig_handle": f"case when i % 10 in (2, 5, 8) then '@H' || {crm_person} end",
    }
    crm_sql = f"select {select_list(columns['raw_crm_contacts'], crm_values)} from range({regular_crm}) as t(i)"
    if chain:
        # record k holds link k - 1 and link k; link j is an email when j is even, else a phone
        chain_values = {
            "contact_id": "'chain' || lpad(cast(k as varchar), 6, '0')",
            "created_at": TS,
            "updated_at": TS,
            "lifecycle_status": "'new'",
            "opted_out": "'false'",
            "email": f"""case
                when k % 2 = 0 and k < {chain - 1} then 'chain' || k || '@example.com'
                when k % 2 = 1 then 'chain' || (k - 1) || '@example.com'
            end""",
            "phone": f"""case
                when k % 2 = 1 and k < {chain - 1} then '+1' || (3000000000 + k)
                when k % 2 = 0 and k > 0 then '+1' || (3000000000 + k - 1)
            end""",
        }
        chain_columns = select_list(columns["raw_crm_contacts"], chain_values)
        crm_sql += f"\nunion all\nselect {chain_columns} from range({chain}) as t(k)"
    connection.execute(f"create or replace table raw.raw_crm_contacts as {crm_sql}")

    base_event = {
        "thread_id": "'t' || lpad(cast(i as varchar), 8, '0')",
        "ig_user_id": f"'ig' || {thread_person}",
        "ig_handle": f"'h' || {thread_person}",
        "occurred_at": TS,
        "received_at": TS,
        "actor": "'contact'",
        "flow_name": "'bench_flow'",
    }
    trigger = {
        **base_event,
        "event_id": "'e' || i || '_trigger'",
        "event_type": "'trigger'",
        "entry_point": "'keyword'",
    }
    lead = {
        **base_event,
        "event_id": "'e' || i || '_lead'",
        "event_type": "'lead_submitted'",
        "email": email(thread_person),
        "phone": f"case when i % 4 = 0 then {phone(thread_person)} end",
        "consent": "case when i % 3 = 0 then 'false' else 'true' end",
    }
    connection.execute(
        f"""create or replace table raw.raw_dm_events as
        select {select_list(columns["raw_dm_events"], trigger)} from range({threads}) as t(i)
        union all
        select {select_list(columns["raw_dm_events"], lead)} from range({threads}) as t(i) where i % 2 = 0"""
    )
    order_values = {
        "order_id": "'o' || lpad(cast(i as varchar), 8, '0')",
        "created_at": TS,
        "currency": "'USD'",
        "total_price": "'10.00'",
        "refunded_amount": "'0'",
        "financial_status": "'paid'",
        "customer_email": f"case when i % 10 < 8 then {email(order_person)} end",
        "customer_phone": f"case when i % 10 >= 6 then {phone(order_person)} end",
    }
    connection.execute(
        f"create or replace table raw.raw_orders as "
        f"select {select_list(columns['raw_orders'], order_values)} from range({orders}) as t(i)"
    )
    for table in ["raw_fx_rates", "raw_automation_costs"]:
        connection.execute(
            f"create or replace table raw.{table} as select {select_list(columns[table], {})} where false"
        )
    connection.close()
    return {"crm_contacts": crm, "dm_threads": threads, "orders": orders, "chain": chain}


def run_dbt(project: Path, warehouse: Path, *args: str) -> dict:
    """Run dbt in a child process; wall time and the child's peak RSS (os.wait4)."""
    env = dict(os.environ, DBT_DUCKDB_PATH=str(warehouse), DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1")
    command = [
        str(DBT),
        *args,
        "--vars",
        "{raw_from_seeds: false}",
        "--profiles-dir",
        str(project),
        "--project-dir",
        str(project),
        "--target-path",
        str(project / "target"),
        "--log-path",
        str(project / "logs"),
    ]
    log = open(project / "benchmark_dbt_output.log", "a")  # noqa: SIM115 - closed after the child exits
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    log.close()
    returncode = os.waitstatus_to_exitcode(status)
    if returncode != 0:
        tail = (project / "benchmark_dbt_output.log").read_text()[-4000:]
        raise SystemExit(f"dbt {' '.join(args)} failed ({returncode}):\n{tail}")
    results = json.loads((project / "target" / "run_results.json").read_text())
    timings = {result["unique_id"].split(".")[-1]: result["execution_time"] for result in results["results"]}
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "models_s": timings,
    }


def check_against_scipy(warehouse: Path) -> dict:
    """Same partition as scipy's connected_components over the same edges and nodes."""
    import numpy as np
    import pandas as pd
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        persons = connection.execute("select node_key, person_id from intermediate.int_identity_person_map").df()
        edges = connection.execute("select node_key, anchor_node_key from intermediate.int_identity_edges").df()
    started = time.perf_counter()
    codes = pd.Index(persons["node_key"])
    source = codes.get_indexer(edges["node_key"])
    target = codes.get_indexer(edges["anchor_node_key"])
    size = len(codes)
    graph = coo_matrix((np.ones(len(source), dtype=np.int8), (source, target)), shape=(size, size))
    count, labels = connected_components(graph, directed=False)
    scipy_seconds = time.perf_counter() - started
    pairs = pd.DataFrame({"person_id": persons["person_id"], "label": labels})
    exact = (
        pairs.groupby("person_id")["label"].nunique().max() == 1
        and pairs.groupby("label")["person_id"].nunique().max() == 1
        and persons["person_id"].nunique() == count
    )
    return {"scipy_components": int(count), "scipy_s": scipy_seconds, "same_partition": bool(exact)}


def case_figures(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as connection:

        def one(sql: str):
            return connection.execute(sql).fetchone()[0]

        return {
            "nodes": one("select count(*) from intermediate.int_identity_nodes"),
            "identifiers": one("select count(*) from intermediate.int_identity_identifiers"),
            "hubs": one("select count(*) from intermediate.int_identity_hubs"),
            "edges": one("select count(*) from intermediate.int_identity_edges"),
            "persons": one("select count(distinct person_id) from intermediate.int_identity_person_map"),
            "largest_person": one("select max(person_node_count) from intermediate.int_identity_person_map"),
            "rounds": one("select max(settled_in_round) from intermediate.int_identity_components"),
            "nodes_after_round_1": one(
                "select count(*) from intermediate.int_identity_components where settled_in_round > 1"
            ),
        }


def prepare_case(workdir: Path, name: str, records: int, chain: int) -> dict:
    """A project copy and warehouse with the raw tables and staging built (not timed as identity)."""
    project = workdir / name
    project.mkdir(parents=True)
    for item in PROJECT_ITEMS:
        source, destination = ROOT / item, project / item
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, destination)
    warehouse = project / "benchmark.duckdb"
    started = time.perf_counter()
    counts = write_raw_tables(warehouse, records, chain)
    generate_s = time.perf_counter() - started
    staging = run_dbt(project, warehouse, "run", "--select", *[f"+{model}" for model in STAGING])
    return {
        "case": name,
        "project": project,
        "warehouse": warehouse,
        **counts,
        "generate_s": generate_s,
        "staging_wall_s": staging["wall_s"],
        "runs": [],
    }


def summarise_case(case: dict) -> dict:
    """Best time of each model over the runs (the machine may be shared), figures, exactness."""
    runs = case.pop("runs")
    models = {model: min(run["models_s"][model] for run in runs) for model in runs[0]["models_s"]}
    return {
        **case,
        **case_figures(case["warehouse"]),
        "identity_wall_s": min(run["wall_s"] for run in runs),
        "identity_cpu_s": min(run["cpu_s"] for run in runs),
        "identity_models_s": sum(models.values()),
        "identity_peak_rss_mib": max(run["peak_rss_mib"] for run in runs),
        "models_s": models,
        **check_against_scipy(case["warehouse"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000, help="nodes per case (default 1,000,000)")
    parser.add_argument("--chain", type=int, default=10_000, help="length of the chain in the chain case")
    parser.add_argument("--workdir", type=Path, default=None, help="where to put the throwaway projects")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the identity models per case (best kept)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway projects and warehouses")
    arguments = parser.parse_args()

    workdir = arguments.workdir or Path(tempfile.mkdtemp(prefix="benchmark_identity_"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        cases = [
            prepare_case(workdir, "no_chain", arguments.records, 0),
            prepare_case(workdir, "chain", arguments.records, arguments.chain),
        ]
        # the identity models, the cases interleaved, so that a busy machine slows both alike;
        # each run replaces the tables in place
        for _ in range(arguments.repeat):
            for case in cases:
                case["runs"].append(run_dbt(case["project"], case["warehouse"], "run", "--select", IDENTITY_SELECTOR))
        cases = [summarise_case(case) for case in cases]
    finally:
        if not arguments.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    rows = [
        ("nodes", "{:,}"),
        ("chain", "{:,}"),
        ("identifiers", "{:,}"),
        ("edges", "{:,}"),
        ("hubs", "{:,}"),
        ("persons", "{:,}"),
        ("largest_person", "{:,}"),
        ("rounds", "{}"),
        ("nodes_after_round_1", "{:,}"),
        ("generate_s", "{:.1f}"),
        ("staging_wall_s", "{:.1f}"),
        ("identity_wall_s", "{:.1f}"),
        ("identity_models_s", "{:.2f}"),
        ("identity_cpu_s", "{:.1f}"),
        ("identity_peak_rss_mib", "{:,.0f}"),
        ("scipy_components", "{:,}"),
        ("scipy_s", "{:.2f}"),
        ("same_partition", "{}"),
    ]
    print(f"\n{'':28}" + "".join(f"{case['case']:>16}" for case in cases))
    for key, fmt in rows:
        print(f"{key:28}" + "".join(f"{fmt.format(case[key]):>16}" for case in cases))
    for model in cases[0]["models_s"]:
        print(f"  {model:26}" + "".join(f"{case['models_s'].get(model, 0):>16.2f}" for case in cases))
    ratio = cases[1]["identity_models_s"] / cases[0]["identity_models_s"]
    components = "int_identity_components"
    components_ratio = cases[1]["models_s"][components] / cases[0]["models_s"][components]
    print(f"\nchain / no chain: identity models {ratio:.2f}x, {components} {components_ratio:.2f}x")
    if arguments.keep:
        print(f"kept: {workdir}")
    if not all(case["same_partition"] for case in cases):
        raise SystemExit("identity persons differ from scipy's connected components")


if __name__ == "__main__":
    main()
