with

contacts as {{ inline_cte() }} (

    select * from {{ ref('stg_crm__contacts') }}

),

events as {{ inline_cte() }} (

    select * from {{ ref('stg_dm_platform__events') }}

),

orders as {{ inline_cte() }} (

    select * from {{ ref('stg_shop__orders') }}

),

crm_contact_identifiers as (

    select
        'crm_contact' as node_type,
        contact_id as node_id,
        'ig_user_id' as identifier_type,
        ig_user_id as identifier_value
    from contacts
    union all
    select
        'crm_contact' as node_type,
        contact_id as node_id,
        'handle' as identifier_type,
        ig_handle as identifier_value
    from contacts
    union all
    select
        'crm_contact' as node_type,
        contact_id as node_id,
        'email' as identifier_type,
        email as identifier_value
    from contacts
    union all
    select
        'crm_contact' as node_type,
        contact_id as node_id,
        'phone' as identifier_type,
        phone as identifier_value
    from contacts

),

-- ig_user_id and handle of any event; email and phone of leads, with or
-- without consent. A thread repeats its identifiers on every event: each
-- branch keeps one row per thread and value (a CRM record or an order holds
-- each type once)
-- one pass over the events for the identifiers every event carries
dm_thread_handles as (

    select distinct
        thread_id,
        ig_user_id,
        ig_handle

    from events
    where ig_user_id is not null or ig_handle is not null

),

dm_thread_identifiers as (

    select distinct
        'dm_thread' as node_type,
        thread_id as node_id,
        'ig_user_id' as identifier_type,
        ig_user_id as identifier_value
    from dm_thread_handles
    where ig_user_id is not null
    union all
    select distinct
        'dm_thread' as node_type,
        thread_id as node_id,
        'handle' as identifier_type,
        ig_handle as identifier_value
    from dm_thread_handles
    where ig_handle is not null
    union all
    select distinct
        'dm_thread' as node_type,
        thread_id as node_id,
        'email' as identifier_type,
        email as identifier_value
    from events
    where event_type = 'lead_submitted' and email is not null
    union all
    select distinct
        'dm_thread' as node_type,
        thread_id as node_id,
        'phone' as identifier_type,
        phone as identifier_value
    from events
    where event_type = 'lead_submitted' and phone is not null

),

order_identifiers as (

    select
        'order' as node_type,
        order_id as node_id,
        'email' as identifier_type,
        customer_email as identifier_value
    from orders
    union all
    select
        'order' as node_type,
        order_id as node_id,
        'phone' as identifier_type,
        customer_phone as identifier_value
    from orders

),

unioned as (

    select * from crm_contact_identifiers
    union all
    select * from dm_thread_identifiers
    union all
    select * from order_identifiers

),

final as (

    select
        node_type || ':' || node_id as node_key,
        node_type,
        node_id,
        identifier_type,
        identifier_value
    from unioned
    where
        node_id is not null
        and identifier_value is not null

)

select * from final
