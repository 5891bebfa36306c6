{#-
    Assists: eligible orders without DM UTMs whose person clicked a link in
    an automated session that started inside the attribution window before
    the order, the click itself being before the order. One row per
    order x assisting session; the latest assisting session is flagged.
-#}
{%- set window_days = var('attribution_window_days') -%}

with

orders as (

    select * from {{ ref('int_orders_converted') }}
    where is_eligible and not has_dm_utms

),

person_map as (

    select * from {{ ref('int_identity_person_map') }}

),

sessions as (

    select * from {{ ref('int_dm_sessions') }}
    where session_type = 'automated'

),

link_clicks as (

    select * from {{ ref('int_dm_events_sessionized') }}
    where event_type = 'link_click'

),

order_persons as (

    select
        orders.order_id,
        orders.created_at,
        person_map.person_id

    from orders
    inner join person_map
        on
            person_map.node_type = 'order'
            and orders.order_id = person_map.node_id

),

session_clicks as (

    select
        sessions.session_id,
        sessions.started_at,
        person_map.person_id,
        link_clicks.occurred_at as clicked_at

    from sessions
    inner join link_clicks on sessions.session_id = link_clicks.session_id
    inner join person_map
        on
            person_map.node_type = 'dm_thread'
            and sessions.thread_id = person_map.node_id

),

assists as (

    select
        order_persons.order_id,
        order_persons.person_id,
        session_clicks.session_id,
        min(session_clicks.started_at) as session_started_at,
        min(session_clicks.clicked_at) as first_click_at

    from order_persons
    inner join session_clicks
        on
            order_persons.person_id = session_clicks.person_id
            and order_persons.created_at >= session_clicks.started_at
            and session_clicks.started_at >= {{ dbt.dateadd('day', -1 * window_days, 'order_persons.created_at') }}
            and order_persons.created_at > session_clicks.clicked_at
    group by
        order_persons.order_id,
        order_persons.person_id,
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
