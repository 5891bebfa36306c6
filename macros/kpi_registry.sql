{#-
    The KPI registry: every KPI of the scorecard, defined once, in display
    order (tile by tile, as in the spec's tables). Each entry:
      kpi, tile           the KPI's column in its tile mart and its tile
      type                bigint (counts), money (sums), double (rates,
                          ratios, medians): the column type in the marts
      higher_is_better    the direction a manager reads as good
      noise_test          how its change is tested against noise
                          (int_kpi_noise_tests): proportion (x of n,
                          Wilson interval, two-proportion test), count
                          (Poisson), rate_per_exposure (events per
                          message, Poisson rates) or none (not tested:
                          money, medians, ratios)
      unit, label         how the scorecard shows it (format_kpi_value)
      numerator,          the columns of a rate or ratio (none for counts,
      denominator         sums and medians)
      empty               why the KPI is empty when its value is null
      detail              the parts of its `why` sentence (why_text)
    Its doc block is doc('kpi_' ~ kpi) (models/marts/kpis/_kpis__docs.md).
    Read by int_kpi_period_values (previous-period values), the four tile
    marts (tile_mart_select) and kpi_scorecard; the tests keep their own
    list on purpose (a test generated from this registry could not catch a
    KPI missing from it). Documented in macros/_kpi__macros.yml.
-#}
{% macro kpi_registry() -%}
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
        {'tile': 'acquisition', 'kpi': 'sessions_started', 'type': 'bigint', 'higher_is_better': true, 'noise_test': 'count', 'unit': 'count',
         'label': 'Sessions started', 'empty': '',
         'detail': [['count', 'comment_to_dm_starts'], ['text', ' from comment-to-DM, '],
                    ['count', 'story_reply_starts'], ['text', ' story replies, '],
                    ['count', 'keyword_starts'], ['text', ' keywords, '],
                    ['count', 'ad_starts'], ['text', ' ads and '],
                    ['count', 'direct_starts'], ['text', ' direct messages']]},
        {'tile': 'acquisition', 'kpi': 'comment_to_dm_starts', 'type': 'bigint', 'higher_is_better': true, 'noise_test': 'count', 'unit': 'count',
         'label': 'Comment-to-DM starts', 'empty': '',
         'detail': [['count', 'comment_to_dm_starts'], ['text', ' of '], ['count', 'sessions_started'],
                    ['text', ' sessions started from a comment']]},
        {'tile': 'acquisition', 'kpi': 'story_reply_starts', 'type': 'bigint', 'higher_is_better': true, 'noise_test': 'count', 'unit': 'count',
         'label': 'Story-reply starts', 'empty': '',
         'detail': [['count', 'story_reply_starts'], ['text', ' of '], ['count', 'sessions_started'],
                    ['text', ' sessions started from a story reply']]},
        {'tile': 'acquisition', 'kpi': 'keyword_starts', 'type': 'bigint', 'higher_is_better': true, 'noise_test': 'count', 'unit': 'count',
         'label': 'Keyword starts', 'empty': '',
         'detail': [['count', 'keyword_starts'], ['text', ' of '], ['count', 'sessions_started'],
                    ['text', ' sessions started from a keyword']]},
        {'tile': 'acquisition', 'kpi': 'ad_starts', 'type': 'bigint', 'higher_is_better': true, 'noise_test': 'count', 'unit': 'count',
         'label': 'Ad starts', 'empty': '',
         'detail': [['count', 'ad_starts'], ['text', ' of '], ['count', 'sessions_started'],
                    ['text', ' sessions started from an ad']]},
        {'tile': 'acquisition', 'kpi': 'direct_starts', 'type': 'bigint', 'higher_is_better': true, 'noise_test': 'count', 'unit': 'count',
         'label': 'Direct starts', 'empty': '',
         'detail': [['count', 'direct_starts'], ['text', ' of '], ['count', 'sessions_started'],
                    ['text', ' sessions started from a direct message']]},
        {'tile': 'engagement', 'kpi': 'first_message_open_rate', 'type': 'double', 'higher_is_better': true, 'noise_test': 'proportion', 'unit': 'rate',
         'label': 'First-message open rate', 'empty': no_outbound,
         'numerator': 'sessions_with_first_message_read', 'denominator': 'sessions_with_outbound_message',
         'detail': [['count', 'sessions_with_first_message_read'], ['text', ' of '],
                    ['count', 'sessions_with_outbound_message'],
                    ['text', ' sessions with an outbound message had their first message read']]},
        {'tile': 'engagement', 'kpi': 'button_ctr', 'type': 'double', 'higher_is_better': true, 'noise_test': 'rate_per_exposure', 'unit': 'rate',
         'label': 'Button CTR', 'empty': 'no outbound message offered buttons',
         'numerator': 'button_clicks', 'denominator': 'messages_with_buttons',
         'detail': [['count', 'button_clicks'], ['text', ' button clicks on '], ['count', 'messages_with_buttons'],
                    ['text', ' messages that offered buttons']]},
        {'tile': 'engagement', 'kpi': 'link_ctr', 'type': 'double', 'higher_is_better': true, 'noise_test': 'rate_per_exposure', 'unit': 'rate',
         'label': 'Link CTR', 'empty': 'no outbound message carried a link',
         'numerator': 'link_clicks', 'denominator': 'messages_with_link',
         'detail': [['count', 'link_clicks'], ['text', ' link clicks on '], ['count', 'messages_with_link'],
                    ['text', ' messages that carried a link']]},
        {'tile': 'engagement', 'kpi': 'first_message_dropoff_rate', 'type': 'double', 'higher_is_better': false, 'noise_test': 'proportion', 'unit': 'rate',
         'label': 'First-message drop-off rate', 'empty': no_outbound,
         'numerator': 'sessions_dropped_after_first_message', 'denominator': 'sessions_with_outbound_message',
         'detail': [['count', 'sessions_dropped_after_first_message'], ['text', ' of '],
                    ['count', 'sessions_with_outbound_message'],
                    ['text', ' sessions had no reply, click or lead after the first message'],
                    ['sql', top_dropoff]]},
        {'tile': 'conversion_revenue', 'kpi': 'lead_capture_rate', 'type': 'double', 'higher_is_better': true, 'noise_test': 'proportion', 'unit': 'rate',
         'label': 'Lead capture rate', 'empty': no_sessions,
         'numerator': 'sessions_with_consented_lead', 'denominator': 'sessions_started',
         'detail': [['count', 'sessions_with_consented_lead'], ['text', ' of '], ['count', 'sessions_started'],
                    ['text', ' sessions captured a consented lead']]},
        {'tile': 'conversion_revenue', 'kpi': 'dm_to_sale_rate', 'type': 'double', 'higher_is_better': true, 'noise_test': 'proportion', 'unit': 'rate',
         'label': 'DM-to-sale rate', 'empty': no_sessions,
         'numerator': 'sold_sessions', 'denominator': 'sessions_started',
         'detail': [['count', 'sold_sessions'], ['text', ' of '], ['count', 'sessions_started'],
                    ['text', ' sessions were given an attributed order'], ['sql', best_flow]]},
        {'tile': 'conversion_revenue', 'kpi': 'attributed_orders', 'type': 'bigint', 'higher_is_better': true, 'noise_test': 'count', 'unit': 'count',
         'label': 'Attributed orders', 'empty': '',
         'detail': [['count', 'attributed_orders_matched'], ['text', ' matched to a session and '],
                    ['count', 'attributed_orders_unmatched'], ['text', ' utm_unmatched, worth '],
                    ['money', 'attributed_revenue'], ['sql', best_flow]]},
        {'tile': 'conversion_revenue', 'kpi': 'attributed_revenue', 'type': 'money', 'higher_is_better': true, 'noise_test': none, 'unit': 'money',
         'label': 'Attributed revenue', 'empty': '',
         'detail': [['money', 'attributed_revenue_matched'], ['text', ' matched to a session and '],
                    ['money', 'attributed_revenue_unmatched'], ['text', ' utm_unmatched, over '],
                    ['count', 'attributed_orders'], ['text', ' orders'], ['sql', best_flow]]},
        {'tile': 'conversion_revenue', 'kpi': 'aov', 'type': 'double', 'higher_is_better': true, 'noise_test': none, 'unit': 'money',
         'label': 'AOV', 'empty': 'no DM-attributed order was placed',
         'numerator': 'attributed_revenue', 'denominator': 'attributed_orders',
         'detail': [['text', 'attributed revenue '], ['money', 'attributed_revenue'], ['text', ' over '],
                    ['count', 'attributed_orders'], ['text', ' orders'], ['sql', best_flow]]},
        {'tile': 'conversion_revenue', 'kpi': 'revenue_per_chat', 'type': 'double', 'higher_is_better': true, 'noise_test': none, 'unit': 'money',
         'label': 'Revenue per chat', 'empty': no_sessions,
         'numerator': 'attributed_revenue', 'denominator': 'sessions_started',
         'detail': [['text', 'attributed revenue '], ['money', 'attributed_revenue'], ['text', ' over '],
                    ['count', 'sessions_started'], ['text', ' sessions'], ['sql', best_flow]]},
        {'tile': 'conversion_revenue', 'kpi': 'assisted_revenue', 'type': 'money', 'higher_is_better': true, 'noise_test': none, 'unit': 'money',
         'label': 'Assisted revenue', 'empty': '',
         'detail': [['count', 'assisted_orders'],
                    ['text', ' orders without DM UTMs followed a link click in a chat (not in attributed revenue)']]},
        {'tile': 'conversion_revenue', 'kpi': 'lead_to_customer_rate', 'type': 'double', 'higher_is_better': true, 'noise_test': 'proportion', 'unit': 'rate',
         'label': 'Lead-to-customer rate', 'empty': no_leads,
         'numerator': 'converted_leads', 'denominator': 'sessions_with_consented_lead',
         'detail': [['count', 'converted_leads'], ['text', ' of '], ['count', 'sessions_with_consented_lead'],
                    ['text', ' consented leads placed an order within ' ~ lead_window_days ~ ' days'],
                    ['sql', open_windows]]},
        {'tile': 'conversion_revenue', 'kpi': 'revenue_per_lead', 'type': 'double', 'higher_is_better': true, 'noise_test': none, 'unit': 'money',
         'label': 'Revenue per lead', 'empty': no_leads,
         'numerator': 'lead_revenue', 'denominator': 'sessions_with_consented_lead',
         'detail': [['money', 'lead_revenue'], ['text', ' ordered within ' ~ lead_window_days ~ ' days by '],
                    ['count', 'sessions_with_consented_lead'],
                    ['text', ' consented leads (orders of any source, not attributed revenue)'],
                    ['sql', open_windows]]},
        {'tile': 'conversion_revenue', 'kpi': 'median_days_to_first_order', 'type': 'double', 'higher_is_better': false, 'noise_test': none,
         'unit': 'days', 'label': 'Median days to first order', 'empty': 'no consented lead placed an order',
         'detail': [['text', 'median over '], ['count', 'converted_leads'],
                    ['text', ' leads that ordered within ' ~ lead_window_days ~ ' days'], ['sql', open_windows]]},
        {'tile': 'ops_health', 'kpi': 'median_first_response_seconds', 'type': 'double', 'higher_is_better': false, 'noise_test': none,
         'unit': 'seconds', 'label': 'Median first response', 'empty': no_outbound,
         'detail': [['text', 'median over '], ['count', 'sessions_with_first_response'],
                    ['text', ' sessions with an outbound message']]},
        {'tile': 'ops_health', 'kpi': 'frt_under_60s_rate', 'type': 'double', 'higher_is_better': true, 'noise_test': 'proportion', 'unit': 'rate',
         'label': 'First responses within 60 s', 'empty': no_outbound,
         'numerator': 'sessions_answered_within_60s', 'denominator': 'sessions_with_outbound_message',
         'detail': [['count', 'sessions_answered_within_60s'], ['text', ' of '],
                    ['count', 'sessions_with_outbound_message'], ['text', ' sessions were answered within 60 s']]},
        {'tile': 'ops_health', 'kpi': 'self_serve_rate', 'type': 'double', 'higher_is_better': true, 'noise_test': 'proportion', 'unit': 'rate',
         'label': 'Self-serve rate', 'empty': no_sessions,
         'numerator': 'self_served_sessions', 'denominator': 'sessions_started',
         'detail': [['count', 'self_served_sessions'], ['text', ' of '], ['count', 'sessions_started'],
                    ['text', ' sessions were resolved by the bot with no handoff']]},
        {'tile': 'ops_health', 'kpi': 'handoff_rate', 'type': 'double', 'higher_is_better': false, 'noise_test': 'proportion', 'unit': 'rate',
         'label': 'Handoff rate', 'empty': no_sessions,
         'numerator': 'handed_off_sessions', 'denominator': 'sessions_started',
         'detail': [['count', 'handed_off_sessions'], ['text', ' of '], ['count', 'sessions_started'],
                    ['text', ' sessions were handed off to an agent']]},
        {'tile': 'ops_health', 'kpi': 'median_handoff_response_seconds', 'type': 'double', 'higher_is_better': false, 'noise_test': none,
         'unit': 'seconds', 'label': 'Median handoff response', 'empty': 'no handed-off session got an agent answer',
         'detail': [['text', 'median over '], ['count', 'handoffs_with_agent_response'],
                    ['text', ' handed-off sessions an agent answered']]},
        {'tile': 'ops_health', 'kpi': 'median_resolution_minutes', 'type': 'double', 'higher_is_better': false, 'noise_test': none,
         'unit': 'minutes', 'label': 'Median resolution time', 'empty': 'no automated session was resolved',
         'detail': [['text', 'median over '], ['count', 'resolved_sessions'], ['text', ' resolved sessions']]},
        {'tile': 'ops_health', 'kpi': 'opt_out_rate', 'type': 'double', 'higher_is_better': false, 'noise_test': 'proportion', 'unit': 'rate',
         'label': 'Opt-out rate', 'empty': no_sessions,
         'numerator': 'opted_out_sessions', 'denominator': 'sessions_started',
         'detail': [['count', 'opted_out_sessions'], ['text', ' of '], ['count', 'sessions_started'],
                    ['text', ' sessions had an opt-out']]},
        {'tile': 'roi', 'kpi': 'automation_cost', 'type': 'money', 'higher_is_better': false, 'noise_test': none, 'unit': 'money',
         'label': 'Automation cost', 'empty': '',
         'detail': [['text', 'tool subscription '], ['money', 'tool_subscription_cost'], ['text', ', setup '],
                    ['money', 'setup_cost'], ['text', ', agency '], ['money', 'agency_cost'], ['text', ', ads '],
                    ['money', 'ads_cost'], ['text', ', other '], ['money', 'other_cost'], ['sql', fx_rejects]]},
        {'tile': 'roi', 'kpi': 'gains', 'type': 'money', 'higher_is_better': true, 'noise_test': none, 'unit': 'money',
         'label': 'Gains', 'empty': '',
         'detail': [['money', 'revenue_gain'], ['text', ' of attributed revenue at a '],
                    ['rate', 'gross_margin_rate'], ['text', ' margin plus '], ['money', 'time_saved_value'],
                    ['text', ' of agent time saved by '], ['count', 'self_served_sessions'],
                    ['text', ' self-served sessions']]},
        {'tile': 'roi', 'kpi': 'roi', 'type': 'double', 'higher_is_better': true, 'noise_test': none, 'unit': 'rate',
         'label': 'ROI', 'empty': 'no automation cost was booked',
         'numerator': 'net_gain', 'denominator': 'automation_cost',
         'detail': [['text', 'gains '], ['money', 'gains'], ['text', ' against automation cost '],
                    ['money', 'automation_cost']]},
        {'tile': 'roi', 'kpi': 'cost_per_lead', 'type': 'double', 'higher_is_better': false, 'noise_test': none, 'unit': 'money',
         'label': 'Cost per lead', 'empty': 'no consented lead was captured',
         'numerator': 'automation_cost', 'denominator': 'leads_with_consent',
         'detail': [['text', 'automation cost '], ['money', 'automation_cost'], ['text', ' over '],
                    ['count', 'leads_with_consent'], ['text', ' consented leads']]},
    ] -%}
    {{ return(kpis) }}
{%- endmacro %}


