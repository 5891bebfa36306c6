{#-
    One row per DM session, automated and organic (filter on session_type:
    every scorecard rate counts automated sessions only), with its person,
    every per-session measure of int_dm_sessions and what attribution gave
    it (int_dm_sessions_attributed). Types are cast explicitly: the
    contract is enforced.
-#}
with

sessions as (

    select * from {{ ref('int_dm_sessions') }}

),

session_attribution as (

    select * from {{ ref('int_dm_sessions_attributed') }}

),

session_persons as (

    select
        session_id,
        person_id

    from {{ ref('int_dm_sessions_identified') }}

),

final as (

    select
        -- ids
        cast(sessions.session_id as {{ dbt.type_string() }}) as session_id,
        cast(sessions.thread_id as {{ dbt.type_string() }}) as thread_id,
        cast(session_persons.person_id as {{ dbt.type_string() }}) as person_id,
        cast(sessions.ig_user_id as {{ dbt.type_string() }}) as ig_user_id,
        cast(sessions.trigger_event_id as {{ dbt.type_string() }}) as trigger_event_id,
        cast(sessions.source_media_id as {{ dbt.type_string() }}) as source_media_id,

        -- session
        cast(sessions.session_number as {{ dbt.type_bigint() }}) as session_number,
        cast(sessions.session_type as {{ dbt.type_string() }}) as session_type,
        cast(sessions.start_reason as {{ dbt.type_string() }}) as start_reason,
        cast(sessions.flow_name as {{ dbt.type_string() }}) as flow_name,
        cast(sessions.entry_point as {{ dbt.type_string() }}) as entry_point,
        cast(sessions.last_step as {{ dbt.type_string() }}) as last_step,
        cast(sessions.resolved_by as {{ dbt.type_string() }}) as resolved_by,

        -- lead
        cast(sessions.lead_email as {{ dbt.type_string() }}) as lead_email,
        cast(sessions.lead_phone as {{ dbt.type_string() }}) as lead_phone,
        cast(sessions.lead_consent_text_version as {{ dbt.type_string() }}) as lead_consent_text_version,

        -- event counts
        cast(sessions.events as {{ dbt.type_bigint() }}) as events,
        cast(sessions.contact_events as {{ dbt.type_bigint() }}) as contact_events,
        cast(sessions.inbound_messages as {{ dbt.type_bigint() }}) as inbound_messages,
        cast(sessions.outbound_messages as {{ dbt.type_bigint() }}) as outbound_messages,
        cast(sessions.bot_messages as {{ dbt.type_bigint() }}) as bot_messages,
        cast(sessions.agent_messages as {{ dbt.type_bigint() }}) as agent_messages,
        cast(sessions.read_receipts as {{ dbt.type_bigint() }}) as read_receipts,
        cast(sessions.messages_with_buttons as {{ dbt.type_bigint() }}) as messages_with_buttons,
        cast(sessions.button_clicks as {{ dbt.type_bigint() }}) as button_clicks,
        cast(sessions.messages_with_link as {{ dbt.type_bigint() }}) as messages_with_link,
        cast(sessions.link_clicks as {{ dbt.type_bigint() }}) as link_clicks,
        cast(sessions.lead_submissions as {{ dbt.type_bigint() }}) as lead_submissions,
        cast(sessions.handoffs as {{ dbt.type_bigint() }}) as handoffs,
        cast(sessions.steps_reached as {{ dbt.type_bigint() }}) as steps_reached,

        -- durations
        cast(sessions.duration_seconds as {{ type_double() }}) as duration_seconds,
        cast(sessions.first_response_seconds as {{ type_double() }}) as first_response_seconds,
        cast(sessions.handoff_response_seconds as {{ type_double() }}) as handoff_response_seconds,
        cast(sessions.resolution_minutes as {{ type_double() }}) as resolution_minutes,

        -- attribution (last touch, first touch, linear), reporting currency
        cast(session_attribution.attributed_orders as {{ dbt.type_bigint() }}) as attributed_orders,
        cast(session_attribution.attributed_revenue as {{ type_money() }}) as attributed_revenue,
        cast(session_attribution.first_touch_revenue as {{ type_money() }}) as first_touch_revenue,
        cast(session_attribution.linear_revenue as {{ type_money() }}) as linear_revenue,
        cast(session_attribution.touched_orders as {{ dbt.type_bigint() }}) as touched_orders,

        -- booleans
        cast(session_attribution.is_sold as {{ dbt.type_boolean() }}) as is_sold,
        cast(sessions.is_answered_within_60s as {{ dbt.type_boolean() }}) as is_answered_within_60s,
        cast(sessions.is_first_message_read as {{ dbt.type_boolean() }}) as is_first_message_read,
        cast(sessions.has_customer_activity_after_first_message as {{ dbt.type_boolean() }})
            as has_customer_activity_after_first_message,
        cast(sessions.has_lead_with_consent as {{ dbt.type_boolean() }}) as has_lead_with_consent,
        cast(sessions.has_lead_without_consent as {{ dbt.type_boolean() }}) as has_lead_without_consent,
        cast(sessions.has_handoff as {{ dbt.type_boolean() }}) as has_handoff,
        cast(sessions.is_resolved as {{ dbt.type_boolean() }}) as is_resolved,
        cast(sessions.is_self_served as {{ dbt.type_boolean() }}) as is_self_served,
        cast(sessions.has_opt_out as {{ dbt.type_boolean() }}) as has_opt_out,

        -- dates and timestamps (UTC)
        cast(sessions.started_date as date) as started_date,
        cast(sessions.started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(sessions.ended_at as {{ dbt.type_timestamp() }}) as ended_at,
        cast(sessions.first_outbound_at as {{ dbt.type_timestamp() }}) as first_outbound_at,
        cast(sessions.first_lead_at as {{ dbt.type_timestamp() }}) as first_lead_at,
        cast(sessions.consented_lead_at as {{ dbt.type_timestamp() }}) as consented_lead_at,
        cast(sessions.handoff_at as {{ dbt.type_timestamp() }}) as handoff_at,
        cast(sessions.first_agent_response_at as {{ dbt.type_timestamp() }}) as first_agent_response_at,
        cast(sessions.resolved_at as {{ dbt.type_timestamp() }}) as resolved_at,
        cast(sessions.opted_out_at as {{ dbt.type_timestamp() }}) as opted_out_at

    from sessions
    inner join session_attribution
        on sessions.session_id = session_attribution.session_id
    left join session_persons
        on sessions.session_id = session_persons.session_id

)

select * from final
