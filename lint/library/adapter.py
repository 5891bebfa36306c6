"""Lint-time stand-in for dbt's ``adapter`` object.

sqlfluff's jinja templater has no adapter, so ``adapter.dispatch('name',
'dm_roi')(*args)`` renders here the SQL that ``default__name`` (DuckDB)
renders, in a simplified form: enough for layout and style rules. Macros
without a stand-in render as a plain function call. dbt never imports this:
keep these in step with macros/sql_functions.sql and macros/fingerprint.sql when a
primitive is added.
"""

_STAND_INS = {
    "regex_replace_all": lambda e, p, r: f"regexp_replace({e}, '{p}', '{r}', 'g')",
    "regex_extract": lambda e, p, g=1: f"regexp_extract({e}, '{p}', {g})",
    "regex_matches": lambda e, p: f"regexp_matches({e}, '{p}')",
    "url_decode": lambda e: f"url_decode(replace({e}, '+', ' '))",
    "parse_utc_timestamp": lambda e: f"try_cast(trim({e}) as timestamptz) at time zone 'UTC'",
    "parse_date": lambda e: f"try_cast(trim({e}) as date)",
    "median": lambda e: f"quantile_cont({e}, 0.5)",
    "inline_cte": lambda: "not materialized",
    "materialized_cte": lambda: "materialized",
    "split_to_rows": lambda e, d: f"unnest(string_split({e}, '{d}'))",
    "arg_max_non_null": lambda e, o: f"arg_max({e}, ({', '.join(o)})) filter (where {e} is not null)",
    "row_hash": lambda exprs: f"hash({', '.join(exprs)})",
    "set_fingerprint": lambda e: f"cast(sum({e}) as hugeint)",
    "whole_row_hash": lambda tag, alias: f"hash('{tag}', {alias})",
    "number_identical_rows": lambda t, h, c: (
        f"select {t}.*, row_number() over (partition by {h} order by {h}) as {c} from {t}"
    ),
}


def dispatch(macro_name, macro_namespace=None):
    if macro_name in _STAND_INS:
        return _STAND_INS[macro_name]

    def render(*args, **kwargs):
        return f"{macro_name}({', '.join(str(arg) for arg in args)})"

    return render


def get_columns_in_relation(relation):
    return []
