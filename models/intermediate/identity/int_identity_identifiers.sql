with

contacts as {{ inline_cte() }} (

    select * from {{ ref('stg_crm__contacts') }}

),

thread_identifiers as (

    select * from {{ ref('int_dm_thread_identifiers') }}

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
-- without consent (int_dm_thread_identifiers: one row per thread and value)
dm_thread_identifiers as (

    select
        'dm_thread' as node_type,
        thread_id as node_id,
        identifier_type,
        identifier_value
    from thread_identifiers

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
