with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

threads as (

    select * from {{ ref('int_dm_threads') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

crm_contact_nodes as (

    select
        'crm_contact' as node_type,
        contact_id as node_id
    from contacts

),

dm_thread_nodes as (

    select
        'dm_thread' as node_type,
        thread_id as node_id
    from threads

),

order_nodes as (

    select
        'order' as node_type,
        order_id as node_id
    from orders

),

unioned as (

    select * from crm_contact_nodes
    union all
    select * from dm_thread_nodes
    union all
    select * from order_nodes

),

final as (

    select
        node_type || ':' || node_id as node_key,
        node_type,
        node_id
    from unioned
    where node_id is not null

)

select * from final
