{#-
    Did the new first message (the hook) work? First-message drop-off and
    revenue per chat of the automated sessions started in the
    var('hook_comparison_days', 28) days before var('hook_change_date',
    '2026-10-01') against the same number of days from it on, from
    fct_dm_sessions. var('hook_comparison_by_flow', false) splits the
    comparison by flow (one row per flow) instead of one row for all flows.

    first_message_dropoff_rate: sessions with no customer event (message,
    click, lead) after the first outbound message / sessions with an
    outbound message (the engagement tile's definition). revenue_per_chat
    here is session-based: the last-touch revenue given to the sessions
    started in the window (fct_dm_sessions.attributed_revenue, whatever the
    order's date) / those sessions; utm_unmatched orders have no session and
    are not in it, so it can differ from the tile's monthly figure.

    dbt compile --select hook_comparison --vars '{hook_change_date: 2026-10-01, hook_comparison_by_flow: true}'
-#}
{%- set change_date = "cast('" ~ var('hook_change_date', '2026-10-01') ~ "' as date)" -%}
{%- set window_days = var('hook_comparison_days', 28) -%}
{%- set by_flow = var('hook_comparison_by_flow', false) -%}

with

sessions as (

    select * from {{ ref('fct_dm_sessions') }}
    where session_type = 'automated'

),

sessions_windowed as (

    select
        {% if by_flow %}
            coalesce(flow_name, '(unknown)') as flow_name,
        {% else %}
            'all flows' as flow_name,
        {% endif %}
        case when started_date < {{ change_date }} then 'before' else 'after' end as hook_period,
        outbound_messages > 0 as has_outbound_message,
        outbound_messages > 0 and not has_customer_activity_after_first_message as is_dropped_after_first_message,
        attributed_revenue

    from sessions
    where
        started_date >= {{ dbt.dateadd('day', -1 * window_days, change_date) }}
        and started_date < {{ dbt.dateadd('day', window_days, change_date) }}

),

measured as (

    select
        flow_name,
        sum(case when hook_period = 'before' then 1 else 0 end) as sessions_before,
        sum(case when hook_period = 'after' then 1 else 0 end) as sessions_after,
        sum(case when hook_period = 'before' and has_outbound_message then 1 else 0 end)
            as outbound_sessions_before,
        sum(case when hook_period = 'after' and has_outbound_message then 1 else 0 end)
            as outbound_sessions_after,
        sum(case when hook_period = 'before' and is_dropped_after_first_message then 1 else 0 end)
            as dropped_sessions_before,
        sum(case when hook_period = 'after' and is_dropped_after_first_message then 1 else 0 end)
            as dropped_sessions_after,
        sum(case when hook_period = 'before' then attributed_revenue else 0 end) as attributed_revenue_before,
        sum(case when hook_period = 'after' then attributed_revenue else 0 end) as attributed_revenue_after

    from sessions_windowed
    group by flow_name

),

compared as (

    select
        *,
        {{ kpi_ratio('dropped_sessions_before', 'outbound_sessions_before') }} as first_message_dropoff_rate_before,
        {{ kpi_ratio('dropped_sessions_after', 'outbound_sessions_after') }} as first_message_dropoff_rate_after,
        {{ kpi_ratio('attributed_revenue_before', 'sessions_before') }} as revenue_per_chat_before,
        {{ kpi_ratio('attributed_revenue_after', 'sessions_after') }} as revenue_per_chat_after

    from measured

),

final as (

    select
        {{ change_date }} as hook_change_date,
        {{ window_days }} as window_days,
        flow_name,
        sessions_before,
        sessions_after,
        dropped_sessions_before,
        dropped_sessions_after,
        first_message_dropoff_rate_before,
        first_message_dropoff_rate_after,
        first_message_dropoff_rate_after - first_message_dropoff_rate_before as first_message_dropoff_change,
        attributed_revenue_before,
        attributed_revenue_after,
        revenue_per_chat_before,
        revenue_per_chat_after,
        revenue_per_chat_after - revenue_per_chat_before as revenue_per_chat_change

    from compared

)

select * from final
