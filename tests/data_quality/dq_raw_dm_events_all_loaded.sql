{#-
    Nothing silently dropped by an incremental run (error): every row of
    raw_dm_events is a row of base_dm_platform__events. An incremental run
    reads the raw rows received since its cutoff (the latest receive time
    it has loaded minus var('incremental_lookback_hours')); a row written
    to the export later than that, with an older received_at, is never
    read, and a row removed from the export stays loaded. Either way the
    counts differ and this test names them: run `dbt build --full-refresh`
    (and raise incremental_lookback_hours if the receiver writes that
    late). Counting a Parquet glob reads only file footers; a full build
    passes by construction.
-#}
{{ config(severity='error', tags=['data_quality']) }}

with

raw_rows as (

    select count(*) as raw_rows
    from {{ raw_source('dm_platform', 'raw_dm_events') }}

),

loaded_rows as (

    select count(*) as loaded_rows
    from {{ ref('base_dm_platform__events') }}

)

select
    raw_rows.raw_rows,
    loaded_rows.loaded_rows,
    case
        when raw_rows.raw_rows > loaded_rows.loaded_rows
            then
                cast(raw_rows.raw_rows - loaded_rows.loaded_rows as {{ dbt.type_string() }})
                || ' raw event rows were never loaded (received before the incremental cutoff):'
                || ' run dbt build --full-refresh, and raise incremental_lookback_hours'
        else
            cast(loaded_rows.loaded_rows - raw_rows.raw_rows as {{ dbt.type_string() }})
            || ' loaded event rows are no longer in the export (removed or edited):'
            || ' run dbt build --full-refresh'
    end as reason

from raw_rows
cross join loaded_rows
where raw_rows.raw_rows <> loaded_rows.loaded_rows
