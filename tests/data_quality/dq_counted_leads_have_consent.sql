{#-
    Compliance (error): a lead is counted only with its consent. Every
    session flagged has_lead_with_consent, where the KPIs count leads
    (int_dm_sessions: lead_capture_rate, cost_per_lead) and where consumers
    read them (fct_dm_sessions), must hold at its consented_lead_at a
    lead_submitted event whose customer accepted the consent notice and
    that carries an email or a phone. Fails with each counted session
    without that evidence (a lead counted without consent, or without its
    consent time), naming the model that counts it.
-#}
{{ config(severity='error', tags=['data_quality']) }}

with

kpi_sessions as (

    select * from {{ ref('int_dm_sessions') }}

),

mart_sessions as (

    select * from {{ ref('fct_dm_sessions') }}

),

events as (

    select * from {{ ref('int_dm_events_sessionized') }}

),

counted_leads as (

    select
        'int_dm_sessions' as counting_model,
        session_id,
        consented_lead_at
    from kpi_sessions
    where has_lead_with_consent
    union all
    select
        'fct_dm_sessions' as counting_model,
        session_id,
        consented_lead_at
    from mart_sessions
    where has_lead_with_consent

),

-- The consent is read again from the raw text of the kept delivery (same
-- event_id and received_at), not from the has_consent flag the counting
-- models use, so a wrong consent parse cannot pass both.
raw_consents as (

    select
        event_id,
        received_at,
        lower(trim(consent_raw)) as consent_text

    from {{ ref('base_dm_platform__events') }}
    where reject_reason is null

),

consented_leads as (

    select distinct
        events.session_id,
        events.occurred_at

    from events
    inner join raw_consents
        on
            events.event_id = raw_consents.event_id
            and events.received_at = raw_consents.received_at
    where
        events.event_type = 'lead_submitted'
        and raw_consents.consent_text in ('true', 't', '1', 'yes', 'y')
        and (events.email is not null or events.phone is not null)

),

final as (

    select
        counted_leads.counting_model,
        counted_leads.session_id,
        counted_leads.consented_lead_at,
        case
            when counted_leads.consented_lead_at is null then 'counted lead without a consent time'
            else 'counted lead without a consented lead_submitted at its consent time'
        end as failure_reason

    from counted_leads
    left join consented_leads
        on
            counted_leads.session_id = consented_leads.session_id
            and counted_leads.consented_lead_at = consented_leads.occurred_at
    where consented_leads.session_id is null

)

select * from final
