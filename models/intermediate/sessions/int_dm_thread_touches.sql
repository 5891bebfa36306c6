{#-
    One row per DM thread with a valid raw copy of an event: when the thread
    was last touched, i.e. the latest received_at of a valid copy of any
    event_id the thread holds, whichever thread that copy names (a copy that
    conflicts can name another thread). A thread is to rebuild in a daily
    run exactly when it was touched at or after the run's cutoff, so the
    thread models read the threads to rebuild here (dm_threads_to_rebuild,
    a filter on this small table) instead of working them out from every
    raw copy, twice per model.
    Incremental on DuckDB (macros/incremental.sql): a run recomputes every
    thread touched since its cutoff from its copies and replaces its row
    (delete+insert on thread_id; a thread never loses a valid copy, the raw
    events being append-only). Exact: a rebuilt thread's latest touch is at
    or after the cutoff, from an event whose every copy names a rebuilt
    thread, so the copies of the other threads cannot change its maximum.
    A plain table on Spark.
-#}
{%- set cutoff = incremental_cutoff('last_touched_at') -%}
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='thread_id',
    on_schema_change='fail',
) }}

with

copies as (

    select
        event_id,
        thread_id,
        received_at

    from {{ ref('base_dm_platform__events') }}
    where
        reject_reason is null
        and {% if cutoff is none %}true{% else %}thread_id in ({{ dm_threads_touched_since(cutoff) }}){% endif %}

),

thread_events as (

    select distinct
        event_id,
        thread_id

    from copies

),

-- the latest valid copy of each event_id, in whichever thread
event_touches as (

    select
        event_id,
        max(received_at) as last_copy_received_at

    from copies
    group by event_id

),

final as (

    select
        -- ids
        thread_events.thread_id,

        -- timestamps, UTC
        max(event_touches.last_copy_received_at) as last_touched_at

    from thread_events
    inner join event_touches
        on thread_events.event_id = event_touches.event_id
    group by thread_events.thread_id

)

select * from final
