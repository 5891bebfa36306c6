"""The plain HTML summary of a checkpoint run (DIR/index.html).

Self-contained: one file, CSS in a <style> element, no JavaScript, no web
fonts, no link to any other site, so it reads the same offline, in a CI
artefact or attached to a mail. (GX's own Data Docs, in DIR/data_docs, load
Bootstrap, jQuery, Vega and fonts from CDNs and build their index with
JavaScript: offline they show an empty page.)
"""

from __future__ import annotations

from html import escape
from typing import Any

STYLE = """
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 2rem; color: #1f2933; max-width: 110rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #d9e2ec; padding-bottom: .3rem; }
p.meta { color: #52606d; margin-top: 0; }
.banner { padding: .8rem 1rem; border-radius: 6px; font-weight: 600; margin: 1rem 0; }
.banner.ok { background: #e3f9e5; color: #0e5814; border: 1px solid #31b237; }
.banner.ko { background: #ffe3e3; color: #8a041a; border: 1px solid #e12d39; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #d9e2ec; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
tr.fail td { background: #fff5f5; }
.status { font-weight: 700; white-space: nowrap; }
.status.passed { color: #0e5814; } .status.failed, .status.missing, .status.error { color: #b00020; }
code { font-family: Menlo, Consolas, monospace; font-size: .85rem; background: #f0f4f8; padding: 0 .2rem; border-radius: 3px; word-break: break-all; }
ul.values { margin: 0; padding-left: 1.1rem; } .muted { color: #7b8794; }
.help { background: #f8fafc; border: 1px solid #d9e2ec; border-radius: 6px; padding: .6rem 1rem; font-size: .9rem; }
"""


