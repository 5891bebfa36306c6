{#-
    no_shared_identifiers(model, key_column, identifier_columns, hubs_model=none)

    No two rows of the tested model (distinct key_column values, e.g.
    persons) may hold the same value of an identifier column, compared
    trimmed and lowercased. identifier_columns maps each column to its
    identifier_type in hubs_model ({primary_email: email, ...}); values
    listed there as hubs (shared on purpose by many records: info@, a shop
    phone) are left aside. Fails with one row per shared value: the
    column, the value, how many keys hold it and two of them.
-#}
{% test no_shared_identifiers(model, key_column, identifier_columns, hubs_model=none) %}

with

identifier_values as (

    {%- for column, identifier_type in identifier_columns.items() %}
    select
        '{{ column }}' as identifier_column,
        '{{ identifier_type }}' as identifier_type,
        lower(trim(cast({{ column }} as {{ dbt.type_string() }}))) as identifier_value,
        {{ key_column }} as key_value
    from {{ model }}
    where {{ column }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

{%- if hubs_model is not none %}

hubs as (

    select distinct
        identifier_type,
        lower(trim(identifier_value)) as identifier_value
    from {{ hubs_model }}

),

{%- endif %}

shared as (

    select
        identifier_values.identifier_column,
        identifier_values.identifier_value,
        count(distinct identifier_values.key_value) as key_count,
        min(identifier_values.key_value) as first_key,
        max(identifier_values.key_value) as last_key

    from identifier_values
    {%- if hubs_model is not none %}
    left join hubs
        on
            identifier_values.identifier_type = hubs.identifier_type
            and identifier_values.identifier_value = hubs.identifier_value
    where hubs.identifier_value is null
    {%- endif %}
    group by
        identifier_values.identifier_column,
        identifier_values.identifier_value
    having count(distinct identifier_values.key_value) > 1

)

select * from shared

{% endtest %}
