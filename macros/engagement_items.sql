{#-
    The aggregation shared by mart_link_performance and
    mart_button_performance (documented in macros/_kpi__macros.yml): the
    items of int_dm_links_and_buttons of one kind per period_grain x
    period_start x flow_name x flow_step x `item_column`, counting the
    messages (`shown_type` rows, as `shown`), the clicks or taps
    (`acted_type` rows, as `acted`) and the unmatched ones, and their rate
    (`rate` = acted ÷ shown, null without a message). Renders CTEs that
    read `source` and end in a CTE named final.
-#}
{% macro engagement_item_performance(source, item_column, shown_type, acted_type, shown, acted, unmatched, rate) -%}
items_in_periods as (

    {{ in_reporting_periods(source, 'started_date', ['flow_name', 'flow_step', item_column, 'item_type', 'is_matched']) }}

),

aggregated as (

    select
        period_grain,
        period_start,
        flow_name,
        flow_step,
        {{ item_column }},
        sum(case when item_type = '{{ shown_type }}' then 1 else 0 end) as {{ shown }},
        sum(case when item_type = '{{ acted_type }}' then 1 else 0 end) as {{ acted }},
        sum(case when item_type = '{{ acted_type }}' and not is_matched then 1 else 0 end) as {{ unmatched }}

    from items_in_periods
    where item_type in ('{{ shown_type }}', '{{ acted_type }}')
    group by
        period_grain,
        period_start,
        flow_name,
        flow_step,
        {{ item_column }}

),

final as (

    select
        -- keys
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(flow_name as {{ dbt.type_string() }}) as flow_name,
        cast(flow_step as {{ dbt.type_string() }}) as flow_step,
        cast({{ item_column }} as {{ dbt.type_string() }}) as {{ item_column }},

        -- counts
        cast({{ shown }} as {{ dbt.type_bigint() }}) as {{ shown }},
        cast({{ acted }} as {{ dbt.type_bigint() }}) as {{ acted }},
        cast({{ unmatched }} as {{ dbt.type_bigint() }}) as {{ unmatched }},

        -- rate (null without a message)
        {{ kpi_ratio(acted, shown) }} as {{ rate }}

    from aggregated

)
{%- endmacro %}
