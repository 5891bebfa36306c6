{#-
    The flow and step a manager should look at, per period of the spine
    (one row per period_grain x period_start), for the scorecard's why
    sentences. Best flow: the automation flow with the most attributed
    revenue of the period's DM-attributed orders (order's UTC date); an
    order counts for the flow of its last-touch session, a utm_unmatched
    order for the flow named by its utm_campaign (so flows add up to
    attributed revenue); only flows that have automated sessions compete;
    ties go to the first flow_name. Top drop-off step: the (flow, step) at
    which the most automated sessions of the period (session start) ended
    without an outcome: it was their last step, and they had no consented
    lead, no counted order by last touch, no resolution and no handoff (the
    rule of mart_flow_dropoff); ties: higher drop-off rate (dropped ÷
    sessions that reached the step), then flow_name, flow_step. Null when
    there is no revenue, or no drop-off.
-#}
{%- set unknown_flow = "'(unknown)'" -%}

with

periods as (

    select * from {{ ref('int_reporting_periods') }}

),

sessions as (

    select * from {{ ref('int_dm_sessions') }}
    where session_type = 'automated'

),

session_attribution as (

    select * from {{ ref('int_dm_sessions_attributed') }}

),

session_steps as (

    select * from {{ ref('int_dm_session_steps') }}
    where session_type = 'automated'

),

orders as (

    select * from {{ ref('int_orders_attributed') }}
    where attribution_type in ('dm_attributed', 'utm_unmatched')

),

grains as (

    select distinct period_grain from periods

),

automation_flows as (

    select distinct flow_name from sessions
    where flow_name is not null

),

orders_flowed as (

    select
        orders.created_date,
        orders.attributed_revenue,
        orders.is_counted_order,
        coalesce(sessions.flow_name, orders.utm_campaign, {{ unknown_flow }}) as flow_name

    from orders
    left join sessions
        on orders.last_touch_session_id = sessions.session_id

),

flow_revenue as (

    select
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'orders_flowed.created_date') }} as period_start,
        orders_flowed.flow_name,
        sum(orders_flowed.attributed_revenue) as attributed_revenue,
        sum(case when orders_flowed.is_counted_order then 1 else 0 end) as attributed_orders

    from orders_flowed
    inner join automation_flows
        on orders_flowed.flow_name = automation_flows.flow_name
    cross join grains
    group by
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'orders_flowed.created_date') }},
        orders_flowed.flow_name

),

best_flows as (

    select
        *,
        row_number() over (
            partition by period_grain, period_start
            order by attributed_revenue desc, flow_name asc
        ) as revenue_rank

    from flow_revenue
    where attributed_revenue > 0

),

sessions_classified as (

    select
        sessions.session_id,
        not coalesce(
            sessions.has_lead_with_consent
            or session_attribution.is_sold
            or sessions.is_resolved
            or sessions.has_handoff,
            false
        ) as has_no_outcome

    from sessions
    left join session_attribution
        on sessions.session_id = session_attribution.session_id

),

steps_classified as (

    select
        session_steps.started_date,
        coalesce(session_steps.flow_name, {{ unknown_flow }}) as flow_name,
        session_steps.flow_step,
        session_steps.is_last_step and sessions_classified.has_no_outcome as is_dropped

    from session_steps
    inner join sessions_classified
        on session_steps.session_id = sessions_classified.session_id

),

step_dropoffs as (

    select
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'steps_classified.started_date') }} as period_start,
        steps_classified.flow_name,
        steps_classified.flow_step,
        count(*) as sessions_reached,
        sum(case when steps_classified.is_dropped then 1 else 0 end) as sessions_dropped

    from steps_classified
    cross join grains
    group by
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'steps_classified.started_date') }},
        steps_classified.flow_name,
        steps_classified.flow_step

),

top_dropoffs as (

    select
        *,
        {{ kpi_ratio('sessions_dropped', 'sessions_reached') }} as dropoff_rate,
        row_number() over (
            partition by period_grain, period_start
            order by
                sessions_dropped desc,
                {{ kpi_ratio('sessions_dropped', 'sessions_reached') }} desc,
                flow_name asc,
                flow_step asc
        ) as dropoff_rank

    from step_dropoffs
    where sessions_dropped > 0

),

final as (

    select
        periods.period_grain,
        periods.period_start,

        -- best flow by attributed revenue
        best_flows.flow_name as best_flow_name,
        cast(best_flows.attributed_revenue as {{ type_money() }}) as best_flow_attributed_revenue,
        cast(best_flows.attributed_orders as {{ dbt.type_bigint() }}) as best_flow_attributed_orders,

        -- top drop-off step
        top_dropoffs.flow_name as top_dropoff_flow_name,
        top_dropoffs.flow_step as top_dropoff_step,
        cast(top_dropoffs.sessions_dropped as {{ dbt.type_bigint() }}) as top_dropoff_sessions,
        cast(top_dropoffs.sessions_reached as {{ dbt.type_bigint() }}) as top_dropoff_sessions_reached,
        cast(top_dropoffs.dropoff_rate as {{ type_double() }}) as top_dropoff_rate

    from periods
    left join best_flows
        on
            periods.period_grain = best_flows.period_grain
            and periods.period_start = best_flows.period_start
            and best_flows.revenue_rank = 1
    left join top_dropoffs
        on
            periods.period_grain = top_dropoffs.period_grain
            and periods.period_start = top_dropoffs.period_start
            and top_dropoffs.dropoff_rank = 1

)

select * from final