def render(run: dict[str, Any]) -> str:
    suites = run["suites"]
    failed_suites = [suite for suite in suites if not suite["success"]]
    banner = (
        f'<div class="banner ok">PASSED: {len(suites)} suites, every expectation met.</div>'
        if run["success"]
        else f'<div class="banner ko">FAILED: {len(failed_suites)} of {len(suites)} suites have failing '
        f"expectations or a missing table (listed first below).</div>"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Data quality: Great Expectations checkpoint</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Data quality: Great Expectations checkpoint</h1>",
        f'<p class="meta">Checkpoint <code>{_e(run["checkpoint"])}</code> run at {_e(run["run_at"])} on '
        f"<code>{_e(run['warehouse'])}</code> (suites: {_e(', '.join(run['layers']))}; "
        f"great_expectations {_e(run['great_expectations_version'])}; {run['duration_seconds']} s)</p>",
        banner,
        _help(),
        "<h2>Suites</h2>",
        _overview(suites),
    ]
    failures = [(suite, outcome) for suite in suites for outcome in suite["expectations"] if not outcome["success"]]
    missing = [suite for suite in suites if suite["status"] == "missing"]
    if failures or missing:
        parts += ["<h2>What failed</h2>", _failures(missing, failures, run.get("partial_unexpected_count"))]
    for suite in suites:
        parts.append(_suite_section(suite, run.get("partial_unexpected_count")))
    docs = run.get("data_docs")
    parts.append(
        "<h2>GX Data Docs</h2><p>The same validation results as rendered by Great Expectations: "
        + (f'<a href="{_e(docs)}">data_docs/index.html</a>' if docs else "not built in this run")
        + '. <span class="muted">They load their styles and scripts from CDNs: with no network they show an empty '
        "page. This page and <code>results.json</code> need nothing.</span></p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _help() -> str:
    return (
        '<div class="help"><strong>How to read this.</strong> One suite per warehouse table. Each row is one '
        "expectation: the column(s) it reads, its rule, why it exists, what was observed and, when some values break the "
        "rule (a failure, or rows a raw check tolerates), a few of them with how often each occurs among the first ones GX collected (the full count is in "
        "<em>observed</em>). Columns ending in "
        "<code>_normalised</code> are the raw text trimmed and lowercased (currencies uppercased), as staging reads "
        "it; <code>_number</code> is the text parsed as a number; <code>_problem</code> columns are empty when a row "
        "is fine and otherwise say what is wrong. Raw checks tolerate up to 1 % of the rows (at least one row) "
        "breaking the contract: those rows become rejects in staging. Mart checks tolerate nothing. "
        "A missing table fails its whole suite.</div>"
    )


def _overview(suites: list[dict[str, Any]]) -> str:
    rows = ["<table><tr><th>suite</th><th>rows</th><th>expectations passed</th><th>failed</th><th>status</th></tr>"]
    for suite in sorted(suites, key=lambda suite: suite["success"]):
        expectations = suite["expectations"]
        failed = sum(not outcome["success"] for outcome in expectations)
        rows.append(
            f'<tr class="{"" if suite["success"] else "fail"}"><td><a href="#{_anchor(suite["suite"])}">'
            f"{_e(suite['suite'])}</a></td><td>{_count(suite['rows'])}</td>"
            f"<td>{len(expectations) - failed} / {len(expectations)}</td><td>{failed}</td>"
            f'<td class="status {suite["status"]}">{suite["status"].upper()}</td></tr>'
        )
    rows.append("</table>")
    return "\n".join(rows)


def _failures(
    missing: list[dict[str, Any]], failures: list[tuple[dict[str, Any], dict[str, Any]]], sample_of: Any
) -> str:
    rows = [
        "<table><tr><th>suite</th><th>expectation</th><th>column(s)</th><th>observed</th>"
        f"<th>unexpected values (× how often among the first {_e(sample_of)} found)</th></tr>"
    ]
    for suite in missing:
        rows.append(
            f'<tr class="fail"><td>{_e(suite["suite"])}</td><td>table exists</td><td>(table)</td>'
            f"<td>{_e(suite['message'])}</td><td></td></tr>"
        )
    for suite, outcome in failures:
        rows.append(
            f'<tr class="fail"><td><a href="#{_anchor(suite["suite"])}">{_e(suite["suite"])}</a></td>'
            f"<td><code>{_e(outcome['expectation'])}</code></td><td>{_e(_target(outcome))}</td>"
            f"<td>{_e(outcome['error'] or outcome['observed'])}</td><td>{_values(outcome)}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(rows)


def _suite_section(suite: dict[str, Any], sample_of: Any) -> str:
    head = (
        f'<h2 id="{_anchor(suite["suite"])}">{_e(suite["suite"])} '
        f'<span class="status {suite["status"]}">{suite["status"].upper()}</span></h2>'
    )
    if suite["status"] == "missing":
        return head + f'<p class="status missing">{_e(suite["message"])}</p>'
    rows = [
        head,
        f'<p class="meta">{_count(suite["rows"])} rows checked.</p>',
        "<table><tr><th>#</th><th>status</th><th>expectation</th><th>column(s)</th><th>rule</th><th>why</th>"
        f"<th>observed</th><th>unexpected values (× how often among the first {_e(sample_of)} found)</th></tr>",
    ]
    for number, outcome in enumerate(suite["expectations"], start=1):
        status = "error" if outcome["error"] else ("passed" if outcome["success"] else "failed")
        observed = _e(outcome["observed"]) + (
            f'<br><span class="status error">{_e(outcome["error"])}</span>' if outcome["error"] else ""
        )
        rows.append(
            f'<tr class="{"" if outcome["success"] else "fail"}"><td>{number}</td>'
            f'<td class="status {status}">{status.upper()}</td>'
            f"<td><code>{_e(outcome['expectation'])}</code></td><td>{_e(_target(outcome))}</td>"
            f"<td>{_rule(outcome['kwargs'])}</td><td>{_e(outcome['why'])}</td>"
            f"<td>{observed}</td><td>{_values(outcome)}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(rows)


def _target(outcome: dict[str, Any]) -> str:
    kwargs = outcome["kwargs"]
    if "column" in kwargs:
        return str(kwargs["column"])
    if "column_list" in kwargs:
        return ", ".join(map(str, kwargs["column_list"]))
    return "(table)"


def _rule(kwargs: dict[str, Any]) -> str:
    parts = []
    if "value_set" in kwargs:
        parts.append("in: " + ", ".join(f"<code>{_e(value)}</code>" for value in kwargs["value_set"]))
    if "column_set" in kwargs:
        parts.append("has: " + ", ".join(_e(value) for value in kwargs["column_set"]))
    if "regex" in kwargs:
        parts.append(f"matches <code>{_e(kwargs['regex'])}</code>")
    if "min_value" in kwargs or "max_value" in kwargs:
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is not None and high is not None:
            parts.append(f"between {_e(low)} and {_e(high)}")
        elif low is not None:
            parts.append(("&gt; " if kwargs.get("strict_min") else "&ge; ") + _e(low))
        else:
            parts.append(("&lt; " if kwargs.get("strict_max") else "&le; ") + _e(high))
    if "mostly" in kwargs:
        parts.append(f"for at least {float(kwargs['mostly']) * 100:.2f}% of the values")
    return "; ".join(parts) or '<span class="muted">-</span>'


def _values(outcome: dict[str, Any]) -> str:
    sample = outcome.get("sample_unexpected") or []
    if not sample:
        return ""
    items = []
    for item in sample:
        count = f' <span class="muted">× {_e(item["count"])}</span>' if item.get("count") is not None else ""
        items.append(f"<li><code>{_e(_show(item['value']))}</code>{count}</li>")
    return '<ul class="values">' + "".join(items) + "</ul>"


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return ", ".join(f"{key}={_show(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "(" + ", ".join(_show(item) for item in value) + ")"
    return str(value)


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else "-"


def _anchor(name: str) -> str:
    return "suite-" + "".join(character if character.isalnum() else "-" for character in name)


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)
