{#-
    One row per DM thread with a valid event: when it was first and last
    active and how many events it holds. The DM side of identity and
    contacts reads threads here instead of every event (int_identity_nodes,
    int_contacts_identifiers_survived).
    Incremental on DuckDB (macros/incremental.sql): a run rebuilds every
    thread holding a copy of an event received since its cutoff (read from
    last_received_at), from all the thread's events, after the pre-hook
    deleted the thread's row; a plain table on Spark.
-#}
{%- set cutoff = incremental_rebuild('thread_id', 'last_received_at') -%}

with

events as (

    select * from {{ ref('stg_dm_platform__events') }}
    where {{ in_threads_to_rebuild(cutoff) }}

),

final as (

    select
        -- ids
        thread_id,

        -- counts
        count(*) as event_count,

        -- timestamps, UTC
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at,
        max(received_at) as last_received_at

    from events
    group by thread_id

)

select * from final
