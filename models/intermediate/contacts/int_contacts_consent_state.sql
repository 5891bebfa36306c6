{#-
    Consent and opt-out of a contact: one row per person with a consent or
    an opt-out on record. The latest consent wins: a CRM consent_at or a
    consented lead_submitted event (source dm_flow); ties go to the CRM,
    then the larger record id. The opt-out is the latest of the CRM
    opt-outs (at opted_out_at, else at the record's updated_at, flagged
    has_opt_out_without_time) and the DM opt_out events. Whether the person
    is opted out (the opt-out strictly later than the consent) is decided in
    dim_contacts, which also knows the first CRM record.
-#}

with

crm_records as (

    select * from {{ ref('int_crm_contacts_identified') }}

),

-- the few events read one by one: consented leads and opt-outs
consent_events as (

    select * from {{ ref('int_dm_events_identified') }}
    where
        (event_type = 'lead_submitted' and has_consent)
        or event_type = 'opt_out'

),

consents as (

    select
        person_id,
        consent_at,
        consent_source,
        'crm_contact' as consent_record_type,
        contact_id as consent_record_id,
        1 as source_priority
    from crm_records
    where consent_at is not null
    union all
    select
        person_id,
        occurred_at as consent_at,
        'dm_flow' as consent_source,
        'dm_event' as consent_record_type,
        event_id as consent_record_id,
        2 as source_priority
    from consent_events
    where event_type = 'lead_submitted'

),

consents_ranked as (

    select
        *,
        row_number() over (
            partition by person_id
            order by consent_at desc, source_priority asc, consent_record_id desc
        ) as recency_rank

    from consents

),

latest_consents as (

    select * from consents_ranked
    where recency_rank = 1

),

opt_outs as (

    select
        person_id,
        coalesce(opted_out_at, updated_at) as opted_out_at,
        opted_out_at is null as is_time_unknown
    from crm_records
    where is_opted_out
    union all
    select
        person_id,
        occurred_at as opted_out_at,
        false as is_time_unknown
    from consent_events
    where event_type = 'opt_out'

),

latest_opt_outs as (

    select
        person_id,
        max(opted_out_at) as opted_out_at,
        max(case when is_time_unknown then 1 else 0 end) = 1 as has_opt_out_without_time

    from opt_outs
    group by person_id

),

persons as (

    select person_id from latest_consents
    union
    select person_id from latest_opt_outs

),

final as (

    select
        -- ids
        persons.person_id,
        latest_consents.consent_record_id,

        -- consent
        latest_consents.consent_source,
        latest_consents.consent_record_type,

        -- booleans
        coalesce(latest_opt_outs.has_opt_out_without_time, false) as has_opt_out_without_time,

        -- timestamps
        latest_consents.consent_at,
        latest_opt_outs.opted_out_at

    from persons
    left join latest_consents
        on persons.person_id = latest_consents.person_id
    left join latest_opt_outs
        on persons.person_id = latest_opt_outs.person_id

)

select * from final
