{#-
    Assists: eligible orders without DM UTMs whose person clicked a link in
    an automated session that started inside the attribution window before
    the order, the click itself being before the order. One row per
    order x assisting session; the latest assisting session is flagged.
-#}
{%- set window_days = var('attribution_window_days') -%}

with

orders as (

    select * from {{ ref('int_orders_identified') }}
    where is_eligible and not has_dm_utms

),

sessions as (

    select * from {{ ref('int_dm_sessions_identified') }}
    where session_type = 'automated'

),

link_clicks as (

    select * from {{ ref('int_dm_events_sessionized') }}
    where event_type = 'link_click'

),

session_clicks as (

    select
        sessions.session_id,
        sessions.person_id,
        sessions.started_at,
        link_clicks.occurred_at as clicked_at

    from sessions
    inner join link_clicks on sessions.session_id = link_clicks.session_id

),

assists as (

    select
        orders.order_id,
        orders.person_id,
        session_clicks.session_id,
        min(session_clicks.started_at) as session_started_at,
        min(session_clicks.clicked_at) as first_click_at

    from orders
    inner join session_clicks
        on
            orders.person_id = session_clicks.person_id
            and orders.created_at >= session_clicks.started_at
            and session_clicks.started_at >= {{ dbt.dateadd('day', -1 * window_days, 'orders.created_at') }}
            and orders.created_at > session_clicks.clicked_at
    group by
        orders.order_id,
        orders.person_id,
        session_clicks.session_id

),

final as (

    select
        order_id,
        person_id,
        session_id,
        session_started_at,
        first_click_at,
        row_number() over (
            partition by order_id order by session_started_at desc, session_id desc
        ) = 1 as is_latest_assist

    from assists

)

select * from final
