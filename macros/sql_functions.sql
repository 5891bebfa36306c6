{#-
    Warehouse-specific SQL lives here and only here, behind adapter.dispatch.
    default__ is ANSI-ish / DuckDB, spark__ is for dbt-spark. Models call the
    dispatching macro, never the function directly.
-#}

{# Replace every match of a (RE2/Java-compatible) regex. #}
{% macro regex_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'dm_roi')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#- Spark string literals read a backslash as an escape: patterns are written for DuckDB (literal backslashes). -#}
{% macro spark__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern | replace('\\', '\\\\') }}', '{{ replacement }}')
{%- endmacro %}


{# First capture group of a regex, '' when it does not match (both engines). #}
{% macro regex_extract(expr, pattern, group=1) -%}
    {{ return(adapter.dispatch('regex_extract', 'dm_roi')(expr, pattern, group)) }}
{%- endmacro %}

{% macro default__regex_extract(expr, pattern, group) -%}
    regexp_extract({{ expr }}, '{{ pattern }}', {{ group }})
{%- endmacro %}


{# True when the regex matches anywhere in expr. #}
{% macro regex_matches(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'dm_roi')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_matches(expr, pattern) -%}
    ({{ expr }} rlike '{{ pattern }}')
{%- endmacro %}


{# Percent-decoding of a URL component ('+' is decoded to a space first). #}
{% macro url_decode(expr) -%}
    {{ return(adapter.dispatch('url_decode', 'dm_roi')(expr)) }}
{%- endmacro %}

{% macro default__url_decode(expr) -%}
    url_decode(replace({{ expr }}, '+', ' '))
{%- endmacro %}

{% macro spark__url_decode(expr) -%}
    try_url_decode({{ expr }})
{%- endmacro %}


{#
    An ISO-8601 string with an explicit UTC offset ('...+02:00', '...Z') as a
    UTC timestamp without time zone. Anything else (no offset, not a date) is
    null, which staging turns into a reject row.
#}
{% macro parse_utc_timestamp(expr) -%}
    {{ return(adapter.dispatch('parse_utc_timestamp', 'dm_roi')(expr)) }}
{%- endmacro %}

{% macro default__parse_utc_timestamp(expr) -%}
    case
        when {{ regex_matches('trim(' ~ expr ~ ')', '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$') }}
            then try_cast(trim({{ expr }}) as timestamptz) at time zone 'UTC'
    end
{%- endmacro %}

{% macro spark__parse_utc_timestamp(expr) -%}
    case
        when {{ regex_matches('trim(' ~ expr ~ ')', '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$') }}
            then to_utc_timestamp(to_timestamp(trim({{ expr }})), 'UTC')
    end
{%- endmacro %}


{# A 'YYYY-MM-DD' string as a date; null when it is not one. #}
{% macro parse_date(expr) -%}
    {{ return(adapter.dispatch('parse_date', 'dm_roi')(expr)) }}
{%- endmacro %}

{% macro default__parse_date(expr) -%}
    case
        when {{ regex_matches('trim(' ~ expr ~ ')', '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') }}
            then {{ dbt.safe_cast('trim(' ~ expr ~ ')', 'date') }}
    end
{%- endmacro %}


{#
    The last non-null value of expr in the window frame that follows the
    call (e.g. "{{ last_non_null('x') }} over (partition by ... order by
    ... rows between unbounded preceding and current row)").
#}
{% macro last_non_null(expr) -%}
    {{ return(adapter.dispatch('last_non_null', 'dm_roi')(expr)) }}
{%- endmacro %}

{% macro default__last_non_null(expr) -%}
    last_value({{ expr }} ignore nulls)
{%- endmacro %}

{% macro spark__last_non_null(expr) -%}
    last({{ expr }}, true)
{%- endmacro %}


{#
    An aggregate: the non-null value of expr on the row whose order_exprs
    (a list of SQL expressions, compared left to right) are the largest in
    the group; null when expr is null on every row. The latest value of
    many columns in one group by, instead of one ranking window per column.
    Ties on every order expression must not happen (end the list with a
    unique column).
#}
{% macro arg_max_non_null(expr, order_exprs) -%}
    {{ return(adapter.dispatch('arg_max_non_null', 'dm_roi')(expr, order_exprs)) }}
{%- endmacro %}

{% macro default__arg_max_non_null(expr, order_exprs) -%}
    arg_max({{ expr }}, ({{ order_exprs | join(', ') }})) filter (where {{ expr }} is not null)
{%- endmacro %}

{% macro spark__arg_max_non_null(expr, order_exprs) -%}
    max_by({{ expr }}, struct({{ order_exprs | join(', ') }})) filter (where {{ expr }} is not null)
{%- endmacro %}


{# Median (continuous: the mean of the two middle values for an even count). #}
{% macro median(expr) -%}
    {{ return(adapter.dispatch('median', 'dm_roi')(expr)) }}
{%- endmacro %}

{% macro default__median(expr) -%}
    quantile_cont({{ expr }}, 0.5)
{%- endmacro %}

{% macro spark__median(expr) -%}
    percentile({{ expr }}, 0.5)
{%- endmacro %}


{#-
    Written after "name as" in a CTE that is referenced more than once and
    cheap to recompute (a scan of a table, a projection): the engine inlines
    it instead of writing its rows to a temporary buffer first. DuckDB
    materialises such CTEs by default, which at ten million wide rows costs
    more than scanning the table twice and spills under the memory limit.
    Spark inlines CTEs anyway.
-#}
{% macro inline_cte() -%}
    {{ return(adapter.dispatch('inline_cte', 'dm_roi')()) }}
{%- endmacro %}

{% macro default__inline_cte() -%}
{%- endmacro %}

{% macro duckdb__inline_cte() -%}
    not materialized
{%- endmacro %}


{#-
    The hint of a CTE over the events of the threads a model rebuilds,
    referenced more than once: inline_cte() in a full build (millions of
    rows: scanning again is cheaper than buffering), materialised in an
    incremental run (a few thousand rows, while computing them means a scan
    of the whole table filtered to the threads to rebuild, which each
    inlined reference would repeat). cutoff: the model's incremental cutoff
    (none in a full build).
-#}
{% macro rebuild_cte(cutoff) -%}
    {%- if cutoff is none -%}
        {{ inline_cte() }}
    {%- else -%}
        {{ materialized_cte() }}
    {%- endif -%}
{%- endmacro %}

{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'dm_roi')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    materialized
{%- endmacro %}

{% macro spark__inline_cte() -%}
{%- endmacro %}


{#
    One output row per part of the text expr split at the literal
    single-character delimiter, written in a select list (the other columns
    repeat on each row): DuckDB unnest(string_split(...)), Spark
    explode(split(...)) with the delimiter escaped for its regex. A null
    expr gives no row.
#}
{% macro split_to_rows(expr, delimiter) -%}
    {{ return(adapter.dispatch('split_to_rows', 'dm_roi')(expr, delimiter)) }}
{%- endmacro %}

{% macro default__split_to_rows(expr, delimiter) -%}
    unnest(string_split({{ expr }}, '{{ delimiter }}'))
{%- endmacro %}

{% macro spark__split_to_rows(expr, delimiter) -%}
    explode(split({{ expr }}, '[{{ delimiter }}]'))
{%- endmacro %}


{#-
    A select of the integers 0 to 10^places - 1 as column `name`, from
    cross-joined digit tables (portable: no generate_series, no range()).
    The spines enumerate their days and periods from it.
-#}
{% macro integer_offsets(places, name) -%}
    {%- set digits -%}
        (
            {%- for digit in range(10) %}
            select {{ digit }} as digit{% if not loop.last %} union all{% endif %}
            {%- endfor %}
        )
    {%- endset -%}
    select
        {% for place in range(places) -%}
            place_{{ place }}.digit * {{ 10 ** place }}{% if not loop.last %} + {% endif %}
        {%- endfor %} as {{ name }}
    from {{ digits }} as place_0
    {%- for place in range(1, places) %}
    cross join {{ digits }} as place_{{ place }}
    {%- endfor %}
{%- endmacro %}
