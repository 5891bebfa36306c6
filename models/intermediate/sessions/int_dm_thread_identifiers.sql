{#-
    The identifiers each DM thread showed, with when it showed them: one row
    per thread, identifier type and value. Handle and ig_user_id come from
    any event, email and phone from lead_submitted events only (a number
    typed in a chat message is not a lead's identifier). The events are
    grouped by thread, handle and ig_user_id once, before the unpivot, so
    the wide union reads one row per thread and handle pair, not per event.
    Read by int_identity_identifiers and int_contacts_identifiers_survived
    instead of the events.
    Incremental on DuckDB (macros/incremental.sql): a run rebuilds every
    thread holding a copy of an event received since its cutoff (read from
    thread_last_received_at), after the pre-hook deleted the thread's rows;
    a plain table on Spark.
-#}
{%- set cutoff = incremental_rebuild('thread_id', 'thread_last_received_at') -%}

with

events as {{ rebuild_cte(cutoff) }} (

    select * from {{ ref('stg_dm_platform__events') }}
    where {{ in_threads_to_rebuild(cutoff) }}

),

threads_received as (

    select
        thread_id,
        max(received_at) as thread_last_received_at

    from events
    group by thread_id

),

thread_handles_seen as (

    select
        thread_id,
        ig_handle,
        ig_user_id,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at

    from events
    where ig_handle is not null or ig_user_id is not null
    group by thread_id, ig_handle, ig_user_id

),

sightings as (

    select
        thread_id,
        'handle' as identifier_type,
        ig_handle as identifier_value,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from thread_handles_seen
    where ig_handle is not null
    group by thread_id, ig_handle
    union all
    select
        thread_id,
        'ig_user_id' as identifier_type,
        ig_user_id as identifier_value,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from thread_handles_seen
    where ig_user_id is not null
    group by thread_id, ig_user_id
    union all
    select
        thread_id,
        'email' as identifier_type,
        email as identifier_value,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at
    from events
    where event_type = 'lead_submitted' and email is not null
    group by thread_id, email
    union all
    select
        thread_id,
        'phone' as identifier_type,
        phone as identifier_value,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at
    from events
    where event_type = 'lead_submitted' and phone is not null
    group by thread_id, phone

),

final as (

    select
        -- ids
        sightings.thread_id || '|' || sightings.identifier_type || ':' || sightings.identifier_value
            as thread_identifier_key,
        sightings.thread_id,

        -- identifier
        sightings.identifier_type,
        sightings.identifier_value,

        -- timestamps, UTC
        sightings.first_seen_at,
        sightings.last_seen_at,
        threads_received.thread_last_received_at

    from sightings
    inner join threads_received
        on sightings.thread_id = threads_received.thread_id

)

select * from final
