{#-
    Display formatting of numbers for the scorecard's `why` sentences.
    Rounding happens here only, for display; values are never rounded.
    format_number is dispatched (default__ = DuckDB, spark__ = dbt-spark);
    the rest build on it. Documented in macros/_kpi__macros.yml.
-#}

{# A number with thousands separators and `decimals` decimals, as text ('1,030.40'). #}
{% macro format_number(expr, decimals) -%}
    {{ return(adapter.dispatch('format_number', 'dm_roi')(expr, decimals)) }}
{%- endmacro %}

{% macro default__format_number(expr, decimals) -%}
    format('{:,.{{ decimals }}f}', cast({{ expr }} as double))
{%- endmacro %}

{% macro spark__format_number(expr, decimals) -%}
    format_number(cast({{ expr }} as double), {{ decimals }})
{%- endmacro %}


{# Money in the reporting currency with 2 decimals: '$1,030.40', '-$5.00'. #}
{% macro format_money(expr) -%}
    {%- set symbols = {'USD': '$', 'EUR': '€', 'GBP': '£'} -%}
    {%- set currency = var('reporting_currency') | string -%}
    {%- set prefix = symbols.get(currency, currency ~ ' ') -%}
    (case when {{ expr }} < 0 then '-' else '' end || '{{ prefix }}' || {{ format_number('abs(' ~ expr ~ ')', 2) }})
{%- endmacro %}


{# A share as a percentage with `decimals` decimals: 0.1234 -> '12.3%'. #}
{% macro format_percent(expr, decimals=1) -%}
    ({{ format_number('100.0 * (' ~ expr ~ ')', decimals) }} || '%')
{%- endmacro %}


{# A number with an explicit sign: '+3.3', '-12'. #}
{% macro format_signed(expr, decimals) -%}
    (case when {{ expr }} < 0 then '-' else '+' end || {{ format_number('abs(' ~ expr ~ ')', decimals) }})
{%- endmacro %}


{#
    A KPI value as a manager reads it, by unit: count '1,234', money
    '$1,030.40', rate '12.3%', seconds '4.5 s', minutes '12.5 min',
    days '2.5 days'.
#}
{% macro format_kpi_value(expr, unit) -%}
    {%- if unit == 'count' -%}
        {{ format_number(expr, 0) }}
    {%- elif unit == 'money' -%}
        {{ format_money(expr) }}
    {%- elif unit == 'rate' -%}
        {{ format_percent(expr, 1) }}
    {%- elif unit == 'seconds' -%}
        ({{ format_number(expr, 1) }} || ' s')
    {%- elif unit == 'minutes' -%}
        ({{ format_number(expr, 1) }} || ' min')
    {%- elif unit == 'days' -%}
        ({{ format_number(expr, 1) }} || ' days')
    {%- else -%}
        {{ exceptions.raise_compiler_error("format_kpi_value: unknown unit " ~ unit) }}
    {%- endif -%}
{%- endmacro %}


{#
    Text built from parts, each a pair [kind, value]: 'text' (a literal),
    'sql' (a text SQL expression used as it is), or a unit of
    format_kpi_value ('count', 'money', 'rate', 'seconds', 'minutes', 'days') with a
    numeric SQL expression. A null number shows as 'n/a'; the result is
    never null.
#}
{% macro why_text(parts) -%}
    {%- set rendered = [] -%}
    {%- for part in parts -%}
        {%- if part[0] == 'text' -%}
            {%- do rendered.append("'" ~ (part[1] | replace("'", "''")) ~ "'") -%}
        {%- elif part[0] == 'sql' -%}
            {%- do rendered.append('coalesce(' ~ part[1] ~ ", '')") -%}
        {%- else -%}
            {%- do rendered.append('coalesce(' ~ format_kpi_value(part[1], part[0]) ~ ", 'n/a')") -%}
        {%- endif -%}
    {%- endfor -%}
    ({{ rendered | join(' || ') }})
{%- endmacro %}
