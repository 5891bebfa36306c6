{#-
    Button performance, so a team can name buttons for outcomes: one row
    per period_grain x period_start x flow_name x flow_step x button_label,
    for the automated sessions started in the period. offers = outbound
    messages that offered the label at that step (a message offering three
    labels is three offers); taps = button clicks given to the step of the
    latest earlier message of the session offering the label
    (int_dm_links_and_buttons; unmatched_taps had none and keep their own
    step and label); tap_rate = taps ÷ offers. The taps of a period add up
    to button_ctr's numerator in mart_engagement.
-#}

with

items as (

    select * from {{ ref('int_dm_links_and_buttons') }}
    where item_type in ('button_offer', 'button_tap')

),

{{ engagement_item_performance(
    'items', 'button_label', 'button_offer', 'button_tap', 'offers', 'taps', 'unmatched_taps', 'tap_rate'
) }}

select * from final
