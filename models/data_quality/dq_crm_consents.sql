{#-
    Consent and opt-out facts of every valid CRM record, with what they are
    checked against: the time the record was last written (a consent later
    than that had not happened yet: it is in the future) and the person's
    first record (the earliest CRM created_at of the person; a consent
    before it predates anything we know of the person).
-#}

with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

person_map as (

    select * from {{ ref('int_identity_person_map') }}
    where node_type = 'crm_contact'

),

contacts_with_person as (

    select
        contacts.*,
        person_map.person_id

    from contacts
    left join person_map
        on contacts.contact_id = person_map.node_id

),

first_records_found as (

    select
        *,
        min(created_at) over (
            partition by coalesce(person_id, 'crm_contact:' || contact_id)
        ) as person_first_record_at,
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }}) as checked_at

    from contacts_with_person

),

final as (

    select
        -- ids
        contact_id,
        person_id,

        -- compliance
        consent_source,
        is_opted_out,
        consent_at is not null as has_consent_at,

        -- timestamps, UTC
        created_at,
        updated_at,
        person_first_record_at,
        case
            when updated_at < checked_at then updated_at
            else checked_at
        end as latest_possible_consent_at,
        consent_at,
        opted_out_at

    from first_records_found

)

select * from final
