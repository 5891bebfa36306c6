with

identifiers as (

    select * from {{ ref('int_identity_identifiers') }}

),

-- identifiers holds each (node, identifier) once, so count(*) counts distinct nodes
holders_counted as (

    select
        identifier_type,
        identifier_value,
        count(*) as node_count,
        sum(case when node_type = 'crm_contact' then 1 else 0 end) as crm_contact_count,
        sum(case when node_type = 'dm_thread' then 1 else 0 end) as dm_thread_count,
        sum(case when node_type = 'order' then 1 else 0 end) as order_count
    from identifiers
    group by
        identifier_type,
        identifier_value

),

final as (

    select
        identifier_type || ':' || identifier_value as identifier_key,
        identifier_type,
        identifier_value,
        node_count,
        crm_contact_count,
        dm_thread_count,
        order_count,
        {{ var('identity_max_records_per_identifier') }} as max_records_per_identifier
    from holders_counted
    where node_count > {{ var('identity_max_records_per_identifier') }}

)

select * from final
