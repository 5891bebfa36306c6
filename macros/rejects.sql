{#-
    select_rejects(base_model, raw_table, record_id_column, context_columns)

    Body of every staging rejects model: the rows of a base model whose
    reject_reason is set, with the raw table they come from, the record id
    ('(missing)' when the id itself is missing), the reason, and a few raw
    columns that help an engineer find the row in the export.
    One row per rejected raw row; nothing is aggregated or dropped.
-#}
{% macro select_rejects(base_model, raw_table, record_id_column, context_columns=[]) -%}
with

rejected as (

    select * from {{ ref(base_model) }}
    where reject_reason is not null

),

final as (

    select
        '{{ raw_table }}' as raw_table,
        coalesce({{ record_id_column }}, '(missing)') as record_id,
        reject_reason{% for column in context_columns %},
        {{ column }}{% endfor %}

    from rejected

)

select * from final
{%- endmacro %}
