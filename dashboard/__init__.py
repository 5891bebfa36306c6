"""The page managers read, and the exports for other tools.

    python -m dashboard --warehouse dm_roi.duckdb --out-dir reports/dashboard [--period 2026-09]
    python -m dashboard.export --manifest target/manifest.json --warehouse dm_roi.duckdb --out reports/export

`make dashboard` and `make export` run them. Every number on the page is read
from the marts (kpi_scorecard, mart_flow_performance, mart_flow_dropoff,
mart_roi_monthly); this package only chooses, formats and draws them.
"""
