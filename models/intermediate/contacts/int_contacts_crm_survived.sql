{#-
    The CRM side of a contact: one row per person with at least one CRM
    record. Each attribute is the most recently updated non-empty value
    across the person's records (updated_at, then contact_id, descending);
    primary_contact_id is the most recently updated record; lifecycle_status
    is the furthest any record reached (won, else lost, else qualified,
    else new). Attributes are unpivoted to (person, attribute, value) rows
    so that one window ranks them all: no per-column window, no
    warehouse-specific arg_max or ignore nulls.
-#}
{%- set crm_attributes = contact_crm_attributes() -%}

with

crm_records as (

    select * from {{ ref('int_crm_contacts_identified') }}

),

-- CRM attributes as (person, attribute, value) rows; null means empty (staging trims '' to null)
attribute_values as (

    {% for attribute in crm_attributes %}
        select
            person_id,
            '{{ attribute }}' as attribute_name,
            cast({{ attribute }} as {{ dbt.type_string() }}) as attribute_value,
            updated_at,
            contact_id
        from crm_records
        where {{ attribute }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

attributes_ranked as (

    select
        *,
        row_number() over (
            partition by person_id, attribute_name
            order by updated_at desc, contact_id desc
        ) as recency_rank

    from attribute_values

),

attributes_survived as (

    select
        person_id,
        {% for attribute in crm_attributes %}
            max(case when attribute_name = '{{ attribute }}' then attribute_value end) as {{ attribute }},
        {% endfor %}
        count(*) as surviving_attribute_count

    from attributes_ranked
    where recency_rank = 1
    group by person_id

),

records_ranked as (

    select
        person_id,
        contact_id,
        row_number() over (
            partition by person_id
            order by updated_at desc, contact_id desc
        ) as recency_rank

    from crm_records

),

records_summarised as (

    select
        person_id,
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
        records_ranked.contact_id as primary_contact_id,

        -- attributes
        {% for attribute in crm_attributes %}
            attributes_survived.{{ attribute }},
        {% endfor %}

        coalesce(attributes_survived.surviving_attribute_count, 0) as surviving_attribute_count,

        -- lifecycle
        case
            when records_summarised.has_won_record = 1 then 'won'
            when records_summarised.has_lost_record = 1 then 'lost'
            when records_summarised.has_qualified_record = 1 then 'qualified'
            else 'new'
        end as lifecycle_status,

        -- timestamps
        records_summarised.first_crm_created_at,
        records_summarised.last_crm_updated_at

    from records_summarised
    inner join records_ranked
        on
            records_summarised.person_id = records_ranked.person_id
            and records_ranked.recency_rank = 1
    left join attributes_survived
        on records_summarised.person_id = attributes_survived.person_id

)

select * from final
