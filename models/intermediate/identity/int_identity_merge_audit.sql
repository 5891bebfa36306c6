with

edges as (

    select * from {{ ref('int_identity_edges') }}

),

person_map as (

    select * from {{ ref('int_identity_person_map') }}

),

explained as (

    select
        edges.edge_key,
        node_persons.person_id,
        edges.node_key,
        node_persons.node_type,
        node_persons.node_id,
        edges.anchor_node_key as linked_node_key,
        anchor_persons.node_type as linked_node_type,
        anchor_persons.node_id as linked_node_id,
        edges.identifier_type,
        edges.identifier_value,
        edges.holder_count,
        anchor_persons.person_id as linked_person_id
    from edges
    inner join person_map as node_persons
        on edges.node_key = node_persons.node_key
    inner join person_map as anchor_persons
        on edges.anchor_node_key = anchor_persons.node_key

),

final as (

    select
        edge_key,
        person_id,
        node_key,
        node_type,
        node_id,
        linked_node_key,
        linked_node_type,
        linked_node_id,
        identifier_type,
        identifier_value,
        holder_count,
        node_key || ' and ' || linked_node_key || ' share ' || identifier_type || ' ' || identifier_value
        || ' (held by ' || cast(holder_count as {{ dbt.type_string() }}) || ' records)' as merge_reason,
        person_id = linked_person_id as is_same_person
    from explained

)

select * from final
