{#-
    Every rejected raw row of the project in one place: the staging rejects
    models (rows that break the raw contract) and the fx rejects (valid
    orders and costs whose currency has no rate: rejects of raw_orders and
    raw_automation_costs). One row per rejected raw row; nothing is
    aggregated or dropped. A new *_rejects model must be added here: the
    test dq_rejects_covers_every_rejects_model fails until it is.
-#}

with

dm_event_rejects as (

    select * from {{ ref('stg_dm_platform__events_rejects') }}

),

crm_contact_rejects as (

    select * from {{ ref('stg_crm__contacts_rejects') }}

),

order_rejects as (

    select * from {{ ref('stg_shop__orders_rejects') }}

),

order_fx_rejects as (

    select * from {{ ref('int_orders_fx_rejects') }}

),

fx_rate_rejects as (

    select * from {{ ref('stg_finance__fx_rates_rejects') }}

),

automation_cost_rejects as (

    select * from {{ ref('stg_finance__automation_costs_rejects') }}

),

automation_cost_fx_rejects as (

    select * from {{ ref('int_automation_costs_fx_rejects') }}

),

unioned as (

    select
        raw_table,
        record_id,
        reject_reason,
        'stg_dm_platform__events_rejects' as rejects_model
    from dm_event_rejects
    union all
    select
        raw_table,
        record_id,
        reject_reason,
        'stg_crm__contacts_rejects' as rejects_model
    from crm_contact_rejects
    union all
    select
        raw_table,
        record_id,
        reject_reason,
        'stg_shop__orders_rejects' as rejects_model
    from order_rejects
    union all
    select
        raw_table,
        record_id,
        reject_reason,
        'int_orders_fx_rejects' as rejects_model
    from order_fx_rejects
    union all
    select
        raw_table,
        record_id,
        reject_reason,
        'stg_finance__fx_rates_rejects' as rejects_model
    from fx_rate_rejects
    union all
    select
        raw_table,
        record_id,
        reject_reason,
        'stg_finance__automation_costs_rejects' as rejects_model
    from automation_cost_rejects
    union all
    select
        raw_table,
        record_id,
        reject_reason,
        'int_automation_costs_fx_rejects' as rejects_model
    from automation_cost_fx_rejects

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
