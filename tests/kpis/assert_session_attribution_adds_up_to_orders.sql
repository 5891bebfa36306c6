{#-
    What fct_dm_sessions gives its sessions adds up to the orders of
    fct_orders: summed over sessions, attributed_revenue (last touch),
    first_touch_revenue and linear_revenue each equal the attributed revenue
    of the dm_attributed orders (nothing counted twice, nothing lost), and
    attributed_orders equals their counted orders. Fails with one row per
    measure that does not add up.
-#}
with

sessions_total as (

    select
        sum(attributed_revenue) as last_touch_revenue,
        sum(first_touch_revenue) as first_touch_revenue,
        sum(linear_revenue) as linear_revenue,
        sum(attributed_orders) as attributed_orders

    from {{ ref('fct_dm_sessions') }}

),

orders_total as (

    select
        coalesce(sum(attributed_revenue), 0) as attributed_revenue,
        coalesce(sum(case when is_counted_order then 1 else 0 end), 0) as attributed_orders

    from {{ ref('fct_orders') }}
    where attribution_type = 'dm_attributed'

),

compared as (

    select
        'last touch' as measure,
        sessions_total.last_touch_revenue as sessions_value,
        orders_total.attributed_revenue as orders_value
    from sessions_total
    cross join orders_total
    union all
    select
        'first touch' as measure,
        sessions_total.first_touch_revenue as sessions_value,
        orders_total.attributed_revenue as orders_value
    from sessions_total
    cross join orders_total
    union all
    select
        'linear' as measure,
        sessions_total.linear_revenue as sessions_value,
        orders_total.attributed_revenue as orders_value
    from sessions_total
    cross join orders_total
    union all
    select
        'attributed orders' as measure,
        sessions_total.attributed_orders as sessions_value,
        orders_total.attributed_orders as orders_value
    from sessions_total
    cross join orders_total

)

select * from compared
where coalesce(sessions_value, 0) <> orders_value
