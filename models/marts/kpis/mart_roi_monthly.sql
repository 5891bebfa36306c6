{#-
    ROI tile: one row per calendar month of the reporting spine. Costs
    belong to their cost_month, in the reporting currency
    (int_automation_costs_fx_converted: the rate of cost_month or the latest
    earlier one; a cost without a rate is a reject, counted in
    fx_rejected_cost_lines, never a zero). gains = attributed_revenue x
    var gross_margin_rate + self-served sessions x var
    minutes_saved_per_self_served_session / 60 x var agent_hourly_cost;
    roi = (gains - automation_cost) / automation_cost, null when the cost is
    0; cost_per_lead = automation_cost / sessions of the month with a
    consented lead, null when there is none. Money unrounded.
-#}
{%- set cost_types = ['tool_subscription', 'setup', 'agency', 'ads', 'other'] -%}
{%- set kpis = [
    ('automation_cost', type_money()),
    ('gains', type_money()),
    ('roi', type_double()),
    ('cost_per_lead', type_double()),
] -%}

with

kpi_values as (

    select * from {{ ref('int_kpi_period_values') }}
    where period_grain = 'month'

),

costs as (

    select * from {{ ref('int_automation_costs_fx_converted') }}

),

cost_rejects as (

    select * from {{ ref('int_automation_costs_fx_rejects') }}

),

costs_by_month as (

    select
        cost_month,
        sum(amount_reporting) as automation_cost,
        {%- for cost_type in cost_types %}
            sum(case when cost_type = '{{ cost_type }}' then amount_reporting else 0 end) as {{ cost_type }}_cost,
        {%- endfor %}
        count(*) as cost_lines

    from costs
    group by cost_month

),

rejects_by_month as (

    select
        cost_month,
        count(*) as fx_rejected_cost_lines

    from cost_rejects
    group by cost_month

),

measured as (

    select
        kpi_values.period_start,
        kpi_values.previous_period_start,
        coalesce(costs_by_month.cost_lines, 0) as cost_lines,
        coalesce(rejects_by_month.fx_rejected_cost_lines, 0) as fx_rejected_cost_lines,
        cast(coalesce(costs_by_month.automation_cost, 0) as {{ type_money() }}) as automation_cost,
        {%- for cost_type in cost_types %}
            cast(coalesce(costs_by_month.{{ cost_type }}_cost, 0) as {{ type_money() }}) as {{ cost_type }}_cost,
        {%- endfor %}
        kpi_values.attributed_revenue,
        kpi_values.self_served_sessions,
        kpi_values.sessions_with_consented_lead as leads_with_consent

    from kpi_values
    left join costs_by_month
        on kpi_values.period_start = costs_by_month.cost_month
    left join rejects_by_month
        on kpi_values.period_start = rejects_by_month.cost_month

),

gains_computed as (

    select
        *,
        cast({{ var('gross_margin_rate') }} as {{ type_double() }}) as gross_margin_rate,
        cast({{ var('minutes_saved_per_self_served_session') }} as {{ type_double() }})
            as minutes_saved_per_self_served_session,
        cast({{ var('agent_hourly_cost') }} as {{ type_money() }}) as agent_hourly_cost,
        cast(
            attributed_revenue * cast({{ var('gross_margin_rate') }} as decimal(18, 6)) as {{ type_money() }}
        ) as revenue_gain,
        self_served_sessions * cast({{ var('minutes_saved_per_self_served_session') }} as {{ type_double() }})
        / 60.0 as time_saved_hours,
        -- the exact decimal product, divided in double as DuckDB divides decimals
        -- (Spark would round a decimal quotient to 6 places)
        cast(
            cast(
                self_served_sessions
                * cast({{ var('minutes_saved_per_self_served_session') }} as decimal(18, 6))
                * cast({{ var('agent_hourly_cost') }} as decimal(18, 6)) as {{ type_double() }}
            )
            / 60.0 as {{ type_money() }}
        ) as time_saved_value

    from measured

),

rated as (

    select
        *,
        -- narrowed operands: the sums keep 16 places on Spark as on DuckDB
        cast(
            {{ money_operand('revenue_gain') }} + {{ money_operand('time_saved_value') }} as {{ type_money() }}
        ) as gains,
        cast(
            {{ money_operand('revenue_gain') }} + {{ money_operand('time_saved_value') }}
            - {{ money_operand('automation_cost') }} as {{ type_money() }}
        ) as net_gain,
        {{ kpi_ratio('revenue_gain + time_saved_value - automation_cost', 'automation_cost') }} as roi,
        {{ kpi_ratio('automation_cost', 'leads_with_consent') }} as cost_per_lead

    from gains_computed

),

final as (

    select
        -- period
        cast(current_month.period_start as date) as period_start,
        cast(current_month.previous_period_start as date) as previous_period_start,

        -- kpis, each with its previous-month value
        {%- for kpi, data_type in kpis %}
            cast(current_month.{{ kpi }} as {{ data_type }}) as {{ kpi }},
            cast(previous_month.{{ kpi }} as {{ data_type }}) as previous_{{ kpi }},
        {%- endfor %}

        -- costs by cost_type, reporting currency
        {%- for cost_type in cost_types %}
            cast(current_month.{{ cost_type }}_cost as {{ type_money() }}) as {{ cost_type }}_cost,
        {%- endfor %}
        cast(current_month.cost_lines as {{ dbt.type_bigint() }}) as cost_lines,
        cast(current_month.fx_rejected_cost_lines as {{ dbt.type_bigint() }}) as fx_rejected_cost_lines,

        -- gains and their parts
        cast(current_month.attributed_revenue as {{ type_money() }}) as attributed_revenue,
        cast(current_month.gross_margin_rate as {{ type_double() }}) as gross_margin_rate,
        cast(current_month.revenue_gain as {{ type_money() }}) as revenue_gain,
        cast(current_month.self_served_sessions as {{ dbt.type_bigint() }}) as self_served_sessions,
        cast(current_month.minutes_saved_per_self_served_session as {{ type_double() }})
            as minutes_saved_per_self_served_session,
        cast(current_month.time_saved_hours as {{ type_double() }}) as time_saved_hours,
        cast(current_month.agent_hourly_cost as {{ type_money() }}) as agent_hourly_cost,
        cast(current_month.time_saved_value as {{ type_money() }}) as time_saved_value,

        -- roi and cost per lead inputs
        cast(current_month.net_gain as {{ type_money() }}) as net_gain,
        cast(current_month.leads_with_consent as {{ dbt.type_bigint() }}) as leads_with_consent

    from rated as current_month
    left join rated as previous_month
        on current_month.previous_period_start = previous_month.period_start

)

select * from final
