{#-
    Every convertible order with its person and attribution type:
    dm_attributed (DM UTMs and a qualifying session: last touch),
    utm_unmatched (DM UTMs, no qualifying session), assisted (no DM UTMs,
    an assisting session), none (everything else, and every ineligible
    order). One row per order.
-#}
with

orders as (

    select * from {{ ref('int_orders_fx_converted') }}

),

persons as (

    select
        order_id,
        person_id

    from {{ ref('int_orders_identified') }}

),

touches as (

    select
        order_id,
        max(touch_count) as touch_count,
        max(case when is_last_touch then session_id end) as last_touch_session_id,
        max(case when is_first_touch then session_id end) as first_touch_session_id

    from {{ ref('int_order_session_touches') }}
    group by order_id

),

assists as (

    select
        order_id,
        count(*) as assisting_sessions,
        max(case when is_latest_assist then session_id end) as assisted_session_id

    from {{ ref('int_order_assists') }}
    group by order_id

),

classified as (

    select
        orders.*,
        persons.person_id,
        touches.last_touch_session_id,
        touches.first_touch_session_id,
        coalesce(touches.touch_count, 0) as touch_count,
        assists.assisted_session_id,
        coalesce(assists.assisting_sessions, 0) as assisting_sessions,
        case
            when not orders.is_eligible then 'none'
            when orders.has_dm_utms and touches.order_id is not null then 'dm_attributed'
            when orders.has_dm_utms then 'utm_unmatched'
            when assists.order_id is not null then 'assisted'
            else 'none'
        end as attribution_type

    from orders
    left join persons on orders.order_id = persons.order_id
    left join touches on orders.order_id = touches.order_id
    left join assists on orders.order_id = assists.order_id

),

final as (

    select
        order_id,
        person_id,
        attribution_type,
        last_touch_session_id,
        first_touch_session_id,
        assisted_session_id,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_origin,
        currency,
        financial_status,
        source_name,
        total_price,
        refunded_amount,
        fx_rate,
        fx_rate_date,
        gross_revenue,
        refunded_revenue,
        net_revenue,
        case
            when attribution_type in ('dm_attributed', 'utm_unmatched') then net_revenue else 0
        end as attributed_revenue,
        case when attribution_type = 'assisted' then net_revenue else 0 end as assisted_revenue,
        touch_count,
        assisting_sessions,
        is_eligible,
        is_cancelled,
        has_dm_utms,
        is_eligible and net_revenue > 0 as is_counted_order,
        attribution_type in ('dm_attributed', 'utm_unmatched') as is_dm_attributed,
        created_at,
        cancelled_at,
        created_date

    from classified

)

select * from final
