{#-
    The identifiers of a contact and when its DM threads were active: one
    row per person with a CRM record or a DM thread (persons of orders only
    are left out, as in dim_contacts). Each identifier (email, phone,
    handle, ig_user_id) is the most recently seen non-hub value over CRM
    records (updated_at), DM events (occurred_at; email and phone only on
    lead_submitted) and orders (created_at); ties go to the CRM, then the
    DM thread, then the order, then the larger value. Hub values link
    nothing and are never a person's identifier: they are counted
    (hub_identifier_count). The DM side is read per thread, not per event:
    int_dm_threads (first and last event) and int_dm_thread_identifiers
    (each value a thread showed, with when it last showed it).
    Incremental by person on DuckDB (incremental_by_person in
    macros/incremental.sql): a daily run rebuilds only the persons whose
    fingerprint (int_contacts_person_fingerprints) changed; a plain table
    on Spark.
-#}
{%- set incremental_run = incremental_by_person('stored.person_id') -%}
{%- set identifier_types = contact_identifier_types() -%}
{%- set rebuild_ctes -%}
-- an incremental run rebuilds the contact persons without rows (the pre-hook deleted the changed ones)
persons_to_rebuild as {{ materialized_cte() }} (

    select person_id
    from {{ ref('int_identity_person_map') }}
    group by person_id
    having max(person_crm_contact_count) + max(person_dm_thread_count) > 0
    except
    select person_id from {{ this }}

),
{%- endset -%}
{%- set crm_identifier_columns = [
    ('email', 'email'), ('phone', 'phone'), ('ig_handle', 'handle'), ('ig_user_id', 'ig_user_id'),
] -%}

with
{{ rebuild_ctes if incremental_run }}
person_map as (

    select * from {{ ref('int_identity_person_map') }}
    where {{ in_rebuilt_persons(incremental_run, 'person_id', 'persons_to_rebuild') }}

),

crm_records as (

    select * from {{ ref('int_crm_contacts_identified') }}
    where {{ in_rebuilt_persons(incremental_run, 'person_id', 'persons_to_rebuild') }}

),

threads as (

    select * from {{ ref('int_dm_threads') }}

),

thread_identifiers as (

    select * from {{ ref('int_dm_thread_identifiers') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

hubs as (

    select * from {{ ref('int_identity_hubs') }}

),

contact_persons as (

    select person_id
    from person_map
    group by person_id
    having max(person_crm_contact_count) + max(person_dm_thread_count) > 0

),

thread_persons as (

    {{ person_map_nodes('dm_thread', 'thread_id') }}

),

order_persons as (

    {{ person_map_nodes('order', 'order_id') }}

),

-- the first and last event of the person's threads
dm_activity as (

    select
        thread_persons.person_id,
        min(threads.first_event_at) as first_dm_event_at,
        max(threads.last_event_at) as last_dm_event_at

    from threads
    inner join thread_persons
        on threads.thread_id = thread_persons.thread_id
    group by thread_persons.person_id

),

-- identifiers a thread showed, each with the last time it showed it:
-- handle and ig_user_id on any event, email and phone on lead_submitted
thread_identifier_sightings as (

    select
        thread_id,
        identifier_type,
        identifier_value,
        last_seen_at as seen_at

    from thread_identifiers

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
        from crm_records
        where {{ crm_column }} is not null
        union all
    {% endfor %}
    select
        thread_persons.person_id,
        thread_identifier_sightings.identifier_type,
        thread_identifier_sightings.identifier_value,
        max(thread_identifier_sightings.seen_at) as seen_at,
        2 as source_priority
    from thread_identifier_sightings
    inner join thread_persons
        on thread_identifier_sightings.thread_id = thread_persons.thread_id
    group by
        thread_persons.person_id,
        thread_identifier_sightings.identifier_type,
        thread_identifier_sightings.identifier_value
    union all
    select
        order_persons.person_id,
        'email' as identifier_type,
        orders.customer_email as identifier_value,
        orders.created_at as seen_at,
        3 as source_priority
    from orders
    inner join order_persons on orders.order_id = order_persons.order_id
    where orders.customer_email is not null
    union all
    select
        order_persons.person_id,
        'phone' as identifier_type,
        orders.customer_phone as identifier_value,
        orders.created_at as seen_at,
        3 as source_priority
    from orders
    inner join order_persons on orders.order_id = order_persons.order_id
    where orders.customer_phone is not null

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

-- one row per person and value: how often and when it was last seen, and
-- the best source of that last sighting (CRM first; tied sightings have the
-- same priority, so the tie is harmless)
values_seen as (

    select
        person_id,
        identifier_type,
        identifier_value,
        is_hub,
        count(*) as sighting_count,
        max(seen_at) as seen_at,
        {{ arg_max_non_null('-1 * source_priority', ['seen_at', '-1 * source_priority']) }} as source_rank

    from identifier_sightings_flagged
    group by person_id, identifier_type, identifier_value, is_hub

),

-- the latest non-hub value of each type: seen_at, then the source (CRM
-- first), then the larger value; one group by person, no ranking window
identifiers_survived as (

    select
        person_id,
        {% for identifier_type in identifier_types %}
            {{ arg_max_non_null(
                "case when identifier_type = '" ~ identifier_type ~ "' then identifier_value end",
                ['seen_at', 'source_rank', 'identifier_value'],
            ) }} as primary_{{ identifier_type }},
            count(case when identifier_type = '{{ identifier_type }}' then 1 end) as {{ identifier_type }}_count,
        {% endfor %}
        sum(sighting_count) as identifier_sighting_count

    from values_seen
    where not is_hub
    group by person_id

),

hub_identifiers_counted as (

    select
        person_id,
        count(*) as hub_identifier_count

    from values_seen
    where is_hub
    group by person_id

),

final as (

    select
        -- ids
        contact_persons.person_id,

        -- identifiers
        {% for identifier_type in identifier_types %}
            identifiers_survived.primary_{{ identifier_type }},
        {% endfor %}

        -- counts
        {% for identifier_type in identifier_types %}
            coalesce(identifiers_survived.{{ identifier_type }}_count, 0) as {{ identifier_type }}_count,
        {% endfor %}
        coalesce(hub_identifiers_counted.hub_identifier_count, 0) as hub_identifier_count,
        coalesce(identifiers_survived.identifier_sighting_count, 0) as identifier_sighting_count,

        -- timestamps
        dm_activity.first_dm_event_at,
        dm_activity.last_dm_event_at,

        -- daily runs: the fingerprint of the person this row was built from
        person_fingerprints.person_fingerprint

    from contact_persons
    left join identifiers_survived
        on contact_persons.person_id = identifiers_survived.person_id
    left join hub_identifiers_counted
        on contact_persons.person_id = hub_identifiers_counted.person_id
    left join dm_activity
        on contact_persons.person_id = dm_activity.person_id
    left join {{ ref('int_contacts_person_fingerprints') }} as person_fingerprints
        on contact_persons.person_id = person_fingerprints.person_key

)

select * from final
