{#-
    The one-page review that ends the 10-day ROI sprint: FRT, DM -> lead,
    DM -> sale, revenue per chat and the best flow, for one month against
    the month before. Reads the public marts only (month grain):
    mart_ops_health, mart_conversion_revenue, mart_flow_performance.

    Month: var('review_month', '2026-10-01') (any date of the month), e.g.
    dbt compile --select roi_sprint_review --vars '{review_month: 2026-09-01}'.
    One row per line of the page (sort on line_number), with the values
    (unrounded), their display text (rounded for display only) and the
    change. A month missing from the marts shows 'n/a'.
-#}
{%- set review_date = "cast('" ~ var('review_month', '2026-10-01') ~ "' as date)" -%}

with

ops_health as (

    select * from {{ ref('mart_ops_health') }}
    where period_grain = 'month'

),

conversion_revenue as (

    select * from {{ ref('mart_conversion_revenue') }}
    where period_grain = 'month'

),

flow_performance as (

    select * from {{ ref('mart_flow_performance') }}
    where period_grain = 'month'

),

review_months as (

    select
        {{ reporting_period_start("'month'", review_date) }} as review_month,
        {{ reporting_period_shift("'month'", reporting_period_start("'month'", review_date), '-1') }}
            as previous_month

),

monthly_kpis as (

    select
        conversion_revenue.period_start,
        ops_health.median_first_response_seconds,
        ops_health.frt_under_60s_rate,
        conversion_revenue.sessions_started,
        conversion_revenue.lead_capture_rate,
        conversion_revenue.dm_to_sale_rate,
        conversion_revenue.attributed_revenue,
        conversion_revenue.revenue_per_chat

    from conversion_revenue
    left join ops_health
        on conversion_revenue.period_start = ops_health.period_start

),

best_flows as (

    select
        period_start,
        flow_name as best_flow_name,
        attributed_revenue as best_flow_revenue,
        revenue_per_chat as best_flow_revenue_per_chat

    from flow_performance
    where revenue_rank = 1

),

months_compared as (

    select
        review_months.review_month,
        review_months.previous_month,
        this_month.median_first_response_seconds as this_frt_seconds,
        previous_month.median_first_response_seconds as previous_frt_seconds,
        this_month.frt_under_60s_rate as this_frt_under_60s_rate,
        previous_month.frt_under_60s_rate as previous_frt_under_60s_rate,
        this_month.lead_capture_rate as this_lead_capture_rate,
        previous_month.lead_capture_rate as previous_lead_capture_rate,
        this_month.dm_to_sale_rate as this_dm_to_sale_rate,
        previous_month.dm_to_sale_rate as previous_dm_to_sale_rate,
        this_month.revenue_per_chat as this_revenue_per_chat,
        previous_month.revenue_per_chat as previous_revenue_per_chat,
        this_month.sessions_started as this_sessions,
        previous_month.sessions_started as previous_sessions,
        this_month.attributed_revenue as this_attributed_revenue,
        previous_month.attributed_revenue as previous_attributed_revenue,
        this_best_flow.best_flow_name as this_best_flow_name,
        previous_best_flow.best_flow_name as previous_best_flow_name,
        this_best_flow.best_flow_revenue as this_best_flow_revenue,
        previous_best_flow.best_flow_revenue as previous_best_flow_revenue

    from review_months
    left join monthly_kpis as this_month
        on review_months.review_month = this_month.period_start
    left join monthly_kpis as previous_month
        on review_months.previous_month = previous_month.period_start
    left join best_flows as this_best_flow
        on review_months.review_month = this_best_flow.period_start
    left join best_flows as previous_best_flow
        on review_months.previous_month = previous_best_flow.period_start

),

review_lines as (

    select
        1 as line_number,
        'FRT: median automated first response' as metric,
        'seconds' as unit,
        this_frt_seconds as this_value,
        previous_frt_seconds as previous_value,
        {{ format_kpi_value('this_frt_seconds', 'seconds') }} as this_display,
        {{ format_kpi_value('previous_frt_seconds', 'seconds') }} as previous_display,
        'Target: under a minute; humans inherit a warm context, not a cold ticket.' as reading_note
    from months_compared
    union all
    select
        2 as line_number,
        'FRT: sessions answered within 60 s' as metric,
        'rate' as unit,
        this_frt_under_60s_rate as this_value,
        previous_frt_under_60s_rate as previous_value,
        {{ format_kpi_value('this_frt_under_60s_rate', 'rate') }} as this_display,
        {{ format_kpi_value('previous_frt_under_60s_rate', 'rate') }} as previous_display,
        'Share of sessions with an outbound message answered in 60 s or less.' as reading_note
    from months_compared
    union all
    select
        3 as line_number,
        'DM -> lead: lead capture with consent' as metric,
        'rate' as unit,
        this_lead_capture_rate as this_value,
        previous_lead_capture_rate as previous_value,
        {{ format_kpi_value('this_lead_capture_rate', 'rate') }} as this_display,
        {{ format_kpi_value('previous_lead_capture_rate', 'rate') }} as previous_display,
        'Sessions with a consented lead (email or phone) per automated session.' as reading_note
    from months_compared
    union all
    select
        4 as line_number,
        'DM -> sale' as metric,
        'rate' as unit,
        this_dm_to_sale_rate as this_value,
        previous_dm_to_sale_rate as previous_value,
        {{ format_kpi_value('this_dm_to_sale_rate', 'rate') }} as this_display,
        {{ format_kpi_value('previous_dm_to_sale_rate', 'rate') }} as previous_display,
        'Sessions given at least one attributed order (last touch) per automated session.' as reading_note
    from months_compared
    union all
    select
        5 as line_number,
        'Revenue per chat' as metric,
        'money' as unit,
        cast(this_revenue_per_chat as {{ type_double() }}) as this_value,
        cast(previous_revenue_per_chat as {{ type_double() }}) as previous_value,
        {{ format_kpi_value('this_revenue_per_chat', 'money') }}
        || ' (' || {{ format_kpi_value('this_attributed_revenue', 'money') }}
        || ' / ' || {{ format_kpi_value('this_sessions', 'count') }} || ' chats)' as this_display,
        {{ format_kpi_value('previous_revenue_per_chat', 'money') }}
        || ' (' || {{ format_kpi_value('previous_attributed_revenue', 'money') }}
        || ' / ' || {{ format_kpi_value('previous_sessions', 'count') }} || ' chats)' as previous_display,
        'Attributed revenue (last touch and utm_unmatched) per automated session.' as reading_note
    from months_compared
    union all
    select
        6 as line_number,
        'Best flow by attributed revenue' as metric,
        'money' as unit,
        cast(this_best_flow_revenue as {{ type_double() }}) as this_value,
        cast(previous_best_flow_revenue as {{ type_double() }}) as previous_value,
        coalesce(this_best_flow_name, 'n/a')
        || ' (' || {{ format_kpi_value('this_best_flow_revenue', 'money') }} || ')' as this_display,
        coalesce(previous_best_flow_name, 'n/a')
        || ' (' || {{ format_kpi_value('previous_best_flow_revenue', 'money') }} || ')' as previous_display,
        'Rank 1 of mart_flow_performance; double down on it, retire what does not sell.' as reading_note
    from months_compared

),

final as (

    select
        months_compared.review_month,
        months_compared.previous_month,
        review_lines.line_number,
        review_lines.metric,
        review_lines.unit,
        review_lines.this_value,
        review_lines.previous_value,
        review_lines.this_value - review_lines.previous_value as value_change,
        coalesce(review_lines.this_display, 'n/a') as this_month_display,
        coalesce(review_lines.previous_display, 'n/a') as previous_month_display,
        case
            when review_lines.unit = 'rate'
                then coalesce(
                    {{ format_signed('100.0 * (review_lines.this_value - review_lines.previous_value)', 1) }}
                    || ' pts',
                    'n/a'
                )
            when review_lines.unit = 'seconds'
                then coalesce(
                    {{ format_signed('review_lines.this_value - review_lines.previous_value', 1) }} || ' s',
                    'n/a'
                )
            else coalesce(
                {{ format_signed('review_lines.this_value - review_lines.previous_value', 2) }},
                'n/a'
            )
        end as change_display,
        review_lines.reading_note

    from review_lines
    cross join months_compared

)

select * from final
