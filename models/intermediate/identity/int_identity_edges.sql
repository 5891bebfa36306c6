with

identifiers as (

    select * from {{ ref('int_identity_identifiers') }}

),

hubs as (

    select * from {{ ref('int_identity_hubs') }}

),

linking_identifiers as (

    select
        identifiers.node_key,
        identifiers.identifier_type,
        identifiers.identifier_value
    from identifiers
    left join hubs
        on
            identifiers.identifier_type = hubs.identifier_type
            and identifiers.identifier_value = hubs.identifier_value
    where hubs.identifier_key is null

),

-- the anchor of a value held by several nodes is its smallest holder
value_anchors as (

    select
        identifier_type,
        identifier_value,
        min(node_key) as anchor_node_key,
        count(*) as holder_count
    from linking_identifiers
    group by
        identifier_type,
        identifier_value
    having count(*) > 1

),

-- every other holder gets one edge to the anchor: a star of k - 1 edges, never k^2
final as (

    select
        linking_identifiers.node_key
        || '|' || linking_identifiers.identifier_type
        || ':' || linking_identifiers.identifier_value as edge_key,
        linking_identifiers.node_key,
        value_anchors.anchor_node_key,
        linking_identifiers.identifier_type,
        linking_identifiers.identifier_value,
        value_anchors.holder_count
    from linking_identifiers
    inner join value_anchors
        on
            linking_identifiers.identifier_type = value_anchors.identifier_type
            and linking_identifiers.identifier_value = value_anchors.identifier_value
    where linking_identifiers.node_key <> value_anchors.anchor_node_key

)

select * from final
