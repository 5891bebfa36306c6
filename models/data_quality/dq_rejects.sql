{#-
    Every rejected raw row of the project in one place: the staging rejects
    models (rows that break the raw contract) and the fx rejects (valid
    orders and costs whose currency has no rate: rejects of raw_orders and
    raw_automation_costs). One row per rejected raw row; nothing is
    aggregated or dropped. The rejects models are listed once, in the
    macro rejects_models(); a new *_rejects model must be added there: the
    test dq_rejects_covers_every_rejects_model fails until it is.
-#}

with

unioned as (

    {% for rejects_model in rejects_models() %}
        select
            raw_table,
            record_id,
            reject_reason,
            '{{ rejects_model }}' as rejects_model
        from {{ ref(rejects_model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        rejects_model || ':' || cast(
            row_number() over (
                partition by rejects_model
                order by record_id, reject_reason
            ) as {{ dbt.type_string() }}
        ) as reject_id,
        raw_table,
        record_id,
        reject_reason,
        rejects_model

    from unioned

)

select * from final
