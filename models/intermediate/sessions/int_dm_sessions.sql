{#-
    One row per session (automated and organic) with every per-session
    measure of the KPIs. "After the first outbound message" and "after the
    first handoff" follow the event order of the session (event_number, i.e.
    occurred_at then event_id); a read receipt counts from the time of the
    first outbound message on (a receipt covers the messages up to its
    occurred_at). Positions of the key events come from a narrow aggregate
    per session joined back to its events, values from conditional
    aggregation: no event-to-event join.
    Incremental on DuckDB (macros/incremental.sql): a run rebuilds the
    sessions of every thread with an event to rebuild; last_received_at
    (the latest receive time of a session's events) is what the next run's
    cutoff reads.
-#}
{%- set cutoff = incremental_rebuild('thread_id', 'last_received_at') -%}

with

sessionized_events as {{ rebuild_cte(cutoff) }} (

    select * from {{ ref('int_dm_events_sessionized') }}
    where {{ in_threads_to_rebuild(cutoff) }}

),

events_classified as {{ rebuild_cte(cutoff) }} (

    select
        *,
        event_type = 'message_out' as is_outbound_message,
        event_type in ('message_in', 'button_click', 'link_click', 'lead_submitted') as is_customer_activity,
        (
            event_type = 'lead_submitted'
            and coalesce(has_consent, false)
            and (email is not null or phone is not null)
        ) as is_consented_lead

    from sessionized_events

),

-- positions of the key events of each session: one narrow aggregate,
-- joined back to the events (a window over the session would carry every
-- event column through its sort)
key_event_positions as (

    select
        session_id,
        min(case when is_outbound_message then event_number end) as first_outbound_event_number,
        min(case when is_outbound_message then occurred_at end) as first_outbound_occurred_at,
        min(case when event_type = 'handoff' then event_number end) as first_handoff_event_number,
        min(case when event_type = 'resolved' then event_number end) as first_resolved_event_number,
        min(case when is_consented_lead then event_number end) as first_consented_lead_event_number,
        max(case when flow_step is not null then event_number end) as last_step_event_number

    from events_classified
    group by session_id

),

key_events_positioned as (

    select
        events_classified.*,
        key_event_positions.first_outbound_event_number,
        key_event_positions.first_outbound_occurred_at,
        key_event_positions.first_handoff_event_number,
        key_event_positions.first_resolved_event_number,
        key_event_positions.first_consented_lead_event_number,
        key_event_positions.last_step_event_number

    from events_classified
    inner join key_event_positions
        on events_classified.session_id = key_event_positions.session_id

),

aggregated as (

    select
        session_id,
        thread_id,
        session_number,
        session_type,
        session_started_at as started_at,
        max(ig_user_id) as ig_user_id,
        max(case when event_number = 1 then session_start_reason end) as start_reason,

        -- the trigger (automated sessions only: a trigger always starts its session)
        max(case when event_type = 'trigger' then event_id end) as trigger_event_id,
        max(case when event_type = 'trigger' then flow_name end) as flow_name,
        max(case when event_type = 'trigger' then entry_point end) as entry_point,
        max(case when event_type = 'trigger' then source_media_id end) as source_media_id,

        -- event counts
        count(*) as events,
        sum(case when actor = 'contact' then 1 else 0 end) as contact_events,
        sum(case when event_type = 'message_in' then 1 else 0 end) as inbound_messages,
        sum(case when is_outbound_message then 1 else 0 end) as outbound_messages,
        sum(case when is_outbound_message and actor = 'bot' then 1 else 0 end) as bot_messages,
        sum(case when is_outbound_message and actor = 'agent' then 1 else 0 end) as agent_messages,
        sum(case when event_type = 'message_read' then 1 else 0 end) as read_receipts,
        sum(case when is_outbound_message and has_buttons then 1 else 0 end) as messages_with_buttons,
        sum(case when event_type = 'button_click' then 1 else 0 end) as button_clicks,
        sum(case when is_outbound_message and has_link then 1 else 0 end) as messages_with_link,
        sum(case when event_type = 'link_click' then 1 else 0 end) as link_clicks,
        sum(case when event_type = 'lead_submitted' then 1 else 0 end) as lead_submissions,
        sum(case when event_type = 'handoff' then 1 else 0 end) as handoffs,

        -- engagement
        min(case when is_outbound_message then occurred_at end) as first_outbound_at,
        max(
            case
                when event_type = 'message_read' and occurred_at >= first_outbound_occurred_at then 1
                else 0
            end
        ) = 1 as is_first_message_read,
        max(
            case
                when is_customer_activity and event_number > first_outbound_event_number then 1
                else 0
            end
        ) = 1 as has_customer_activity_after_first_message,

        -- steps
        count(distinct flow_step) as steps_reached,
        max(case when event_number = last_step_event_number then flow_step end) as last_step,

        -- leads
        max(case when is_consented_lead then 1 else 0 end) = 1 as has_lead_with_consent,
        max(
            case
                when event_type = 'lead_submitted' and not coalesce(has_consent, false) then 1
                else 0
            end
        ) = 1 as has_lead_without_consent,
        max(case when event_number = first_consented_lead_event_number then email end) as lead_email,
        max(case when event_number = first_consented_lead_event_number then phone end) as lead_phone,
        max(
            case when event_number = first_consented_lead_event_number then consent_text_version end
        ) as lead_consent_text_version,
        min(case when event_type = 'lead_submitted' then occurred_at end) as first_lead_at,
        min(case when is_consented_lead then occurred_at end) as consented_lead_at,

        -- handoff
        min(case when event_type = 'handoff' then occurred_at end) as handoff_at,
        min(
            case
                when is_outbound_message and actor = 'agent' and event_number > first_handoff_event_number
                    then occurred_at
            end
        ) as first_agent_response_at,

        -- resolution
        min(case when event_type = 'resolved' then occurred_at end) as resolved_at,
        max(case when event_number = first_resolved_event_number then actor end) as resolved_by,

        -- opt-out
        min(case when event_type = 'opt_out' then occurred_at end) as opted_out_at,

        max(occurred_at) as ended_at,
        max(received_at) as last_received_at

    from key_events_positioned
    group by
        session_id,
        thread_id,
        session_number,
        session_type,
        session_started_at

),

measures_computed as (

    select
        *,
        case
            when session_type = 'automated'
                then {{ timestamp_diff_seconds('started_at', 'first_outbound_at') }}
        end as first_response_seconds,
        {{ timestamp_diff_seconds('handoff_at', 'first_agent_response_at') }} as handoff_response_seconds,
        {{ timestamp_diff_seconds('started_at', 'resolved_at') }} / 60.0 as resolution_minutes,
        {{ timestamp_diff_seconds('started_at', 'ended_at') }} as duration_seconds

    from aggregated

),

final as (

    select
        -- ids
        session_id,
        thread_id,
        ig_user_id,
        trigger_event_id,
        source_media_id,

        -- session
        session_number,
        session_type,
        start_reason,
        flow_name,
        entry_point,

        -- event counts
        events,
        contact_events,
        inbound_messages,
        outbound_messages,
        bot_messages,
        agent_messages,
        read_receipts,
        messages_with_buttons,
        button_clicks,
        messages_with_link,
        link_clicks,
        lead_submissions,
        handoffs,

        -- steps
        steps_reached,
        last_step,

        -- leads
        lead_email,
        lead_phone,
        lead_consent_text_version,

        -- resolution
        resolved_by,

        -- durations
        duration_seconds,
        first_response_seconds,
        handoff_response_seconds,
        resolution_minutes,

        -- booleans
        coalesce(first_response_seconds <= 60, false) as is_answered_within_60s,
        is_first_message_read,
        has_customer_activity_after_first_message,
        has_lead_with_consent,
        has_lead_without_consent,
        handoff_at is not null as has_handoff,
        resolved_at is not null as is_resolved,
        coalesce(resolved_by = 'bot' and handoff_at is null, false) as is_self_served,
        opted_out_at is not null as has_opt_out,

        -- dates and timestamps
        cast(started_at as date) as started_date,
        started_at,
        ended_at,
        first_outbound_at,
        first_lead_at,
        consented_lead_at,
        handoff_at,
        first_agent_response_at,
        resolved_at,
        opted_out_at,
        last_received_at

    from measures_computed

)

select * from final
