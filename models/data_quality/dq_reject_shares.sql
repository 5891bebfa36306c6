{#-
    Reject share per raw table: rejected raw rows (dq_rejects) over all raw
    rows of the table (its base model: one row per raw row, valid or not).
    Rejects of raw_orders and raw_automation_costs include the rows
    rejected for a missing fx rate.
-#}

with

rejects as (

    select * from {{ ref('dq_rejects') }}

),

raw_dm_events as (

    select * from {{ ref('base_dm_platform__events') }}

),

raw_crm_contacts as (

    select * from {{ ref('base_crm__contacts') }}

),

raw_orders as (

    select * from {{ ref('base_shop__orders') }}

),

raw_fx_rates as (

    select * from {{ ref('base_finance__fx_rates') }}

),

raw_automation_costs as (

    select * from {{ ref('base_finance__automation_costs') }}

),

raw_rows_counted as (

    select
        'raw_dm_events' as raw_table,
        count(*) as raw_rows
    from raw_dm_events
    union all
    select
        'raw_crm_contacts' as raw_table,
        count(*) as raw_rows
    from raw_crm_contacts
    union all
    select
        'raw_orders' as raw_table,
        count(*) as raw_rows
    from raw_orders
    union all
    select
        'raw_fx_rates' as raw_table,
        count(*) as raw_rows
    from raw_fx_rates
    union all
    select
        'raw_automation_costs' as raw_table,
        count(*) as raw_rows
    from raw_automation_costs

),

rejects_counted as (

    select
        raw_table,
        count(*) as reject_rows

    from rejects
    group by raw_table

),

final as (

    select
        raw_rows_counted.raw_table,
        cast(raw_rows_counted.raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(coalesce(rejects_counted.reject_rows, 0) as {{ dbt.type_bigint() }}) as reject_rows,
        case
            when raw_rows_counted.raw_rows > 0
                then coalesce(rejects_counted.reject_rows, 0) * 1.0 / raw_rows_counted.raw_rows
        end as reject_share,
        {{ var('reject_error_share') }} as reject_error_share,
        coalesce(rejects_counted.reject_rows, 0)
        > {{ var('reject_error_share') }} * raw_rows_counted.raw_rows as is_above_error_share

    from raw_rows_counted
    left join rejects_counted
        on raw_rows_counted.raw_table = rejects_counted.raw_table

)

select * from final
