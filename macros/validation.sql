{#-
    Plausibility rules of the raw timestamps, shared by the base models.
    A clock decades away (1970, 2099) is not a real event or order: it would
    stretch the reporting spine over a century and make 2099 the "latest
    month". Timestamps before var('plausible_timestamps_from') or later than
    the build's start plus var('plausible_future_hours') are rejects.
-#}

{#- The latest plausible timestamp: the build's start (UTC) plus the tolerance, as SQL. -#}
{% macro plausible_timestamps_until() -%}
    {{ dbt.dateadd('hour', var('plausible_future_hours'), "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)") }}
{%- endmacro %}


{#- True when a parsed UTC timestamp lies outside the plausible range. -#}
{% macro is_implausible_timestamp(expr) -%}
    (
        {{ expr }} < cast('{{ var("plausible_timestamps_from") }}' as timestamp)
        or {{ expr }} > {{ plausible_timestamps_until() }}
    )
{%- endmacro %}


{#- The reject reason of an implausible timestamp, naming the column, its raw text and the range. -#}
{% macro implausible_timestamp_reason(column_name, raw_expr) -%}
    '{{ column_name }} outside the plausible range ({{ var("plausible_timestamps_from") }} to the build time + {{ var("plausible_future_hours") }} h): ' || {{ raw_expr }}
{%- endmacro %}
