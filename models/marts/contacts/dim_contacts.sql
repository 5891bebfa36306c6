{#-
    One row per person with at least one CRM record or DM thread
    (int_identity_person_map; a person made of orders only is not a
    contact). Survivorship, decided per attribute:
    - CRM attributes: the most recently updated non-empty value across the
      person's CRM records (updated_at, then contact_id, descending).
    - Identifiers (email, phone, handle, ig_user_id): the most recently seen
      non-hub value over CRM records (updated_at), DM events (occurred_at)
      and orders (created_at); hub values link nothing and are never a
      person's identifier.
    - lifecycle_status: won if any record is won; else lost if any record is
      lost; else qualified; else new (new < qualified < lost < won); null
      without a CRM record.
    - Consent: the latest CRM consent_at or consented lead_submitted event;
      opted out when the latest opt-out (CRM, or DM opt_out event) is
      strictly later than the latest consent.
    Attributes are unpivoted to (person, attribute, value) rows so that one
    window ranks them all: no per-column window, no warehouse-specific
    arg_max or ignore nulls.
-#}
{%- set crm_attributes = [
    'first_name', 'last_name', 'preferred_channel', 'source', 'campaign',
    'utm_source', 'utm_medium', 'utm_campaign', 'product_interest', 'budget',
    'timeline', 'last_action', 'flow_path', 'owner', 'next_step',
] -%}
{%- set identifier_types = ['email', 'phone', 'handle', 'ig_user_id'] -%}
{%- set crm_identifier_columns = [
    ('email', 'email'), ('phone', 'phone'), ('ig_handle', 'handle'), ('ig_user_id', 'ig_user_id'),
] -%}

with

person_map as (

    select * from {{ ref('int_identity_person_map') }}

),

crm_contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

dm_events as {{ inline_cte() }} (

    select * from {{ ref('stg_dm_platform__events') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

hubs as (

    select * from {{ ref('int_identity_hubs') }}

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

person_crm_records as (

    select
        person_map.person_id,
        crm_contacts.*

    from crm_contacts
    inner join person_map
        on
            person_map.node_type = 'crm_contact'
            and crm_contacts.contact_id = person_map.node_id

),

-- DM events are summarised per thread first (a thread belongs to one
-- person), then joined to the persons: the join reads threads, not events
dm_thread_persons as (

    select
        node_id as thread_id,
        person_id

    from person_map
    where node_type = 'dm_thread'

),

-- one pass over the DM events: the first and last event of each thread
-- for every handle and ig_user_id it showed (nulls included, so every event
-- counts towards its thread's first and last event)
dm_thread_handles_seen as (

    select
        thread_id,
        ig_handle,
        ig_user_id,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at

    from dm_events
    group by thread_id, ig_handle, ig_user_id

),

dm_thread_summaries as (

    select
        thread_id,
        min(first_seen_at) as first_dm_event_at,
        max(last_seen_at) as last_dm_event_at

    from dm_thread_handles_seen
    group by thread_id

),

-- identifiers a thread showed, each with the last time it showed it:
-- handle and ig_user_id on any event, email and phone on lead_submitted
dm_thread_identifier_sightings as (

    select
        thread_id,
        'handle' as identifier_type,
        ig_handle as identifier_value,
        max(last_seen_at) as seen_at
    from dm_thread_handles_seen
    where ig_handle is not null
    group by thread_id, ig_handle
    union all
    select
        thread_id,
        'ig_user_id' as identifier_type,
        ig_user_id as identifier_value,
        max(last_seen_at) as seen_at
    from dm_thread_handles_seen
    where ig_user_id is not null
    group by thread_id, ig_user_id
    union all
    select
        thread_id,
        'email' as identifier_type,
        email as identifier_value,
        max(occurred_at) as seen_at
    from dm_events
    where event_type = 'lead_submitted' and email is not null
    group by thread_id, email
    union all
    select
        thread_id,
        'phone' as identifier_type,
        phone as identifier_value,
        max(occurred_at) as seen_at
    from dm_events
    where event_type = 'lead_submitted' and phone is not null
    group by thread_id, phone

),

-- the few events dim_contacts reads one by one: consented leads and opt-outs
person_dm_consent_events as (

    select
        dm_thread_persons.person_id,
        dm_events.event_id,
        dm_events.event_type,
        dm_events.has_consent,
        dm_events.occurred_at

    from dm_events
    inner join dm_thread_persons
        on dm_events.thread_id = dm_thread_persons.thread_id
    where
        (dm_events.event_type = 'lead_submitted' and dm_events.has_consent)
        or dm_events.event_type = 'opt_out'

),

person_orders as (

    select
        person_map.person_id,
        orders.*

    from orders
    inner join person_map
        on
            person_map.node_type = 'order'
            and orders.order_id = person_map.node_id

),

-- CRM attributes as (person, attribute, value) rows; null means empty (staging trims '' to null)
crm_attribute_values as (

    {% for attribute in crm_attributes %}
        select
            person_id,
            '{{ attribute }}' as attribute_name,
            cast({{ attribute }} as {{ dbt.type_string() }}) as attribute_value,
            updated_at,
            contact_id
        from person_crm_records
        where {{ attribute }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

crm_attributes_ranked as (

    select
        *,
        row_number() over (
            partition by person_id, attribute_name
            order by updated_at desc, contact_id desc
        ) as recency_rank

    from crm_attribute_values

),

crm_attributes_survived as (

    select
        person_id,
        {% for attribute in crm_attributes %}
            max(case when attribute_name = '{{ attribute }}' then attribute_value end) as {{ attribute }},
        {% endfor %}
        count(*) as surviving_attribute_count

    from crm_attributes_ranked
    where recency_rank = 1
    group by person_id

),

crm_summarised as (

    select
        person_id,
        min(created_at) as first_crm_created_at,
        max(updated_at) as last_crm_updated_at,
        max(case when lifecycle_status = 'won' then 1 else 0 end) as has_won_record,
        max(case when lifecycle_status = 'lost' then 1 else 0 end) as has_lost_record,
        max(case when lifecycle_status = 'qualified' then 1 else 0 end) as has_qualified_record,
        count(*) as crm_records

    from person_crm_records
    group by person_id

),

latest_crm_records as (

    select
        person_id,
        contact_id,
        row_number() over (
            partition by person_id
            order by updated_at desc, contact_id desc
        ) as recency_rank

    from person_crm_records

),

dm_summarised as (

    select
        dm_thread_persons.person_id,
        min(dm_thread_summaries.first_dm_event_at) as first_dm_event_at,
        max(dm_thread_summaries.last_dm_event_at) as last_dm_event_at

    from dm_thread_summaries
    inner join dm_thread_persons
        on dm_thread_summaries.thread_id = dm_thread_persons.thread_id
    group by dm_thread_persons.person_id

),

-- every sighting of an identifier, with when it was seen; source_priority breaks ties (CRM first)
identifier_sightings as (

    {% for crm_column, identifier_type in crm_identifier_columns %}
        select
            person_id,
            '{{ identifier_type }}' as identifier_type,
            {{ crm_column }} as identifier_value,
            updated_at as seen_at,
            1 as source_priority
        from person_crm_records
        where {{ crm_column }} is not null
        union all
    {% endfor %}
    select
        dm_thread_persons.person_id,
        dm_thread_identifier_sightings.identifier_type,
        dm_thread_identifier_sightings.identifier_value,
        max(dm_thread_identifier_sightings.seen_at) as seen_at,
        2 as source_priority
    from dm_thread_identifier_sightings
    inner join dm_thread_persons
        on dm_thread_identifier_sightings.thread_id = dm_thread_persons.thread_id
    group by
        dm_thread_persons.person_id,
        dm_thread_identifier_sightings.identifier_type,
        dm_thread_identifier_sightings.identifier_value
    union all
    select
        person_id,
        'email' as identifier_type,
        customer_email as identifier_value,
        created_at as seen_at,
        3 as source_priority
    from person_orders
    where customer_email is not null
    union all
    select
        person_id,
        'phone' as identifier_type,
        customer_phone as identifier_value,
        created_at as seen_at,
        3 as source_priority
    from person_orders
    where customer_phone is not null

),

identifier_sightings_flagged as (

    select
        identifier_sightings.*,
        hubs.identifier_key is not null as is_hub

    from identifier_sightings
    left join hubs
        on
            identifier_sightings.identifier_type = hubs.identifier_type
            and identifier_sightings.identifier_value = hubs.identifier_value

),

identifier_values_ranked as (

    select
        *,
        row_number() over (
            partition by person_id, identifier_type
            order by seen_at desc, source_priority asc, identifier_value desc
        ) as recency_rank

    from identifier_sightings_flagged
    where not is_hub

),

identifiers_survived as (

    select
        person_id,
        {% for identifier_type in identifier_types %}
            max(
                case when identifier_type = '{{ identifier_type }}' and recency_rank = 1 then identifier_value end
            ) as primary_{{ identifier_type }},
            count(distinct case when identifier_type = '{{ identifier_type }}' then identifier_value end)
                as {{ identifier_type }}_count,
        {% endfor %}
        count(*) as identifier_sighting_count

    from identifier_values_ranked
    group by person_id

),

hub_identifiers_counted as (

    select
        person_id,
        count(distinct identifier_type || ':' || identifier_value) as hub_identifier_count

    from identifier_sightings_flagged
    where is_hub
    group by person_id

),

-- consents: CRM consent_at, and lead_submitted events with consent (source dm_flow)
consents as (

    select
        person_id,
        consent_at,
        consent_source,
        'crm_contact' as consent_record_type,
        contact_id as consent_record_id,
        1 as source_priority
    from person_crm_records
    where consent_at is not null
    union all
    select
        person_id,
        occurred_at as consent_at,
        'dm_flow' as consent_source,
        'dm_event' as consent_record_type,
        event_id as consent_record_id,
        2 as source_priority
    from person_dm_consent_events
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

-- opt-outs: CRM opted_out (at opted_out_at, else at the record's updated_at), DM opt_out events
opt_outs as (

    select
        person_id,
        coalesce(opted_out_at, updated_at) as opted_out_at,
        opted_out_at is null as is_time_unknown
    from person_crm_records
    where is_opted_out
    union all
    select
        person_id,
        occurred_at as opted_out_at,
        false as is_time_unknown
    from person_dm_consent_events
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

joined as (

    select
        contact_persons.person_id,
        latest_crm_records.contact_id as primary_contact_id,
        {% for attribute in crm_attributes %}
            crm_attributes_survived.{{ attribute }},
        {% endfor %}
        {% for identifier_type in identifier_types %}
            identifiers_survived.primary_{{ identifier_type }},
            coalesce(identifiers_survived.{{ identifier_type }}_count, 0) as {{ identifier_type }}_count,
        {% endfor %}
        coalesce(hub_identifiers_counted.hub_identifier_count, 0) as hub_identifier_count,
        case
            when crm_summarised.has_won_record = 1 then 'won'
            when crm_summarised.has_lost_record = 1 then 'lost'
            when crm_summarised.has_qualified_record = 1 then 'qualified'
            when crm_summarised.person_id is not null then 'new'
        end as lifecycle_status,
        latest_consents.consent_at,
        latest_consents.consent_source,
        latest_consents.consent_record_type,
        latest_consents.consent_record_id,
        latest_opt_outs.opted_out_at,
        coalesce(latest_opt_outs.has_opt_out_without_time, false) as has_opt_out_without_time,
        contact_persons.crm_record_count,
        contact_persons.dm_thread_count,
        contact_persons.order_count,
        crm_summarised.first_crm_created_at,
        crm_summarised.last_crm_updated_at,
        dm_summarised.first_dm_event_at,
        dm_summarised.last_dm_event_at

    from contact_persons
    left join crm_attributes_survived
        on contact_persons.person_id = crm_attributes_survived.person_id
    left join crm_summarised
        on contact_persons.person_id = crm_summarised.person_id
    left join latest_crm_records
        on
            contact_persons.person_id = latest_crm_records.person_id
            and latest_crm_records.recency_rank = 1
    left join dm_summarised
        on contact_persons.person_id = dm_summarised.person_id
    left join identifiers_survived
        on contact_persons.person_id = identifiers_survived.person_id
    left join hub_identifiers_counted
        on contact_persons.person_id = hub_identifiers_counted.person_id
    left join latest_consents
        on contact_persons.person_id = latest_consents.person_id
    left join latest_opt_outs
        on contact_persons.person_id = latest_opt_outs.person_id

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
