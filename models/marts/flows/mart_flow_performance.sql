{#-
    Flow performance per reporting period: one row per period_grain (week,
    month) x period_start x flow_name. Sessions and leads belong to the
    period of the session's start; attributed orders and revenue to the
    period of the order's UTC date, and to the flow of their last-touch
    session (dm_attributed) or, for utm_unmatched orders (no session), to
    the flow named by their utm_campaign ('(unknown)' when it is empty, as
    for a trigger without a flow_name).
    So the flows of a period add up to the period's attributed revenue.
    Lead economics per flow: the leads of the flow's sessions of the period
    followed into their windows (int_dm_leads_converted), so a team sees
    which flow's leads are worth the most; they add up to the tile's.
    Rows: every period of the reporting spine (int_reporting_periods, the
    periods of the tile marts) that lies inside a flow's span (its first to
    its last period with a session), plus every (period, flow) with
    attributed orders.
-#}
{%- set unknown_flow = "'(unknown)'" -%}

with

reporting_periods as (

    select * from {{ ref('int_reporting_periods') }}

),

sessions as (

    select * from {{ ref('int_dm_sessions') }}
    where session_type = 'automated'

),

orders as (

    select * from {{ ref('int_orders_attributed') }}
    where is_dm_attributed

),

leads as (

    select * from {{ ref('int_dm_leads_converted') }}

),

sessions_with_leads as (

    select
        sessions.session_id,
        coalesce(sessions.flow_name, {{ unknown_flow }}) as flow_name,
        sessions.started_date,
        sessions.has_lead_with_consent,
        coalesce(leads.is_converted, false) as is_converted_lead,
        coalesce(leads.is_window_open, false) as is_lead_window_open,
        leads.revenue_in_window as lead_revenue,
        leads.days_to_first_order

    from sessions
    left join leads
        on sessions.session_id = leads.session_id

),

session_periods as (

    {{ in_reporting_periods(
        'sessions_with_leads', 'started_date',
        ['flow_name', 'session_id', 'has_lead_with_consent', 'is_converted_lead', 'is_lead_window_open',
         'lead_revenue', 'days_to_first_order']
    ) }}

),

orders_flowed as (

    select
        orders.order_id,
        orders.attribution_type,
        orders.is_counted_order,
        orders.attributed_revenue,
        orders.created_date,
        coalesce(sessions.flow_name, orders.utm_campaign, {{ unknown_flow }}) as flow_name

    from orders
    left join sessions
        on orders.last_touch_session_id = sessions.session_id

),

order_periods as (

    {{ in_reporting_periods(
        'orders_flowed', 'created_date',
        ['flow_name', 'order_id', 'attribution_type', 'is_counted_order', 'attributed_revenue']
    ) }}

),

sessions_aggregated as (

    select
        period_grain,
        period_start,
        flow_name,
        count(*) as sessions,
        sum(case when has_lead_with_consent then 1 else 0 end) as leads,
        sum(case when is_converted_lead then 1 else 0 end) as converted_leads,
        sum(case when is_lead_window_open then 1 else 0 end) as leads_with_open_window,
        sum(lead_revenue) as lead_revenue,
        {{ median('days_to_first_order') }} as median_days_to_first_order

    from session_periods
    group by
        period_grain,
        period_start,
        flow_name

),

orders_aggregated as (

    select
        period_grain,
        period_start,
        flow_name,
        sum(case when is_counted_order then 1 else 0 end) as attributed_orders,
        sum(
            case when is_counted_order and attribution_type = 'utm_unmatched' then 1 else 0 end
        ) as utm_unmatched_orders,
        sum(attributed_revenue) as attributed_revenue,
        sum(
            case when attribution_type = 'utm_unmatched' then attributed_revenue else 0 end
        ) as utm_unmatched_revenue

    from order_periods
    group by
        period_grain,
        period_start,
        flow_name

),

flow_spans as (

    select
        period_grain,
        flow_name,
        min(period_start) as first_period_start,
        max(period_start) as last_period_start

    from session_periods
    group by
        period_grain,
        flow_name

),

