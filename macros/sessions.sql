{#-
    Time arithmetic for sessions and their durations. Warehouse-specific SQL
    behind adapter.dispatch (default__ = DuckDB, spark__ = dbt-spark), as the
    rest of macros/sql_functions.sql. Documented in macros/_sessions__macros.yml.
-#}

{#
    Exact, fractional seconds from start_at to end_at (end_at - start_at),
    to the microsecond. dbt.datediff(..., 'second') counts second boundaries
    crossed instead (00:00:00.9 -> 00:00:01.1 is 1 there, 0.2 here), so
    durations use this macro. Null when either side is null. Minutes are
    this divided by 60.0.
#}
{% macro timestamp_diff_seconds(start_at, end_at) -%}
    {{ return(adapter.dispatch('timestamp_diff_seconds', 'dm_roi')(start_at, end_at)) }}
{%- endmacro %}

{% macro default__timestamp_diff_seconds(start_at, end_at) -%}
    ((epoch_us({{ end_at }}) - epoch_us({{ start_at }})) / 1000000.0)
{%- endmacro %}

{% macro spark__timestamp_diff_seconds(start_at, end_at) -%}
    ((unix_micros({{ end_at }}) - unix_micros({{ start_at }})) / 1000000.0)
{%- endmacro %}


{#
    The session timeout, var('session_timeout_hours'), in whole seconds, so
    that a fractional number of hours (0.5) works with dbt.dateadd.
#}
{% macro session_timeout_seconds() -%}
    {{ return(((var('session_timeout_hours') | float) * 3600) | round | int) }}
{%- endmacro %}
