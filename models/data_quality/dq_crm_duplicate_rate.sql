{#-
    How duplicated the raw CRM is: valid CRM records per person (after
    identity resolution) and the share of records that are duplicates of an
    earlier one of the same person (records - persons, over records).
    Rejected records (including duplicate contact_ids) are not counted here:
    they are in dq_rejects. One row.
-#}

with

person_map as (

    select * from {{ ref('int_identity_person_map') }}
    where node_type = 'crm_contact'

),

persons_counted as (

    select
        person_id,
        count(*) as crm_records

    from person_map
    group by person_id

),

final as (

    select
        'crm_contacts' as measured_scope,
        cast(coalesce(sum(crm_records), 0) as {{ dbt.type_bigint() }}) as crm_records,
        cast(count(*) as {{ dbt.type_bigint() }}) as persons,
        cast(coalesce(sum(case when crm_records > 1 then 1 else 0 end), 0) as {{ dbt.type_bigint() }})
            as persons_with_several_records,
        cast(coalesce(sum(crm_records), 0) - count(*) as {{ dbt.type_bigint() }}) as duplicate_records,
        max(crm_records) as max_records_per_person,
        case when count(*) > 0 then sum(crm_records) * 1.0 / count(*) end as records_per_person,
        case
            when sum(crm_records) > 0 then (sum(crm_records) - count(*)) * 1.0 / sum(crm_records)
        end as duplicate_share

    from persons_counted

)

select * from final
