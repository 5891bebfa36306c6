{#-
    Every order that carries the DM UTMs (utm_source dm, utm_medium chat)
    with how many DM events the events export holds in the attribution
    window before it (its UTC date and the attribution_window_days before).
    An order that came from a chat while the export has no chat at all in
    those days means the events export is cut short or missing a period:
    the order then falls to utm_unmatched and revenue per chat divides by
    too few sessions, without any other test noticing.
-#}

{%- set window_days = var('attribution_window_days') -%}

with

dm_orders as (

    select
        order_id,
        created_at,
        created_date

    from {{ ref('fct_orders') }}
    where has_dm_utms

),

events_by_date as (

    select
        occurred_date,
        count(*) as dm_events

    from {{ ref('stg_dm_platform__events') }}
    group by occurred_date

),

final as (

    select
        dm_orders.order_id,
        dm_orders.created_at,
        {{ window_days }} as window_days,
        cast(coalesce(sum(events_by_date.dm_events), 0) as {{ dbt.type_bigint() }}) as dm_events_in_window,
        coalesce(sum(events_by_date.dm_events), 0) > 0 as has_dm_events_in_window

    from dm_orders
    left join events_by_date
        on
            dm_orders.created_date >= events_by_date.occurred_date
            and {{ dbt.dateadd('day', -1 * window_days, 'dm_orders.created_date') }} <= events_by_date.occurred_date
    group by
        dm_orders.order_id,
        dm_orders.created_at

)

select * from final
