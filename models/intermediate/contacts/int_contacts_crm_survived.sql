{#-
    The CRM side of a contact: one row per person with at least one CRM
    record. Each attribute is the most recently updated non-empty value
    across the person's records (updated_at, then contact_id, descending);
    primary_contact_id is the most recently updated record; lifecycle_status
    is the furthest any record reached (won, else lost, else qualified,
    else new). One group by person: each attribute is an arg_max_non_null
    over (updated_at, contact_id), no ranking window.
    Incremental by person on DuckDB (incremental_by_person in
    macros/incremental.sql): a daily run rebuilds only the persons whose
    fingerprint (int_contacts_person_fingerprints) changed; a plain table
    on Spark.
-#}
{%- set incremental_run = incremental_by_person('stored.person_id') -%}
{%- set crm_attributes = contact_crm_attributes() -%}
{%- set rebuild_ctes -%}
-- an incremental run rebuilds the persons without rows (the pre-hook deleted the changed ones)
persons_to_rebuild as {{ materialized_cte() }} (

    select person_id from {{ ref('int_crm_contacts_identified') }}
    except
    select person_id from {{ this }}

),
{%- endset -%}
{%- set recency = ['updated_at', 'contact_id'] -%}

with
{{ rebuild_ctes if incremental_run }}
crm_records as (

    select * from {{ ref('int_crm_contacts_identified') }}
    where {{ in_rebuilt_persons(incremental_run, 'person_id', 'persons_to_rebuild') }}

),

records_summarised as (

    select
        person_id,
        {{ arg_max_non_null('contact_id', recency) }} as primary_contact_id,
        {% for attribute in crm_attributes %}
            {{ arg_max_non_null('cast(' ~ attribute ~ ' as ' ~ dbt.type_string() ~ ')', recency) }}
                as {{ attribute }},
        {% endfor %}
        {% for attribute in crm_attributes %}
            case when count({{ attribute }}) > 0 then 1 else 0 end
            {%- if not loop.last %} +{% endif %}
        {% endfor %} as surviving_attribute_count,
        min(created_at) as first_crm_created_at,
        max(updated_at) as last_crm_updated_at,
        max(case when lifecycle_status = 'won' then 1 else 0 end) as has_won_record,
        max(case when lifecycle_status = 'lost' then 1 else 0 end) as has_lost_record,
        max(case when lifecycle_status = 'qualified' then 1 else 0 end) as has_qualified_record

    from crm_records
    group by person_id

),

final as (

    select
        -- ids
        records_summarised.person_id,
        records_summarised.primary_contact_id,

        -- attributes
        {% for attribute in crm_attributes %}
            records_summarised.{{ attribute }},
        {% endfor %}

        records_summarised.surviving_attribute_count,

        -- lifecycle
        case
            when records_summarised.has_won_record = 1 then 'won'
            when records_summarised.has_lost_record = 1 then 'lost'
            when records_summarised.has_qualified_record = 1 then 'qualified'
            else 'new'
        end as lifecycle_status,

        -- timestamps
        records_summarised.first_crm_created_at,
        records_summarised.last_crm_updated_at,

        -- daily runs: the fingerprint of the person this row was built from
        person_fingerprints.person_fingerprint

    from records_summarised
    left join {{ ref('int_contacts_person_fingerprints') }} as person_fingerprints
        on records_summarised.person_id = person_fingerprints.person_key

)

select * from final
