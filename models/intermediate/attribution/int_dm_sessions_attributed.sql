{#-
    What attribution gives each session: one row per session of
    int_dm_sessions (automated and organic; organic sessions get nothing).
    Last touch from int_orders_attributed (dm_attributed orders whose
    last_touch_session_id is the session): attributed_orders counts the
    counted ones (is_counted_order: eligible, net revenue > 0) and a
    session is sold when it has at least one; attributed_revenue sums
    their attributed revenue (a fully refunded order adds 0).
    First-touch and linear revenue are summed from int_order_session_touches.
-#}
with

sessions as (

    select * from {{ ref('int_dm_sessions') }}

),

orders as (

    select * from {{ ref('int_orders_attributed') }}
    where attribution_type = 'dm_attributed'

),

touches as (

    select * from {{ ref('int_order_session_touches') }}

),

last_touch_orders as (

    select
        last_touch_session_id as session_id,
        count(*) as last_touch_orders,
        sum(case when is_counted_order then 1 else 0 end) as attributed_orders,
        sum(attributed_revenue) as attributed_revenue

    from orders
    where last_touch_session_id is not null
    group by last_touch_session_id

),

touch_shares as (

    select
        session_id,
        count(*) as touched_orders,
        sum(first_touch_revenue) as first_touch_revenue,
        sum(linear_revenue) as linear_revenue

    from touches
    group by session_id

),

final as (

    select
        sessions.session_id,
        cast(coalesce(last_touch_orders.last_touch_orders, 0) as {{ dbt.type_bigint() }}) as last_touch_orders,
        cast(coalesce(last_touch_orders.attributed_orders, 0) as {{ dbt.type_bigint() }}) as attributed_orders,
        cast(coalesce(touch_shares.touched_orders, 0) as {{ dbt.type_bigint() }}) as touched_orders,
        cast(coalesce(last_touch_orders.attributed_revenue, 0) as {{ type_money() }}) as attributed_revenue,
        cast(coalesce(touch_shares.first_touch_revenue, 0) as {{ type_money() }}) as first_touch_revenue,
        cast(coalesce(touch_shares.linear_revenue, 0) as {{ type_money() }}) as linear_revenue,
        coalesce(last_touch_orders.attributed_orders, 0) > 0 as is_sold

    from sessions
    left join last_touch_orders
        on sessions.session_id = last_touch_orders.session_id
    left join touch_shares
        on sessions.session_id = touch_shares.session_id

)

select * from final
