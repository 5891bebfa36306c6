{#-
    Conversion to the reporting currency, written once for orders and
    automation costs (documented in macros/_fx__macros.yml). A row converts
    at the rate of its date, or the latest earlier rate of its currency
    (ranges of int_fx_rates_ranged); the reporting currency converts at 1
    without a rate row; no rate at all leaves fx_rate null, and the caller
    turns that row into a reject with fx_reject_reason.
-#}

{# fx_rate and fx_rate_date of a row joined to its rate range by fx_rate_join_condition. #}
{% macro fx_rate_columns(currency, on_date, rates='rates') -%}
    case
        when {{ currency }} = '{{ var("reporting_currency") }}' then cast(1 as decimal(38, 10))
        else {{ rates }}.rate_to_reporting
    end as fx_rate,
    case
        when {{ currency }} = '{{ var("reporting_currency") }}' then {{ on_date }}
        else {{ rates }}.valid_from
    end as fx_rate_date
{%- endmacro %}


{# Join condition to the one rate range (of int_fx_rates_ranged) that covers on_date. #}
{% macro fx_rate_join_condition(currency, on_date, rates='rates') -%}
    {{ currency }} = {{ rates }}.currency
    and {{ currency }} <> '{{ var("reporting_currency") }}'
    and {{ on_date }} >= {{ rates }}.valid_from
    and ({{ on_date }} < {{ rates }}.valid_until or {{ rates }}.valid_until is null)
{%- endmacro %}


{#
    Reject reason of a row that found no rate. first_rates: a relation of
    (currency, first_rate_date) joined on the row's currency; null when the
    currency has no rate at all.
#}
{% macro fx_reject_reason(currency, on_date, first_rates='first_rates') -%}
    case
        when {{ first_rates }}.currency is null
            then 'no fx rate for currency ' || {{ currency }}
        else
            'no fx rate for ' || {{ currency }} || ' on or before '
            || cast({{ on_date }} as {{ dbt.type_string() }})
    end
{%- endmacro %}


{#
    The CTEs of an fx rejects model (ending in final): the rows of
    `staged` (a staging relation) that `converted` (its fx-converted model)
    does not hold, i.e. that found no rate on or before `date_column`, with
    raw_table, record_id (the row's `id_column`), reject_reason, and
    `columns` (more columns of the staged row, as they are).
#}
{% macro fx_rejects(raw_table, staged, converted, id_column, date_column, columns) -%}
staged as (

    select * from {{ staged }}

),

converted as (

    select {{ id_column }} from {{ converted }}

),

first_rates as (

    select
        currency,
        min(valid_from) as first_rate_date

    from {{ ref('int_fx_rates_ranged') }}
    group by currency

),

final as (

    select
        '{{ raw_table }}' as raw_table,
        staged.{{ id_column }} as record_id,
        {{ fx_reject_reason('staged.currency', 'staged.' ~ date_column) }} as reject_reason,
        {%- for column in columns %}
        staged.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}

    from staged
    left join converted on staged.{{ id_column }} = converted.{{ id_column }}
    left join first_rates on staged.currency = first_rates.currency
    where converted.{{ id_column }} is null

)
{%- endmacro %}
