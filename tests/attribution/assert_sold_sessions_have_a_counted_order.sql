{#-
    A session is sold exactly when at least one counted order (eligible,
    net revenue > 0, recomputed here from the order amounts) of type
    dm_attributed names it as its last touch. Checked from fct_orders
    against int_dm_sessions_attributed, independently of how the latter
    counts. Fails with one row per session whose is_sold disagrees.
-#}
with

sessions as (

    select * from {{ ref('int_dm_sessions_attributed') }}

),

orders as (

    select * from {{ ref('fct_orders') }}
    where
        attribution_type = 'dm_attributed'
        and financial_status in ('paid', 'partially_refunded', 'refunded')
        and cancelled_at is null
        and (total_price - refunded_amount) * fx_rate > 0

),

sold as (

    select distinct last_touch_session_id as session_id
    from orders

),

compared as (

    select
        sessions.session_id,
        sessions.is_sold,
        sold.session_id is not null as has_counted_last_touch_order

    from sessions
    left join sold on sessions.session_id = sold.session_id

)

select * from compared
where is_sold <> has_counted_last_touch_order
