{#-
    Every lead_submitted event whose customer did not accept the consent
    notice (consent false, or not given at all). Such a lead links identity
    (consent governs marketing, not matching) but is never counted as a lead:
    lead_capture_rate and cost_per_lead count only sessions with a consented
    lead (int_dm_sessions.has_lead_with_consent). One row per lead event.
-#}

with

events as (

    select * from {{ ref('int_dm_events_sessionized') }}

),

-- sessions with the person of their thread
sessions as (

    select * from {{ ref('int_dm_sessions_identified') }}

),

unconsented_leads as (

    select * from events
    where
        event_type = 'lead_submitted'
        and not coalesce(has_consent, false)

),

final as (

    select
        -- ids
        unconsented_leads.event_id,
        unconsented_leads.session_id,
        unconsented_leads.thread_id,
        sessions.person_id,

        -- lead
        sessions.session_type,
        sessions.flow_name,
        unconsented_leads.flow_step,
        case
            when unconsented_leads.has_consent is null then 'not_given'
            else 'declined'
        end as consent_state,
        unconsented_leads.consent_text_version,

        -- booleans
        unconsented_leads.email is not null as has_email,
        unconsented_leads.phone is not null as has_phone,
        coalesce(sessions.has_lead_with_consent, false) as is_session_counted_by_another_lead,

        -- timestamps, UTC
        unconsented_leads.occurred_at

    from unconsented_leads
    left join sessions
        on unconsented_leads.session_id = sessions.session_id

)

select * from final
