{#-
    select_rejects(base_model, raw_table, record_id_column, context_columns)

    Body of every staging rejects model: the rows of a base model whose
    reject_reason is set, with the raw table they come from, the record id
    ('(missing)' when the id itself is missing), the reason, and a few raw
    columns that help an engineer find the row in the export.
    One row per rejected raw row; nothing is aggregated or dropped.
    extra_rejected: optional SQL of more rejected rows found after the base
    model (e.g. conflicting deliveries), with the columns record_id_column,
    reject_reason and context_columns, in that order.
-#}
{% macro select_rejects(base_model, raw_table, record_id_column, context_columns=[], extra_rejected=none) -%}
with

rejected as (

    select
        {{ record_id_column }},
        reject_reason{% for column in context_columns %},
        {{ column }}{% endfor %}
    from {{ ref(base_model) }}
    where reject_reason is not null
    {%- if extra_rejected %}
    union all
    {{ extra_rejected }}
    {%- endif %}

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


{#-
    event_id_deliveries(base_relation)

    The event_ids delivered more than once among the valid rows of the base
    events, with how many copies arrived (delivery_count) and how many
    different events they describe (variant_count: distinct thread, event
    type, actor and occurred_at). A retry repeats the same event, so
    variant_count is 1; more means one id was used for different events (a
    conflict): staging keeps none of its copies and the rejects list every
    copy with event_id_conflict_reason(). A narrow aggregate over the
    parsed table, read by stg_dm_platform__events and its rejects model.
-#}
{% macro event_id_deliveries(base_relation) -%}
    select
        event_id,
        count(*) as delivery_count,
        count(distinct {{ dbt.concat([
            'thread_id', "'|'", 'event_type', "'|'", 'actor', "'|'", dbt.cast('occurred_at', dbt.type_string())
        ]) }}) as variant_count

    from {{ base_relation }}
    where
        reject_reason is null
        -- the distinct count runs on the repeated ids only (a few % of rows)
        and event_id in (
            select event_id from {{ base_relation }}
            where reject_reason is null
            group by event_id
            having count(*) > 1
        )
    group by event_id
{%- endmacro %}


{#- The reject reason of every copy of a conflicting event_id (see event_id_deliveries). -#}
{% macro event_id_conflict_reason(delivery_count, variant_count) -%}
    'event_id delivered as ' || cast({{ variant_count }} as {{ dbt.type_string() }})
    || ' different events (thread, type, actor or time differ) in '
    || cast({{ delivery_count }} as {{ dbt.type_string() }}) || ' copies'
{%- endmacro %}


{#
    Every rejects model of the project (rows that break the raw contract,
    and valid rows without an fx rate), in the order dq_rejects unions
    them. dbt resolves ref() when it parses a model, before the graph
    exists, so dq_rejects cannot discover them in the graph: the test
    dq_rejects_covers_every_rejects_model compares this list with the
    graph and fails on a *_rejects model left out.
#}
{% macro rejects_models() -%}
    {{ return([
        'stg_dm_platform__events_rejects',
        'stg_crm__contacts_rejects',
        'stg_shop__orders_rejects',
        'int_orders_fx_rejects',
        'stg_finance__fx_rates_rejects',
        'stg_finance__automation_costs_rejects',
        'int_automation_costs_fx_rejects',
    ]) }}
{%- endmacro %}
