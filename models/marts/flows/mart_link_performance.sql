{#-
    Link performance, so a team can remove the links with a low CTR: one
    row per period_grain x period_start x flow_name x flow_step x link (the
    URL without its query string), for the automated sessions started in
    the period. messages = outbound messages that carried the link at that
    step; clicks = link clicks given to the step of the latest earlier
    message of the session with the same link (int_dm_links_and_buttons;
    unmatched_clicks had no such message and keep their own step); ctr =
    clicks ÷ messages (can exceed 1: a link clicked twice). The rows of a
    period add up to link_ctr's numerator and denominator in
    mart_engagement.
-#}

with

items as (

    select * from {{ ref('int_dm_links_and_buttons') }}
    where item_type in ('link_message', 'link_click')

),

{{ engagement_item_performance(
    'items', 'link', 'link_message', 'link_click', 'messages', 'clicks', 'unmatched_clicks', 'ctr'
) }}

select * from final
