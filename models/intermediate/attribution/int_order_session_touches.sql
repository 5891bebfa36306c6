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

    select * from {{ ref('int_orders_identified') }}
    where is_eligible and has_dm_utms

),

sessions as (

    select * from {{ ref('int_dm_sessions_identified') }}
    where session_type = 'automated'

),

touches as (

    select
        orders.order_id,
        orders.person_id,
        orders.net_revenue,
        orders.created_at as order_created_at,
        sessions.session_id,
        sessions.started_at as session_started_at

    from orders
    inner join sessions
        on
            orders.person_id = sessions.person_id
            and orders.utm_campaign = sessions.flow_name
            and orders.created_at >= sessions.started_at
            and sessions.started_at >= {{ dbt.dateadd('day', -1 * window_days, 'orders.created_at') }}

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
        -- the division in double, as DuckDB divides decimals; Spark would keep a
        -- decimal rounded to 6 places (its decimal precision rules)
        cast(cast(net_revenue as {{ type_double() }}) / touch_count as {{ type_money() }}) as linear_unit

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
            -- operands narrowed to decimal(26, 16) and int (amounts below 10^10): exact on
            -- DuckDB as before, and inside Spark's 38 digits, which would otherwise round
            -- the product and the difference to 6 decimal places
            when recency_rank = 1
                then
                    cast(net_revenue as decimal(26, 16))
                    - cast(linear_unit as decimal(26, 16)) * cast(touch_count - 1 as int)
            else linear_unit
        end as linear_revenue,
        recency_rank = 1 as is_last_touch,
        touch_number = 1 as is_first_touch,
        order_created_at,
        session_started_at

    from shared

)

select * from final
