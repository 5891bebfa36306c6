with

nodes as (

    select * from {{ ref('int_identity_nodes') }}

),

components as (

    select * from {{ ref('int_identity_components') }}

),

-- a node without a usable link (no identifier, or hub identifiers only) is a person of its own
rooted as (

    select
        nodes.node_key,
        nodes.node_type,
        nodes.node_id,
        coalesce(components.root_node_key, nodes.node_key) as person_root_node_key
    from nodes
    left join components
        on nodes.node_key = components.node_key

),

final as (

    select
        node_key,
        node_type,
        node_id,
        'p_' || {{ dbt.hash('person_root_node_key') }} as person_id,
        person_root_node_key,
        count(*) over (partition by person_root_node_key) as person_node_count,
        sum(case when node_type = 'crm_contact' then 1 else 0 end)
            over (partition by person_root_node_key) as person_crm_contact_count,
        sum(case when node_type = 'dm_thread' then 1 else 0 end)
            over (partition by person_root_node_key) as person_dm_thread_count,
        sum(case when node_type = 'order' then 1 else 0 end)
            over (partition by person_root_node_key) as person_order_count
    from rooted

)

select * from final
