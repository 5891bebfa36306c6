{#-
    Every KPI of the spec's table (plus direct_starts) appears in
    kpi_scorecard for every period of the spine: 27 KPIs for each week and
    month, and the 4 roi KPIs for each month only. Fails with one row per
    missing or unexpected (period, tile, kpi).
-#}
{%- set every_period = {
    'acquisition': ['sessions_started', 'comment_to_dm_starts', 'story_reply_starts', 'keyword_starts', 'ad_starts',
                    'direct_starts'],
    'engagement': ['first_message_open_rate', 'button_ctr', 'link_ctr', 'first_message_dropoff_rate'],
    'conversion_revenue': ['lead_capture_rate', 'dm_to_sale_rate', 'attributed_orders', 'attributed_revenue', 'aov',
                           'revenue_per_chat', 'assisted_revenue', 'lead_to_customer_rate', 'revenue_per_lead',
                           'median_days_to_first_order'],
    'ops_health': ['median_first_response_seconds', 'frt_under_60s_rate', 'self_serve_rate', 'handoff_rate',
                   'median_handoff_response_seconds', 'median_resolution_minutes', 'opt_out_rate'],
} -%}
{%- set month_only = {'roi': ['automation_cost', 'gains', 'roi', 'cost_per_lead']} -%}

with

periods as (

    select * from {{ ref('int_reporting_periods') }}

),

scorecard as (

    select * from {{ ref('kpi_scorecard') }}

),

kpi_list as (

    {%- for tile, kpis in every_period.items() %}
        {%- for kpi in kpis %}
            select
                '{{ tile }}' as tile,
                '{{ kpi }}' as kpi,
                false as is_month_only
            union all
        {%- endfor %}
    {%- endfor %}
    {%- for tile, kpis in month_only.items() %}
        {%- for kpi in kpis %}
            select
                '{{ tile }}' as tile,
                '{{ kpi }}' as kpi,
                true as is_month_only
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}

),

expected as (

    select
        periods.period_grain,
        periods.period_start,
        kpi_list.tile,
        kpi_list.kpi

    from periods
    cross join kpi_list
    where periods.period_grain = 'month' or not kpi_list.is_month_only

),

compared as (

    select
        coalesce(expected.period_grain, scorecard.period_grain) as period_grain,
        coalesce(expected.period_start, scorecard.period_start) as period_start,
        coalesce(expected.tile, scorecard.tile) as tile,
        coalesce(expected.kpi, scorecard.kpi) as kpi,
        case when scorecard.kpi is null then 'missing' else 'unexpected' end as problem

    from expected
    full outer join scorecard
        on
            expected.period_grain = scorecard.period_grain
            and expected.period_start = scorecard.period_start
            and expected.tile = scorecard.tile
            and expected.kpi = scorecard.kpi
    where expected.kpi is null or scorecard.kpi is null

)

select * from compared
