-- Primary key of int_identity_identifiers: node_key × identifier_type × identifier_value.
-- Returns the combinations held more than once (none when the model is sound).
with

identifiers as (

    select * from {{ ref('int_identity_identifiers') }}

),

final as (

    select
        node_key,
        identifier_type,
        identifier_value,
        count(*) as row_count
    from identifiers
    group by
        node_key,
        identifier_type,
        identifier_value
    having count(*) > 1

)

select * from final
