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

items_in_periods as (

    {% for grain in reporting_period_grains() %}
        select
            '{{ grain }}' as period_grain,
            {{ reporting_period_start("'" ~ grain ~ "'", 'started_date') }} as period_start,
            flow_name,
            flow_step,
            button_label,
            item_type,
            is_matched
        from items
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

aggregated as (

    select
        period_grain,
        period_start,
        flow_name,
        flow_step,
        button_label,
        sum(case when item_type = 'button_offer' then 1 else 0 end) as offers,
        sum(case when item_type = 'button_tap' then 1 else 0 end) as taps,
        sum(case when item_type = 'button_tap' and not is_matched then 1 else 0 end) as unmatched_taps

    from items_in_periods
    group by
        period_grain,
        period_start,
        flow_name,
        flow_step,
        button_label

),

final as (

    select
        -- keys
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(flow_name as {{ dbt.type_string() }}) as flow_name,
        cast(flow_step as {{ dbt.type_string() }}) as flow_step,
        cast(button_label as {{ dbt.type_string() }}) as button_label,

        -- counts
        cast(offers as {{ dbt.type_bigint() }}) as offers,
        cast(taps as {{ dbt.type_bigint() }}) as taps,
        cast(unmatched_taps as {{ dbt.type_bigint() }}) as unmatched_taps,

        -- rate (null without an offer)
        {{ kpi_ratio('taps', 'offers') }} as tap_rate

    from aggregated

)

select * from final
