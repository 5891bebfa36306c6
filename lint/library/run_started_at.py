"""Lint-time stand-in for dbt's ``run_started_at`` (a datetime): only ``strftime`` is used."""


def strftime(fmt):
    return "2026-01-01 00:00:00"
