{#-
    The flows of a period add up to the period: automated sessions started,
    consented leads, counted DM-attributed orders and their revenue (matched
    and utm_unmatched), and the converted leads and lead revenue of the
    conversion tile (mart_conversion_revenue). Fails with one row per period and measure that does
    not add up (a flow lost, or an order given to two flows).
-#}
with

flow_performance as (

    select * from {{ ref('mart_flow_performance') }}

),

sessions as (

    select * from {{ ref('int_dm_sessions') }}
    where session_type = 'automated'

),

orders as (

    select * from {{ ref('int_orders_attributed') }}
    where is_dm_attributed

),

-- lead economics: the tile's figures, the flows must add up to them
tile as (

    select * from {{ ref('mart_conversion_revenue') }}

),

flows_summed as (

    select
        period_grain,
        period_start,
        sum(sessions) as sessions,
        sum(leads) as leads,
        sum(attributed_orders) as attributed_orders,
        sum(attributed_revenue) as attributed_revenue,
        sum(converted_leads) as converted_leads,
        sum(lead_revenue) as lead_revenue

    from flow_performance
    group by
        period_grain,
        period_start

),

session_totals as (

    {% for grain in reporting_period_grains() %}
        select
            '{{ grain }}' as period_grain,
            {{ reporting_period_start("'" ~ grain ~ "'", 'started_date') }} as period_start,
            count(*) as sessions,
            sum(case when has_lead_with_consent then 1 else 0 end) as leads
        from sessions
        group by {{ reporting_period_start("'" ~ grain ~ "'", 'started_date') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

order_totals as (

    {% for grain in reporting_period_grains() %}
        select
            '{{ grain }}' as period_grain,
            {{ reporting_period_start("'" ~ grain ~ "'", 'created_date') }} as period_start,
            sum(case when is_counted_order then 1 else 0 end) as attributed_orders,
            sum(attributed_revenue) as attributed_revenue
        from orders
        group by {{ reporting_period_start("'" ~ grain ~ "'", 'created_date') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

period_keys as (

    select
        period_grain,
        period_start
    from flows_summed
    union
    select
        period_grain,
        period_start
    from session_totals
    union
    select
        period_grain,
        period_start
    from order_totals

),

compared as (

    select
        period_keys.period_grain,
        period_keys.period_start,
        coalesce(flows_summed.sessions, 0) as flow_sessions,
        coalesce(session_totals.sessions, 0) as total_sessions,
        coalesce(flows_summed.leads, 0) as flow_leads,
        coalesce(session_totals.leads, 0) as total_leads,
        coalesce(flows_summed.attributed_orders, 0) as flow_attributed_orders,
        coalesce(order_totals.attributed_orders, 0) as total_attributed_orders,
        coalesce(flows_summed.attributed_revenue, 0) as flow_attributed_revenue,
        coalesce(order_totals.attributed_revenue, 0) as total_attributed_revenue,
        coalesce(flows_summed.converted_leads, 0) as flow_converted_leads,
        coalesce(tile.converted_leads, 0) as total_converted_leads,
        coalesce(flows_summed.lead_revenue, 0) as flow_lead_revenue,
        coalesce(tile.lead_revenue, 0) as total_lead_revenue

    from period_keys
    left join flows_summed
        on
            period_keys.period_grain = flows_summed.period_grain
            and period_keys.period_start = flows_summed.period_start
    left join session_totals
        on
            period_keys.period_grain = session_totals.period_grain
            and period_keys.period_start = session_totals.period_start
    left join order_totals
        on
            period_keys.period_grain = order_totals.period_grain
            and period_keys.period_start = order_totals.period_start
    left join tile
        on
            period_keys.period_grain = tile.period_grain
            and period_keys.period_start = tile.period_start

),

final as (

    select * from compared
    where
        flow_sessions <> total_sessions
        or flow_leads <> total_leads
        or flow_attributed_orders <> total_attributed_orders
        or flow_attributed_revenue <> total_attributed_revenue
        or flow_converted_leads <> total_converted_leads
        or flow_lead_revenue <> total_lead_revenue

)

select * from final