{# The registry entries of one tile (a Jinja string), in display order. #}
{% macro tile_kpis(tile) -%}
    {{ return(kpi_registry() | selectattr('tile', 'equalto', tile) | list) }}
{%- endmacro %}


{# The SQL type of a registry type name: bigint, money or double. #}
{% macro kpi_sql_type(type_name) -%}
    {%- if type_name == 'bigint' -%}
        {{ dbt.type_bigint() }}
    {%- elif type_name == 'money' -%}
        {{ type_money() }}
    {%- elif type_name == 'double' -%}
        {{ type_double() }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("kpi_sql_type: unknown type " ~ type_name) }}
    {%- endif -%}
{%- endmacro %}


{#
    The select of a tile mart from `source` (the model's import CTE of
    int_kpi_period_values): the period, each
    KPI of the tile (registry order, typed) with its previous-period value,
    then the parts (numerators, denominators, the counts behind medians
    and the why sentences), given as [column, type name] pairs, then
    previous_period_start.
#}
{% macro tile_mart_select(tile, parts, source='kpi_values') -%}
    select
        -- period
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,

        -- kpis, each with its previous-period value
        {% for entry in tile_kpis(tile) %}
            cast({{ entry.kpi }} as {{ kpi_sql_type(entry.type) }}) as {{ entry.kpi }},
            cast(previous_{{ entry.kpi }} as {{ kpi_sql_type(entry.type) }}) as previous_{{ entry.kpi }},
        {% endfor %}

        -- numerators, denominators and their parts
        {% for column, type_name in parts %}
            cast({{ column }} as {{ kpi_sql_type(type_name) }}) as {{ column }},
        {% endfor %}

        -- the period the previous_* values come from
        cast(previous_period_start as date) as previous_period_start

    from {{ source }}
{%- endmacro %}
