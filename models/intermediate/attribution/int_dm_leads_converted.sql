{#-
    What each lead became: one row per lead, an automated session with a
    consented lead (has_lead_with_consent, the numerator of
    lead_capture_rate). The lead's time is the session's first consented
    lead_submitted; its conversion window runs
    var('lead_conversion_window_days') x 24 h from then, both ends
    included. Its orders are the counted orders (eligible, net revenue > 0)
    of the lead's person created inside the window, whatever their
    attribution type; an order inside the windows of two leads counts for
    each (the value of a lead, not attribution). A window is still open
    when it ends after the latest order in the data (any order, counted or
    not): the lead can still convert or buy more.
-#}
{%- set window_seconds = ((var('lead_conversion_window_days') | float) * 86400) | round | int -%}

with

sessions as (

    select * from {{ ref('int_dm_sessions_identified') }}

),

orders as (

    select * from {{ ref('int_orders_attributed') }}

),

leads as (

    select
        session_id,
        person_id,
        flow_name,
        started_date,
        consented_lead_at as lead_at,
        {{ dbt.dateadd('second', window_seconds, 'consented_lead_at') }} as window_ends_at

    from sessions
    where
        session_type = 'automated'
        and has_lead_with_consent

),

counted_orders as (

    select
        order_id,
        person_id,
        net_revenue,
        created_at

    from orders
    where
        is_counted_order
        and person_id is not null

),

latest_order as (

    select max(created_at) as latest_order_at
    from orders

),

lead_orders as (

    select
        leads.session_id,
        count(*) as orders_in_window,
        sum(counted_orders.net_revenue) as revenue_in_window,
        min(counted_orders.created_at) as first_order_at

    from leads
    inner join counted_orders
        on
            leads.person_id = counted_orders.person_id
            and leads.lead_at <= counted_orders.created_at
            and leads.window_ends_at >= counted_orders.created_at
    group by leads.session_id

),

final as (

    select
        -- ids
        leads.session_id,
        leads.person_id,

        -- lead
        leads.flow_name,
        cast(coalesce(lead_orders.orders_in_window, 0) as {{ dbt.type_bigint() }}) as orders_in_window,
        cast(coalesce(lead_orders.revenue_in_window, 0) as {{ type_money() }}) as revenue_in_window,
        {{ timestamp_diff_seconds('leads.lead_at', 'lead_orders.first_order_at') }} / 86400.0
            as days_to_first_order,

        -- booleans
        lead_orders.session_id is not null as is_converted,
        coalesce(leads.window_ends_at > latest_order.latest_order_at, true) as is_window_open,

        -- dates and timestamps
        leads.started_date,
        leads.lead_at,
        leads.window_ends_at,
        lead_orders.first_order_at,
        latest_order.latest_order_at

    from leads
    left join lead_orders
        on leads.session_id = lead_orders.session_id
    cross join latest_order

)

select * from final
