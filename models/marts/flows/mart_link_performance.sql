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

items_in_periods as (

    {% for grain in reporting_period_grains() %}
        select
            '{{ grain }}' as period_grain,
            {{ reporting_period_start("'" ~ grain ~ "'", 'started_date') }} as period_start,
            flow_name,
            flow_step,
            link,
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
        link,
        sum(case when item_type = 'link_message' then 1 else 0 end) as messages,
        sum(case when item_type = 'link_click' then 1 else 0 end) as clicks,
        sum(case when item_type = 'link_click' and not is_matched then 1 else 0 end) as unmatched_clicks

    from items_in_periods
    group by
        period_grain,
        period_start,
        flow_name,
        flow_step,
        link

),

final as (

    select
        -- keys
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(flow_name as {{ dbt.type_string() }}) as flow_name,
        cast(flow_step as {{ dbt.type_string() }}) as flow_step,
        cast(link as {{ dbt.type_string() }}) as link,

        -- counts
        cast(messages as {{ dbt.type_bigint() }}) as messages,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(unmatched_clicks as {{ dbt.type_bigint() }}) as unmatched_clicks,

        -- rate (null without a message)
        {{ kpi_ratio('clicks', 'messages') }} as ctr

    from aggregated

)

select * from final
