{#-
    Every qualifying touch of a DM-attributed order: the automated sessions
    of the order's person, of the flow named by the order's utm_campaign,
    started at or before the order and at most attribution_window_days
    before it. One row per order x session, with the last-touch,
    first-touch and linear shares of the order's net revenue. For each
    model the shares of one order sum exactly to its net revenue: the
    linear remainder goes to the latest touch.
-#}
{%- set window_days = var('attribution_window_days') -%}

with

orders as (

    select * from {{ ref('int_orders_converted') }}
    where is_eligible and has_dm_utms

),

person_map as (

    select * from {{ ref('int_identity_person_map') }}

),

sessions as (

    select * from {{ ref('int_dm_sessions') }}
    where session_type = 'automated'

),

order_persons as (

    select
        orders.order_id,
        orders.utm_campaign,
        orders.net_revenue,
        orders.created_at,
        person_map.person_id

    from orders
    inner join person_map
        on
            person_map.node_type = 'order'
            and orders.order_id = person_map.node_id

),

session_persons as (

    select
        sessions.session_id,
        sessions.flow_name,
        sessions.started_at,
        person_map.person_id

    from sessions
    inner join person_map
        on
            person_map.node_type = 'dm_thread'
            and sessions.thread_id = person_map.node_id

),

touches as (

    select
        order_persons.order_id,
        order_persons.person_id,
        order_persons.net_revenue,
        order_persons.created_at as order_created_at,
        session_persons.session_id,
        session_persons.started_at as session_started_at

    from order_persons
    inner join session_persons
        on
            order_persons.person_id = session_persons.person_id
            and order_persons.utm_campaign = session_persons.flow_name
            and order_persons.created_at >= session_persons.started_at
            and session_persons.started_at >= {{ dbt.dateadd('day', -1 * window_days, 'order_persons.created_at') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by order_id order by session_started_at desc, session_id desc
        ) as recency_rank,
        row_number() over (
            partition by order_id order by session_started_at asc, session_id asc
        ) as touch_number,
        count(*) over (partition by order_id) as touch_count

    from touches

),

shared as (

    select
        *,
        cast(net_revenue / touch_count as decimal(38, 16)) as linear_unit

    from ranked

),

final as (

    select
        {{ dbt.hash(dbt.concat(['order_id', "'|'", 'session_id'])) }} as touch_id,
        order_id,
        session_id,
        person_id,
        touch_number,
        touch_count,
        net_revenue,
        case when recency_rank = 1 then net_revenue else 0 end as last_touch_revenue,
        case when touch_number = 1 then net_revenue else 0 end as first_touch_revenue,
        case
            when recency_rank = 1 then net_revenue - linear_unit * (touch_count - 1)
            else linear_unit
        end as linear_revenue,
        recency_rank = 1 as is_last_touch,
        touch_number = 1 as is_first_touch,
        order_created_at,
        session_started_at

    from shared

)

select * from final
