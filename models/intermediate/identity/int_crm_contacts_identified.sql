{#-
    Every staged CRM record with the person it belongs to
    (int_identity_person_map, node_type crm_contact): the one place a CRM
    record's person is read.
-#}
{{ config(materialized='view') }}

with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

person_map as (

    select * from {{ ref('int_identity_person_map') }}
    where node_type = 'crm_contact'

),

final as (

    select
        person_map.person_id,
        contacts.*

    from contacts
    inner join person_map
        on contacts.contact_id = person_map.node_id

)

-- every staged column, by design
select * from final  -- noqa: AM04
