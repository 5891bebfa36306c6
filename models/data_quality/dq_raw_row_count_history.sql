{#-
    One row per raw table and build: how many raw rows the build read.
    Appended by every run of this model (incremental, append), never
    rebuilt by --full-refresh (full_refresh false), in its own schema, so
    no other model and no user table is touched. dq_raw_row_count_changes
    compares the latest build with the one before it. It counts the raw
    tables (sources) directly, so a failing data test upstream never skips
    the record. A `dbt run --empty` appends nothing (its sources are empty).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    schema='data_quality_history'
) }}

with

-- the raw tables themselves, not a tested model: a failing test upstream
-- (a reject share above its threshold) must not skip the record of the build
raw_rows_counted as (

    select
        'raw_dm_events' as raw_table,
        count(*) as raw_rows
    from {{ raw_source('dm_platform', 'raw_dm_events') }}
    union all
    select
        'raw_crm_contacts' as raw_table,
        count(*) as raw_rows
    from {{ raw_source('crm', 'raw_crm_contacts') }}
    union all
    select
        'raw_orders' as raw_table,
        count(*) as raw_rows
    from {{ raw_source('shop', 'raw_orders') }}
    union all
    select
        'raw_fx_rates' as raw_table,
        count(*) as raw_rows
    from {{ raw_source('finance', 'raw_fx_rates') }}
    union all
    select
        'raw_automation_costs' as raw_table,
        count(*) as raw_rows
    from {{ raw_source('finance', 'raw_automation_costs') }}

),

final as (

    select
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as invocation_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as built_at,
        raw_table,
        cast(raw_rows as {{ dbt.type_bigint() }}) as raw_rows

    from raw_rows_counted

)

select * from final
