"""make export: every public mart as Parquet and CSV, for tools that cannot open the warehouse.

    python -m dashboard.export --manifest target/manifest.json --warehouse dm_roi.duckdb --out reports/export

The marts are the models of group kpi_consumers with access public, read
from dbt's manifest (never a list kept here). Each becomes OUT/<name>.parquet
and OUT/<name>.csv (header, UTF-8, decimals as written by DuckDB). OUT holds a
marker file, .dm_roi_export, listing what it wrote: a folder that is not
empty and has no marker is never written to (it may be someone's files);
with a marker, the files it lists are replaced.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

MARKER = ".dm_roi_export"
GROUP = "kpi_consumers"
FORMATS = {"parquet": "(format parquet, compression zstd)", "csv": "(format csv, header true)"}


def public_marts(manifest: dict[str, Any], group: str = GROUP) -> list[dict[str, str]]:
    """The enabled models of the group with access public: name, schema and relation alias, by name."""
    marts = []
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model" or not node.get("config", {}).get("enabled", True):
            continue
        node_group = node.get("group") or node.get("config", {}).get("group")
        access = node.get("access") or node.get("config", {}).get("access")
        if node_group == group and access == "public":
            marts.append({"name": node["name"], "schema": node["schema"], "alias": node.get("alias") or node["name"]})
    return sorted(marts, key=lambda mart: mart["name"])


def read_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run `dbt parse` (make export does) or `make build` first")
    return json.loads(path.read_text())


def check_destination(out: Path) -> list[str]:
    """The files of a previous export in out (from its marker); refuses a folder that is not one."""
    marker = out / MARKER
    if marker.is_file():
        return list(json.loads(marker.read_text()).get("files", []))
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(
            f"{out} is not empty and was not written by make export (no {MARKER} file): choose a new or empty folder"
        )
    return []


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def export(manifest: dict[str, Any], warehouse: Path, out: Path) -> list[dict[str, Any]]:
    """Write every public mart as Parquet and CSV into out; returns one entry per mart."""
    marts = public_marts(manifest)
    if not marts:
        raise ValueError(f"the manifest has no model of group {GROUP} with access public")
    if not warehouse.is_file():
        raise FileNotFoundError(f"warehouse {warehouse} not found: run `make build` first (or set DBT_DUCKDB_PATH)")
    previous_files = check_destination(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in previous_files:
        if Path(name).name == name:  # only plain file names of this folder
            (out / name).unlink(missing_ok=True)
    written: list[dict[str, Any]] = []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        (catalog,) = connection.execute("select current_database()").fetchone()
        for mart in marts:
            relation = ".".join(_quote(part) for part in (catalog, mart["schema"], mart["alias"]))
            (rows,) = connection.execute(f"select count(*) from {relation}").fetchone()
            files = []
            for extension, options in FORMATS.items():
                path = out / f"{mart['name']}.{extension}"
                connection.execute(f"copy (select * from {relation}) to {_literal(str(path))} {options}")
                files.append(path.name)
            written.append(
                {"mart": mart["name"], "relation": f"{mart['schema']}.{mart['alias']}", "rows": rows, "files": files}
            )
    marker = {
        "written_by": "make export (python -m dashboard.export); its files are replaced on the next run",
        "warehouse": str(warehouse),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "marts": written,
        "files": [name for entry in written for name in entry["files"]],
    }
    (out / MARKER).write_text(json.dumps(marker, indent=2) + "\n")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest", type=Path, default=Path("target/manifest.json"))
    parser.add_argument("--warehouse", type=Path, default=Path("dm_roi.duckdb"))
    parser.add_argument("--out", type=Path, default=Path("reports/export"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        written = export(read_manifest(args.manifest), args.warehouse, args.out)
    except (FileNotFoundError, FileExistsError, ValueError) as error:
        print(f"make export: {error}", file=sys.stderr)
        return 1
    for entry in written:
        print(f"  {entry['relation']:<32} {entry['rows']:>9,} rows -> {', '.join(entry['files'])}")
    print(f"{len(written)} public marts exported to {args.out} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
