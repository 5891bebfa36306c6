{#-
    mart_link_performance and mart_button_performance add up to the
    engagement tile: per period, link messages = messages_with_link and
    link clicks = link_clicks (link_ctr's denominator and numerator), and
    button taps = button_clicks (button_ctr's numerator). Fails with one
    row per period and measure that does not add up (a click lost, or
    counted at two steps).
-#}
with

engagement as (

    select * from {{ ref('mart_engagement') }}

),

links as (

    select
        period_grain,
        period_start,
        sum(messages) as link_messages,
        sum(clicks) as link_clicks

    from {{ ref('mart_link_performance') }}
    group by
        period_grain,
        period_start

),

buttons as (

    select
        period_grain,
        period_start,
        sum(taps) as button_taps

    from {{ ref('mart_button_performance') }}
    group by
        period_grain,
        period_start

),

compared as (

    select
        engagement.period_grain,
        engagement.period_start,
        engagement.messages_with_link,
        coalesce(links.link_messages, 0) as link_messages,
        engagement.link_clicks,
        coalesce(links.link_clicks, 0) as link_mart_clicks,
        engagement.button_clicks,
        coalesce(buttons.button_taps, 0) as button_taps

    from engagement
    left join links
        on
            engagement.period_grain = links.period_grain
            and engagement.period_start = links.period_start
    left join buttons
        on
            engagement.period_grain = buttons.period_grain
            and engagement.period_start = buttons.period_start

),

final as (

    select * from compared
    where
        messages_with_link <> link_messages
        or link_clicks <> link_mart_clicks
        or button_clicks <> button_taps

)

select * from final