period_flows as (

    select
        reporting_periods.period_grain,
        reporting_periods.period_start,
        flow_spans.flow_name

    from reporting_periods
    inner join flow_spans
        on
            reporting_periods.period_grain = flow_spans.period_grain
            and reporting_periods.period_start >= flow_spans.first_period_start
            and reporting_periods.period_start <= flow_spans.last_period_start
    union
    select
        period_grain,
        period_start,
        flow_name
    from orders_aggregated

),

automation_flows as (

    select distinct flow_name from sessions
    where flow_name is not null

),

measured as (

    select
        period_flows.period_grain,
        period_flows.period_start,
        period_flows.flow_name,
        automation_flows.flow_name is not null as is_automation_flow,
        coalesce(sessions_aggregated.sessions, 0) as sessions,
        coalesce(sessions_aggregated.leads, 0) as leads,
        coalesce(sessions_aggregated.converted_leads, 0) as converted_leads,
        coalesce(sessions_aggregated.leads_with_open_window, 0) as leads_with_open_window,
        coalesce(sessions_aggregated.lead_revenue, 0) as lead_revenue,
        sessions_aggregated.median_days_to_first_order,
        coalesce(orders_aggregated.attributed_orders, 0) as attributed_orders,
        coalesce(orders_aggregated.utm_unmatched_orders, 0) as utm_unmatched_orders,
        coalesce(orders_aggregated.attributed_revenue, 0) as attributed_revenue,
        coalesce(orders_aggregated.utm_unmatched_revenue, 0) as utm_unmatched_revenue

    from period_flows
    left join automation_flows
        on period_flows.flow_name = automation_flows.flow_name
    left join sessions_aggregated
        on
            period_flows.period_grain = sessions_aggregated.period_grain
            and period_flows.period_start = sessions_aggregated.period_start
            and period_flows.flow_name = sessions_aggregated.flow_name
    left join orders_aggregated
        on
            period_flows.period_grain = orders_aggregated.period_grain
            and period_flows.period_start = orders_aggregated.period_start
            and period_flows.flow_name = orders_aggregated.flow_name

),

-- only real automation flows are ranked; '(unknown)' and unknown utm_campaign values get no rank
ranked as (

    select
        *,
        case
            when is_automation_flow
                then row_number() over (
                    partition by period_grain, period_start, is_automation_flow
                    order by attributed_revenue desc, flow_name asc
                )
        end as revenue_rank

    from measured

),

final as (

    select
        -- period
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,

        -- flow
        cast(flow_name as {{ dbt.type_string() }}) as flow_name,

        -- counts
        cast(sessions as {{ dbt.type_bigint() }}) as sessions,
        cast(leads as {{ dbt.type_bigint() }}) as leads,
        cast(converted_leads as {{ dbt.type_bigint() }}) as converted_leads,
        cast(leads_with_open_window as {{ dbt.type_bigint() }}) as leads_with_open_window,
        cast(attributed_orders as {{ dbt.type_bigint() }}) as attributed_orders,
        cast(utm_unmatched_orders as {{ dbt.type_bigint() }}) as utm_unmatched_orders,

        -- money, reporting currency
        cast(attributed_revenue as {{ type_money() }}) as attributed_revenue,
        cast(utm_unmatched_revenue as {{ type_money() }}) as utm_unmatched_revenue,
        cast(lead_revenue as {{ type_money() }}) as lead_revenue,

        -- ratios (null on a zero denominator)
        {{ kpi_ratio('leads', 'sessions') }} as lead_capture_rate,
        {{ kpi_ratio('attributed_revenue', 'sessions') }} as revenue_per_chat,
        {{ kpi_ratio('converted_leads', 'leads') }} as lead_to_customer_rate,
        {{ kpi_ratio('lead_revenue', 'leads') }} as revenue_per_lead,
        cast(median_days_to_first_order as {{ type_double() }}) as median_days_to_first_order,

        -- rank
        cast(revenue_rank as {{ dbt.type_bigint() }}) as revenue_rank,

        -- booleans
        is_automation_flow

    from ranked

)

select * from final
