{#-
    One row per person with at least one CRM record or DM thread
    (int_identity_person_map; a person made of orders only is not a
    contact), assembled from three models, one job each:
    - int_contacts_crm_survived: CRM attributes (the most recently updated
      non-empty value per attribute), the primary CRM record, and
      lifecycle_status (won if any record is won; else lost; else
      qualified; else new; null without a CRM record);
    - int_contacts_identifiers_survived: email, phone, handle and
      ig_user_id (the most recently seen non-hub value over CRM records,
      DM events and orders) and when the person's DM threads were active;
    - int_contacts_consent_state: the latest consent and opt-out; opted out
      when the latest opt-out is strictly later than the latest consent.
-#}
{%- set crm_attributes = contact_crm_attributes() -%}
{%- set identifier_types = contact_identifier_types() -%}

with

person_map as (

    select * from {{ ref('int_identity_person_map') }}

),

crm_survived as (

    select * from {{ ref('int_contacts_crm_survived') }}

),

identifiers_survived as (

    select * from {{ ref('int_contacts_identifiers_survived') }}

),

consent_state as (

    select * from {{ ref('int_contacts_consent_state') }}

),

-- persons of dim_contacts: at least one CRM record or DM thread
contact_persons as (

    select
        person_id,
        max(person_crm_contact_count) as crm_record_count,
        max(person_dm_thread_count) as dm_thread_count,
        max(person_order_count) as order_count

    from person_map
    group by person_id
    having max(person_crm_contact_count) + max(person_dm_thread_count) > 0

),

joined as (

    select
        contact_persons.person_id,
        crm_survived.primary_contact_id,
        {% for attribute in crm_attributes %}
            crm_survived.{{ attribute }},
        {% endfor %}
        {% for identifier_type in identifier_types %}
            identifiers_survived.primary_{{ identifier_type }},
            coalesce(identifiers_survived.{{ identifier_type }}_count, 0) as {{ identifier_type }}_count,
        {% endfor %}
        coalesce(identifiers_survived.hub_identifier_count, 0) as hub_identifier_count,
        crm_survived.lifecycle_status,
        consent_state.consent_at,
        consent_state.consent_source,
        consent_state.consent_record_type,
        consent_state.consent_record_id,
        consent_state.opted_out_at,
        coalesce(consent_state.has_opt_out_without_time, false) as has_opt_out_without_time,
        contact_persons.crm_record_count,
        contact_persons.dm_thread_count,
        contact_persons.order_count,
        crm_survived.first_crm_created_at,
        crm_survived.last_crm_updated_at,
        identifiers_survived.first_dm_event_at,
        identifiers_survived.last_dm_event_at

    from contact_persons
    left join crm_survived
        on contact_persons.person_id = crm_survived.person_id
    left join identifiers_survived
        on contact_persons.person_id = identifiers_survived.person_id
    left join consent_state
        on contact_persons.person_id = consent_state.person_id

),

final as (

    select
        -- ids
        cast(person_id as {{ dbt.type_string() }}) as person_id,
        cast(primary_contact_id as {{ dbt.type_string() }}) as primary_contact_id,

        -- identifiers
        cast(primary_email as {{ dbt.type_string() }}) as primary_email,
        cast(primary_phone as {{ dbt.type_string() }}) as primary_phone,
        cast(primary_handle as {{ dbt.type_string() }}) as primary_handle,
        cast(primary_ig_user_id as {{ dbt.type_string() }}) as primary_ig_user_id,

        -- person
        cast(first_name as {{ dbt.type_string() }}) as first_name,
        cast(last_name as {{ dbt.type_string() }}) as last_name,
        cast(preferred_channel as {{ dbt.type_string() }}) as preferred_channel,

        -- context
        cast(source as {{ dbt.type_string() }}) as source,
        cast(campaign as {{ dbt.type_string() }}) as campaign,
        cast(utm_source as {{ dbt.type_string() }}) as utm_source,
        cast(utm_medium as {{ dbt.type_string() }}) as utm_medium,
        cast(utm_campaign as {{ dbt.type_string() }}) as utm_campaign,

        -- intent
        cast(product_interest as {{ dbt.type_string() }}) as product_interest,
        cast(budget as {{ dbt.type_string() }}) as budget,
        cast(timeline as {{ dbt.type_string() }}) as timeline,
        cast(last_action as {{ dbt.type_string() }}) as last_action,
        cast(flow_path as {{ dbt.type_string() }}) as flow_path,

        -- lifecycle
        cast(lifecycle_status as {{ dbt.type_string() }}) as lifecycle_status,
        cast(owner as {{ dbt.type_string() }}) as owner,
        cast(next_step as {{ dbt.type_string() }}) as next_step,

        -- compliance
        cast(consent_source as {{ dbt.type_string() }}) as consent_source,
        cast(consent_record_type as {{ dbt.type_string() }}) as consent_record_type,
        cast(consent_record_id as {{ dbt.type_string() }}) as consent_record_id,

        -- counts
        cast(email_count as {{ dbt.type_bigint() }}) as email_count,
        cast(phone_count as {{ dbt.type_bigint() }}) as phone_count,
        cast(handle_count as {{ dbt.type_bigint() }}) as handle_count,
        cast(ig_user_id_count as {{ dbt.type_bigint() }}) as ig_user_id_count,
        cast(hub_identifier_count as {{ dbt.type_bigint() }}) as hub_identifier_count,
        cast(crm_record_count as {{ dbt.type_bigint() }}) as crm_record_count,
        cast(dm_thread_count as {{ dbt.type_bigint() }}) as dm_thread_count,
        cast(order_count as {{ dbt.type_bigint() }}) as order_count,

        -- booleans
        crm_record_count > 0 as has_crm_record,
        dm_thread_count > 0 as has_dm_thread,
        consent_at is not null as has_consent_record,
        coalesce(opted_out_at > consent_at or (opted_out_at is not null and consent_at is null), false)
            as is_opted_out,
        consent_at is not null and not coalesce(opted_out_at > consent_at, false) as has_marketing_consent,
        coalesce(consent_at > {{ dbt.current_timestamp() }}, false) as is_consent_at_in_future,
        coalesce(consent_at < first_crm_created_at, false) as is_consent_before_first_record,
        has_opt_out_without_time,

        -- timestamps, UTC
        cast(
            case
                when first_dm_event_at is null or first_crm_created_at <= first_dm_event_at
                    then first_crm_created_at
                else first_dm_event_at
            end as {{ dbt.type_timestamp() }}
        ) as first_seen_at,
        cast(
            case
                when last_dm_event_at is null or last_crm_updated_at >= last_dm_event_at
                    then last_crm_updated_at
                else last_dm_event_at
            end as {{ dbt.type_timestamp() }}
        ) as last_seen_at,
        cast(first_crm_created_at as {{ dbt.type_timestamp() }}) as first_crm_created_at,
        cast(first_dm_event_at as {{ dbt.type_timestamp() }}) as first_dm_event_at,
        cast(consent_at as {{ dbt.type_timestamp() }}) as consent_at,
        cast(opted_out_at as {{ dbt.type_timestamp() }}) as opted_out_at

    from joined

)

select * from final
