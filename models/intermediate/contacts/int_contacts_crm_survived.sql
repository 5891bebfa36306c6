{#-
    The CRM side of a contact: one row per person with at least one CRM
    record. Each attribute is the most recently updated non-empty value
    across the person's records (updated_at, then contact_id, descending);
    primary_contact_id is the most recently updated record; lifecycle_status
    is the furthest any record reached (won, else lost, else qualified,
    else new). One group by person: each attribute is an arg_max_non_null
    over (updated_at, contact_id), no ranking window.
-#}
{%- set crm_attributes = contact_crm_attributes() -%}
{%- set recency = ['updated_at', 'contact_id'] -%}

with

crm_records as (

    select * from {{ ref('int_crm_contacts_identified') }}

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
        person_id,
        primary_contact_id,

        -- attributes
        {% for attribute in crm_attributes %}
            {{ attribute }},
        {% endfor %}

        surviving_attribute_count,

        -- lifecycle
        case
            when has_won_record = 1 then 'won'
            when has_lost_record = 1 then 'lost'
            when has_qualified_record = 1 then 'qualified'
            else 'new'
        end as lifecycle_status,

        -- timestamps
        first_crm_created_at,
        last_crm_updated_at

    from records_summarised

)

select * from final
