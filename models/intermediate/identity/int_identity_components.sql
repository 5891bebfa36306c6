{{ config(materialized='connected_components', max_rounds=var('identity_max_rounds', 64)) }}

with

edges as (

    select * from {{ ref('int_identity_edges') }}

),

final as (

    select
        node_key,
        anchor_node_key as linked_node_key
    from edges

)

select * from final
