{#-
    The scorecard: one row per period_grain x period_start x tile x kpi, a
    long table unpivoted from the tile marts (mart_acquisition,
    mart_engagement, mart_conversion_revenue, mart_ops_health for weeks and
    months; mart_roi_monthly for months only), so it carries exactly their
    values. numerator and denominator are those of a rate or ratio, null
    for counts, sums and medians. change = value - previous_value;
    change_pct = change / previous_value, null when the previous value is
    null or 0. why is one sentence built from the numbers (money shown
    with 2 decimals, rates with 1, rounding for display only), with the
    best flow (conversion tile) and the top drop-off step (engagement)
    from int_kpi_period_highlights.
-#}
{%- set best_flow = (
    "case when best_flow_name is not null then '; best flow ' || best_flow_name || ' ('"
    ~ " || " ~ format_money('best_flow_attributed_revenue') ~ " || ')' else '' end"
) -%}
{%- set top_dropoff = (
    "case when top_dropoff_step is not null then '; top drop-off step ' || top_dropoff_flow_name || '/'"
    ~ " || top_dropoff_step || ' (' || " ~ format_number('top_dropoff_sessions', 0) ~ " || ' of '"
    ~ " || " ~ format_number('top_dropoff_sessions_reached', 0) ~ " || ' sessions that reached it)' else '' end"
) -%}
{%- set fx_rejects = (
    "case when fx_rejected_cost_lines > 0 then '; ' || " ~ format_number('fx_rejected_cost_lines', 0)
    ~ " || ' cost line(s) without an fx rate are rejected, not counted' else '' end"
) -%}
{%- set lead_window_days = var('lead_conversion_window_days') -%}
{%- set open_windows = (
    "case when leads_with_open_window > 0 then '; ' || " ~ format_number('leads_with_open_window', 0)
    ~ " || ' of ' || " ~ format_number('sessions_with_consented_lead', 0)
    ~ " || ' leads are still inside their " ~ lead_window_days ~ "-day window, so this can still change'"
    ~ " else '' end"
) -%}
{%- set no_leads = 'no consented lead was captured' -%}
{%- set no_sessions = 'no automated session started' -%}
{%- set no_outbound = 'no automated session sent an outbound message' -%}
{%- set kpis = [
    {'source': 'acquisition_values', 'tile': 'acquisition', 'kpi': 'sessions_started', 'unit': 'count',
     'label': 'Sessions started', 'empty': '',
     'detail': [['count', 'comment_to_dm_starts'], ['text', ' from comment-to-DM, '],
                ['count', 'story_reply_starts'], ['text', ' story replies, '],
                ['count', 'keyword_starts'], ['text', ' keywords, '],
                ['count', 'ad_starts'], ['text', ' ads and '],
                ['count', 'direct_starts'], ['text', ' direct messages']]},
    {'source': 'acquisition_values', 'tile': 'acquisition', 'kpi': 'comment_to_dm_starts', 'unit': 'count',
     'label': 'Comment-to-DM starts', 'empty': '',
     'detail': [['count', 'comment_to_dm_starts'], ['text', ' of '], ['count', 'sessions_started'],
                ['text', ' sessions started from a comment']]},
    {'source': 'acquisition_values', 'tile': 'acquisition', 'kpi': 'story_reply_starts', 'unit': 'count',
     'label': 'Story-reply starts', 'empty': '',
     'detail': [['count', 'story_reply_starts'], ['text', ' of '], ['count', 'sessions_started'],
                ['text', ' sessions started from a story reply']]},
    {'source': 'acquisition_values', 'tile': 'acquisition', 'kpi': 'keyword_starts', 'unit': 'count',
     'label': 'Keyword starts', 'empty': '',
     'detail': [['count', 'keyword_starts'], ['text', ' of '], ['count', 'sessions_started'],
                ['text', ' sessions started from a keyword']]},
    {'source': 'acquisition_values', 'tile': 'acquisition', 'kpi': 'ad_starts', 'unit': 'count',
     'label': 'Ad starts', 'empty': '',
     'detail': [['count', 'ad_starts'], ['text', ' of '], ['count', 'sessions_started'],
                ['text', ' sessions started from an ad']]},
    {'source': 'acquisition_values', 'tile': 'acquisition', 'kpi': 'direct_starts', 'unit': 'count',
     'label': 'Direct starts', 'empty': '',
     'detail': [['count', 'direct_starts'], ['text', ' of '], ['count', 'sessions_started'],
                ['text', ' sessions started from a direct message']]},
    {'source': 'engagement_values', 'tile': 'engagement', 'kpi': 'first_message_open_rate', 'unit': 'rate',
     'label': 'First-message open rate', 'empty': no_outbound,
     'numerator': 'sessions_with_first_message_read', 'denominator': 'sessions_with_outbound_message',
     'detail': [['count', 'sessions_with_first_message_read'], ['text', ' of '],
                ['count', 'sessions_with_outbound_message'],
                ['text', ' sessions with an outbound message had their first message read']]},
    {'source': 'engagement_values', 'tile': 'engagement', 'kpi': 'button_ctr', 'unit': 'rate',
     'label': 'Button CTR', 'empty': 'no outbound message offered buttons',
     'numerator': 'button_clicks', 'denominator': 'messages_with_buttons',
     'detail': [['count', 'button_clicks'], ['text', ' button clicks on '], ['count', 'messages_with_buttons'],
                ['text', ' messages that offered buttons']]},
    {'source': 'engagement_values', 'tile': 'engagement', 'kpi': 'link_ctr', 'unit': 'rate',
     'label': 'Link CTR', 'empty': 'no outbound message carried a link',
     'numerator': 'link_clicks', 'denominator': 'messages_with_link',
     'detail': [['count', 'link_clicks'], ['text', ' link clicks on '], ['count', 'messages_with_link'],
                ['text', ' messages that carried a link']]},
    {'source': 'engagement_values', 'tile': 'engagement', 'kpi': 'first_message_dropoff_rate', 'unit': 'rate',
     'label': 'First-message drop-off rate', 'empty': no_outbound,
     'numerator': 'sessions_dropped_after_first_message', 'denominator': 'sessions_with_outbound_message',
     'detail': [['count', 'sessions_dropped_after_first_message'], ['text', ' of '],
                ['count', 'sessions_with_outbound_message'],
                ['text', ' sessions had no reply, click or lead after the first message'],
                ['sql', top_dropoff]]},
    {'source': 'conversion_values', 'tile': 'conversion_revenue', 'kpi': 'lead_capture_rate', 'unit': 'rate',
     'label': 'Lead capture rate', 'empty': no_sessions,
     'numerator': 'sessions_with_consented_lead', 'denominator': 'sessions_started',
     'detail': [['count', 'sessions_with_consented_lead'], ['text', ' of '], ['count', 'sessions_started'],
                ['text', ' sessions captured a consented lead']]},
    {'source': 'conversion_values', 'tile': 'conversion_revenue', 'kpi': 'dm_to_sale_rate', 'unit': 'rate',
     'label': 'DM-to-sale rate', 'empty': no_sessions,
     'numerator': 'sold_sessions', 'denominator': 'sessions_started',
     'detail': [['count', 'sold_sessions'], ['text', ' of '], ['count', 'sessions_started'],
                ['text', ' sessions were given an attributed order'], ['sql', best_flow]]},
    {'source': 'conversion_values', 'tile': 'conversion_revenue', 'kpi': 'attributed_orders', 'unit': 'count',
     'label': 'Attributed orders', 'empty': '',
     'detail': [['count', 'attributed_orders_matched'], ['text', ' matched to a session and '],
                ['count', 'attributed_orders_unmatched'], ['text', ' utm_unmatched, worth '],
                ['money', 'attributed_revenue'], ['sql', best_flow]]},
    {'source': 'conversion_values', 'tile': 'conversion_revenue', 'kpi': 'attributed_revenue', 'unit': 'money',
     'label': 'Attributed revenue', 'empty': '',
     'detail': [['money', 'attributed_revenue_matched'], ['text', ' matched to a session and '],
                ['money', 'attributed_revenue_unmatched'], ['text', ' utm_unmatched, over '],
                ['count', 'attributed_orders'], ['text', ' orders'], ['sql', best_flow]]},
    {'source': 'conversion_values', 'tile': 'conversion_revenue', 'kpi': 'aov', 'unit': 'money',
     'label': 'AOV', 'empty': 'no DM-attributed order was placed',
     'numerator': 'attributed_revenue', 'denominator': 'attributed_orders',
     'detail': [['text', 'attributed revenue '], ['money', 'attributed_revenue'], ['text', ' over '],
                ['count', 'attributed_orders'], ['text', ' orders'], ['sql', best_flow]]},
    {'source': 'conversion_values', 'tile': 'conversion_revenue', 'kpi': 'revenue_per_chat', 'unit': 'money',
     'label': 'Revenue per chat', 'empty': no_sessions,
     'numerator': 'attributed_revenue', 'denominator': 'sessions_started',
     'detail': [['text', 'attributed revenue '], ['money', 'attributed_revenue'], ['text', ' over '],
                ['count', 'sessions_started'], ['text', ' sessions'], ['sql', best_flow]]},
    {'source': 'conversion_values', 'tile': 'conversion_revenue', 'kpi': 'assisted_revenue', 'unit': 'money',
     'label': 'Assisted revenue', 'empty': '',
     'detail': [['count', 'assisted_orders'],
                ['text', ' orders without DM UTMs followed a link click in a chat (not in attributed revenue)']]},
    {'source': 'conversion_values', 'tile': 'conversion_revenue', 'kpi': 'lead_to_customer_rate', 'unit': 'rate',
     'label': 'Lead-to-customer rate', 'empty': no_leads,
     'numerator': 'converted_leads', 'denominator': 'sessions_with_consented_lead',
     'detail': [['count', 'converted_leads'], ['text', ' of '], ['count', 'sessions_with_consented_lead'],
                ['text', ' consented leads placed an order within ' ~ lead_window_days ~ ' days'],
                ['sql', open_windows]]},
    {'source': 'conversion_values', 'tile': 'conversion_revenue', 'kpi': 'revenue_per_lead', 'unit': 'money',
     'label': 'Revenue per lead', 'empty': no_leads,
     'numerator': 'lead_revenue', 'denominator': 'sessions_with_consented_lead',
     'detail': [['money', 'lead_revenue'], ['text', ' ordered within ' ~ lead_window_days ~ ' days by '],
                ['count', 'sessions_with_consented_lead'],
                ['text', ' consented leads (orders of any source, not attributed revenue)'],
                ['sql', open_windows]]},
    {'source': 'conversion_values', 'tile': 'conversion_revenue', 'kpi': 'median_days_to_first_order',
     'unit': 'days', 'label': 'Median days to first order', 'empty': 'no consented lead placed an order',
     'detail': [['text', 'median over '], ['count', 'converted_leads'],
                ['text', ' leads that ordered within ' ~ lead_window_days ~ ' days'], ['sql', open_windows]]},
    {'source': 'ops_health_values', 'tile': 'ops_health', 'kpi': 'median_first_response_seconds',
     'unit': 'seconds', 'label': 'Median first response', 'empty': no_outbound,
     'detail': [['text', 'median over '], ['count', 'sessions_with_first_response'],
                ['text', ' sessions with an outbound message']]},
    {'source': 'ops_health_values', 'tile': 'ops_health', 'kpi': 'frt_under_60s_rate', 'unit': 'rate',
     'label': 'First responses within 60 s', 'empty': no_outbound,
     'numerator': 'sessions_answered_within_60s', 'denominator': 'sessions_with_outbound_message',
     'detail': [['count', 'sessions_answered_within_60s'], ['text', ' of '],
                ['count', 'sessions_with_outbound_message'], ['text', ' sessions were answered within 60 s']]},
    {'source': 'ops_health_values', 'tile': 'ops_health', 'kpi': 'self_serve_rate', 'unit': 'rate',
     'label': 'Self-serve rate', 'empty': no_sessions,
     'numerator': 'self_served_sessions', 'denominator': 'sessions_started',
     'detail': [['count', 'self_served_sessions'], ['text', ' of '], ['count', 'sessions_started'],
                ['text', ' sessions were resolved by the bot with no handoff']]},
    {'source': 'ops_health_values', 'tile': 'ops_health', 'kpi': 'handoff_rate', 'unit': 'rate',
     'label': 'Handoff rate', 'empty': no_sessions,
     'numerator': 'handed_off_sessions', 'denominator': 'sessions_started',
     'detail': [['count', 'handed_off_sessions'], ['text', ' of '], ['count', 'sessions_started'],
                ['text', ' sessions were handed off to an agent']]},
    {'source': 'ops_health_values', 'tile': 'ops_health', 'kpi': 'median_handoff_response_seconds',
     'unit': 'seconds', 'label': 'Median handoff response', 'empty': 'no handed-off session got an agent answer',
     'detail': [['text', 'median over '], ['count', 'handoffs_with_agent_response'],
                ['text', ' handed-off sessions an agent answered']]},
    {'source': 'ops_health_values', 'tile': 'ops_health', 'kpi': 'median_resolution_minutes',
     'unit': 'minutes', 'label': 'Median resolution time', 'empty': 'no automated session was resolved',
     'detail': [['text', 'median over '], ['count', 'resolved_sessions'], ['text', ' resolved sessions']]},
    {'source': 'ops_health_values', 'tile': 'ops_health', 'kpi': 'opt_out_rate', 'unit': 'rate',
     'label': 'Opt-out rate', 'empty': no_sessions,
     'numerator': 'opted_out_sessions', 'denominator': 'sessions_started',
     'detail': [['count', 'opted_out_sessions'], ['text', ' of '], ['count', 'sessions_started'],
                ['text', ' sessions had an opt-out']]},
    {'source': 'roi_values', 'tile': 'roi', 'kpi': 'automation_cost', 'unit': 'money',
     'label': 'Automation cost', 'empty': '',
     'detail': [['text', 'tool subscription '], ['money', 'tool_subscription_cost'], ['text', ', setup '],
                ['money', 'setup_cost'], ['text', ', agency '], ['money', 'agency_cost'], ['text', ', ads '],
                ['money', 'ads_cost'], ['text', ', other '], ['money', 'other_cost'], ['sql', fx_rejects]]},
    {'source': 'roi_values', 'tile': 'roi', 'kpi': 'gains', 'unit': 'money',
     'label': 'Gains', 'empty': '',
     'detail': [['money', 'revenue_gain'], ['text', ' of attributed revenue at a '],
                ['rate', 'gross_margin_rate'], ['text', ' margin plus '], ['money', 'time_saved_value'],
                ['text', ' of agent time saved by '], ['count', 'self_served_sessions'],
                ['text', ' self-served sessions']]},
    {'source': 'roi_values', 'tile': 'roi', 'kpi': 'roi', 'unit': 'rate',
     'label': 'ROI', 'empty': 'no automation cost was booked',
     'numerator': 'net_gain', 'denominator': 'automation_cost',
     'detail': [['text', 'gains '], ['money', 'gains'], ['text', ' against automation cost '],
                ['money', 'automation_cost']]},
    {'source': 'roi_values', 'tile': 'roi', 'kpi': 'cost_per_lead', 'unit': 'money',
     'label': 'Cost per lead', 'empty': 'no consented lead was captured',
     'numerator': 'automation_cost', 'denominator': 'leads_with_consent',
     'detail': [['text', 'automation cost '], ['money', 'automation_cost'], ['text', ' over '],
                ['count', 'leads_with_consent'], ['text', ' consented leads']]},
] -%}

with

acquisition as (

    select * from {{ ref('mart_acquisition') }}

),

engagement as (

    select * from {{ ref('mart_engagement') }}

),

conversion_revenue as (

    select * from {{ ref('mart_conversion_revenue') }}

),

ops_health as (

    select * from {{ ref('mart_ops_health') }}

),

roi_monthly as (

    select * from {{ ref('mart_roi_monthly') }}

),

highlights as (

    select * from {{ ref('int_kpi_period_highlights') }}

),

acquisition_values as (

    select * from acquisition

),

engagement_values as (

    select
        engagement.*,
        highlights.top_dropoff_flow_name,
        highlights.top_dropoff_step,
        highlights.top_dropoff_sessions,
        highlights.top_dropoff_sessions_reached

    from engagement
    left join highlights
        on
            engagement.period_grain = highlights.period_grain
            and engagement.period_start = highlights.period_start

),

conversion_values as (

    select
        conversion_revenue.*,
        highlights.best_flow_name,
        highlights.best_flow_attributed_revenue

    from conversion_revenue
    left join highlights
        on
            conversion_revenue.period_grain = highlights.period_grain
            and conversion_revenue.period_start = highlights.period_start

),

ops_health_values as (

    select * from ops_health

),

roi_values as (

    select
        'month' as period_grain,
        *

    from roi_monthly

),

unpivoted as (

    {% for kpi in kpis %}
        select
            period_grain,
            period_start,
            previous_period_start,
            '{{ kpi.tile }}' as tile,
            '{{ kpi.kpi }}' as kpi,
            {{ loop.index }} as kpi_order,
            '{{ kpi.label }}' as kpi_label,
            '{{ kpi.unit }}' as unit,
            cast({{ kpi.kpi }} as {{ type_money() }}) as value,
            cast({{ kpi.get('numerator') or 'null' }} as {{ type_money() }}) as numerator,
            cast({{ kpi.get('denominator') or 'null' }} as {{ type_money() }}) as denominator,
            cast(previous_{{ kpi.kpi }} as {{ type_money() }}) as previous_value,
            {{ format_kpi_value(kpi.kpi, kpi.unit) }} as value_text,
            {{ format_kpi_value('previous_' ~ kpi.kpi, kpi.unit) }} as previous_value_text,
            {{ why_text(kpi.detail) }} as detail,
            '{{ kpi.empty }}' as empty_reason
        from {{ kpi.source }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

changes_computed as (

    select
        *,
        value - previous_value as change,
        case
            when previous_value <> 0
                then cast(value - previous_value as {{ type_double() }}) / cast(previous_value as {{ type_double() }})
        end as change_pct

    from unpivoted

),

described as (

    select
        *,
        case
            when unit = 'rate'
                then ' (' || {{ format_signed('100.0 * change', 1) }} || ' pts)'
            when change_pct is not null
                then ' (' || {{ format_signed('100.0 * change_pct', 0) }} || '%)'
            else ''
        end as change_text

    from changes_computed

),

final as (

    select
        -- keys
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(tile as {{ dbt.type_string() }}) as tile,
        cast(kpi as {{ dbt.type_string() }}) as kpi,

        -- kpi
        cast(kpi_label as {{ dbt.type_string() }}) as kpi_label,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(kpi_order as {{ dbt.type_int() }}) as kpi_order,

        -- values
        cast(value as {{ type_money() }}) as value,
        cast(numerator as {{ type_money() }}) as numerator,
        cast(denominator as {{ type_money() }}) as denominator,
        cast(previous_value as {{ type_money() }}) as previous_value,
        cast(change as {{ type_money() }}) as change,
        cast(change_pct as {{ type_double() }}) as change_pct,

        -- sentence
        cast(
            case
                when value is null
                    then kpi_label || ' is empty this ' || period_grain || ': ' || empty_reason || '.'
                when previous_value is null
                    then
                        kpi_label || ' was ' || value_text || ' (no value for the previous ' || period_grain
                        || '): ' || detail || '.'
                when value > previous_value
                    then
                        kpi_label || ' rose from ' || previous_value_text || ' to ' || value_text || change_text
                        || ': ' || detail || '.'
                when value < previous_value
                    then
                        kpi_label || ' fell from ' || previous_value_text || ' to ' || value_text || change_text
                        || ': ' || detail || '.'
                else kpi_label || ' held at ' || value_text || ': ' || detail || '.'
            end as {{ dbt.type_string() }}
        ) as why,

        -- period
        cast(previous_period_start as date) as previous_period_start

    from described

)

select * from final
