{#-
    One row per person key with a fingerprint of everything a person-level
    model reads about the person: its nodes (threads, CRM records, orders),
    when each of its threads was last touched (int_dm_thread_touches: a
    thread's events, and so its summaries, change only with a new copy,
    which moves its touch), the rejected DM rows of its threads, every
    column of its CRM records and orders in staging, and the hub
    identifiers its nodes hold. A person key is the person_id, or 'dm_thread:<thread_id>' /
    'crm_contact:<contact_id>' for a node the person map does not hold (the
    fallback of dq_outbound_messages). A daily run compares these with the
    fingerprints a person-level model stored and rebuilds only the persons
    whose fingerprint changed (macros/fingerprint.sql).
-#}
with

person_map as (

    select
        node_type,
        node_id,
        person_id

    from {{ ref('int_identity_person_map') }}

),

thread_persons as (

    {{ person_map_nodes('dm_thread', 'thread_id') }}

),

order_persons as (

    {{ person_map_nodes('order', 'order_id') }}

),

contact_persons as (

    {{ person_map_nodes('crm_contact', 'contact_id') }}

),

-- one hashed item per thing the person-level models read
items as (

    select
        person_id as person_key,
        {{ row_hash(["'node'", 'node_type', 'node_id']) }} as item_hash
    from person_map
    union all
    select
        coalesce(thread_persons.person_id, 'dm_thread:' || touches.thread_id) as person_key,
        {{ row_hash(["'thread'", 'touches.thread_id', 'touches.last_touched_at']) }} as item_hash
    from {{ ref('int_dm_thread_touches') }} as touches
    left join thread_persons
        on touches.thread_id = thread_persons.thread_id
    union all
    select
        coalesce(thread_persons.person_id, 'dm_thread:' || rejects.thread_id) as person_key,
        {{ row_hash([
            "'reject'", 'rejects.thread_id', 'rejects.record_id', 'rejects.reject_reason',
            'rejects.event_type', 'rejects.actor', 'rejects.occurred_at_raw',
        ]) }} as item_hash
    from {{ ref('stg_dm_platform__events_rejects') }} as rejects
    left join thread_persons
        on rejects.thread_id = thread_persons.thread_id
    where rejects.thread_id is not null
    union all
    select
        coalesce(contact_persons.person_id, 'crm_contact:' || contacts.contact_id) as person_key,
        {{ whole_row_hash('crm_contact', 'contacts') }} as item_hash
    from {{ ref('stg_crm__contacts') }} as contacts
    left join contact_persons
        on contacts.contact_id = contact_persons.contact_id
    union all
    select
        order_persons.person_id as person_key,
        {{ whole_row_hash('order', 'orders') }} as item_hash
    from {{ ref('stg_shop__orders') }} as orders
    inner join order_persons
        on orders.order_id = order_persons.order_id
    union all
    -- a hub identifier links nothing and is nobody's identifier: when one becomes a hub (or stops
    -- being one), every person holding it changes
    select
        person_map.person_id as person_key,
        {{ row_hash(["'hub'", 'identifiers.identifier_type', 'identifiers.identifier_value']) }} as item_hash
    from {{ ref('int_identity_identifiers') }} as identifiers
    inner join {{ ref('int_identity_hubs') }} as hubs
        on
            identifiers.identifier_type = hubs.identifier_type
            and identifiers.identifier_value = hubs.identifier_value
    inner join person_map
        on
            identifiers.node_type = person_map.node_type
            and identifiers.node_id = person_map.node_id

),

final as (

    select
        person_key,
        {{ set_fingerprint('item_hash') }} as person_fingerprint,
        count(*) as fingerprint_item_count

    from items
    group by person_key

)

select * from final
