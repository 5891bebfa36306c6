{#-
    Reporting periods and KPI ratios, written once for every KPI model
    (int_reporting_periods, int_kpi_period_values, int_kpi_period_highlights,
    mart_roi_monthly). Documented in macros/_kpi__macros.yml. Portable: only
    dbt's cross-database macros, no warehouse-specific function.
-#}

{# The period grains of the reporting spine, in display order. #}
{% macro reporting_period_grains() -%}
    {{ return(['week', 'month']) }}
{%- endmacro %}


{#
    First day of the period of grain `period_grain` (a SQL expression
    holding 'week' or 'month') that contains the UTC date `date_expr`:
    the Monday of its ISO week, or the first day of its calendar month.
#}
{% macro reporting_period_start(period_grain, date_expr) -%}
    case {{ period_grain }}
        when 'week' then cast({{ dbt.date_trunc('week', date_expr) }} as date)
        when 'month' then cast({{ dbt.date_trunc('month', date_expr) }} as date)
    end
{%- endmacro %}


{#
    The period start `offset` periods after (negative: before) the period
    starting at `period_start`, for grain `period_grain` (SQL expressions).
    Weeks move by 7 days, months by calendar months.
#}
{% macro reporting_period_shift(period_grain, period_start, offset) -%}
    case {{ period_grain }}
        when 'week' then cast({{ dbt.dateadd('day', '7 * (' ~ offset ~ ')', period_start) }} as date)
        when 'month' then cast({{ dbt.dateadd('month', offset, period_start) }} as date)
    end
{%- endmacro %}


{#
    A KPI rate: numerator / denominator as a float, null (never 0, never an
    error) when the denominator is 0 or null.
#}
{% macro kpi_ratio(numerator, denominator) -%}
    (cast({{ numerator }} as {{ type_double() }}) / nullif({{ denominator }}, 0))
{%- endmacro %}


{#
    The 8-byte floating-point type. dbt.type_float() renders `float`, which
    DuckDB reads as a 4-byte REAL (7 significant digits): KPI rates and
    medians use this instead. `double` means the same on DuckDB and Spark.
#}
{% macro type_double() -%}
    double
{%- endmacro %}


{#-
    Money: exact decimal with 16 places, wide enough for a year of a shop's
    revenue in any currency and for fx-converted amounts (a rate has up to
    10 places) without rounding before the marts. One definition: the models
    cast money with it; the mart contracts (YAML) spell the same type.
-#}
{% macro type_money() -%}
    decimal(38, 16)
{%- endmacro %}


{#-
    A money value narrowed to decimal(36, 16) before it is added to or
    subtracted from another. A sum of two decimal(38, 16) needs 39 digits:
    DuckDB keeps the 16 places, Spark drops one (its precision-loss rule
    rounds the result to decimal(38, 15)). Two or three narrowed operands
    fit in 38 digits with 16 places on both engines, so a sum of money is
    exact everywhere (amounts below 10^20).
-#}
{% macro money_operand(expression) -%}
    cast({{ expression }} as decimal(36, 16))
{%- endmacro %}


{#
    Every row of `relation` (a CTE name) once per period grain, with the
    period_grain and the period_start of the UTC date `date_column`: a
    union of one select per grain of reporting_period_grains(), carrying
    `columns` (a list of column names). The way per-period marts assign a
    row to its week and its month.
#}
{% macro in_reporting_periods(relation, date_column, columns) -%}
    {%- for grain in reporting_period_grains() %}
        select
            '{{ grain }}' as period_grain,
            {{ reporting_period_start("'" ~ grain ~ "'", date_column) }} as period_start,
            {{ columns | join(',\n            ') }}
        from {{ relation }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
