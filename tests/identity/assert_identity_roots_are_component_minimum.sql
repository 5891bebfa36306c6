-- Every component's root is one of its nodes, is its own root, and is its smallest node_key.
-- Returns the offending roots (none when the components are sound).
with

components as (

    select * from {{ ref('int_identity_components') }}

),

groups as (

    select
        root_node_key,
        min(node_key) as smallest_node_key,
        sum(case when node_key = root_node_key then 1 else 0 end) as root_rows
    from components
    group by root_node_key

),

final as (

    select
        root_node_key,
        smallest_node_key,
        root_rows
    from groups
    where
        smallest_node_key <> root_node_key
        or root_rows <> 1

)

select * from final
