{#-
    Every valid DM event with its session. Events of a thread are ordered by
    occurred_at, then event_id. A session starts at every trigger, at the
    first event of a thread, and at an event that comes
    var('session_timeout_hours') or more after the previous event of the
    thread. Sessions are numbered by a running sum of those starts, and the
    latest start at or before an event is its session's first event. The
    windows sort only the four columns that define the order (two window
    passes over one specification each); the event columns are joined back
    once, by event_id. No event is joined to another event. Only the event
    columns that the session, step, attribution and data-quality models read
    are carried (message text, buttons and the other display columns stay in
    stg_dm_platform__events, by event_id): this table is written and read at
    the size of every event.
    Incremental on DuckDB (macros/incremental.sql): a run re-sessionises
    every thread with an event to rebuild, from all of the thread's events,
    after the pre-hook deleted the thread's rows. Session ids do not depend
    on how many sessions came before (thread and first event), so a thread
    rebuilt with the same events gets the same ids.
-#}
{%- set cutoff = incremental_rebuild('thread_id', 'received_at') -%}

with

events as {{ rebuild_cte(cutoff) }} (

    select * from {{ ref('stg_dm_platform__events') }}
    where {{ in_threads_to_rebuild(cutoff) }}

),

-- The windows run on the four narrow columns that define the order; the
-- wide event columns are joined back once at the end (sorting all of them
-- with every window was most of this model's time).
event_keys as (

    select
        event_id,
        thread_id,
        event_type,
        occurred_at

    from events

),

previous_event_found as (

    select
        *,
        lag(occurred_at) over thread_order as previous_occurred_at,
        row_number() over thread_order as thread_event_number

    from event_keys
    window thread_order as (partition by thread_id order by occurred_at, event_id)

),

session_starts_flagged as (

    select
        *,
        case
            when event_type = 'trigger' then 'trigger'
            when previous_occurred_at is null then 'thread_start'
            when
                occurred_at >= {{ dbt.dateadd('second', session_timeout_seconds(), 'previous_occurred_at') }}
                then 'timeout'
        end as session_start_reason

    from previous_event_found

),

-- one window specification: the running count of starts numbers the
-- sessions; the latest start at or before each event is its session's first
-- event (its position, id, type and time)
sessions_numbered as (

    select
        *,
        sum(case when session_start_reason is not null then 1 else 0 end) over thread_so_far as session_number,
        max(case when session_start_reason is not null then thread_event_number end) over thread_so_far
            as session_first_thread_event_number,
        {{ last_non_null("case when session_start_reason is not null then event_id end") }} over thread_so_far
            as session_first_event_id,
        {{ last_non_null("case when session_start_reason is not null then event_type end") }} over thread_so_far
            as session_first_event_type,
        {{ last_non_null("case when session_start_reason is not null then occurred_at end") }} over thread_so_far
            as session_started_at

    from session_starts_flagged
    window thread_so_far as (
        partition by thread_id
        order by thread_event_number
        rows between unbounded preceding and current row
    )

),

session_firsts_found as (

    select
        events.*,
        sessions_numbered.previous_occurred_at,
        sessions_numbered.session_start_reason,
        sessions_numbered.session_number,
        sessions_numbered.thread_event_number - sessions_numbered.session_first_thread_event_number + 1
            as event_number,
        sessions_numbered.session_first_event_id,
        sessions_numbered.session_first_event_type,
        sessions_numbered.session_started_at

    from events
    inner join sessions_numbered
        on events.event_id = sessions_numbered.event_id

),

final as (

    select
        -- ids
        event_id,
        {{ dbt.hash(dbt.concat(['thread_id', "'|'", 'session_first_event_id'])) }} as session_id,
        thread_id,
        ig_user_id,
        source_media_id,

        -- session
        session_number,
        case
            when session_first_event_type = 'trigger' then 'automated'
            else 'organic'
        end as session_type,
        event_number,
        session_start_reason,
        {{ timestamp_diff_seconds('previous_occurred_at', 'occurred_at') }} as seconds_since_previous_event,

        -- event
        event_type,
        actor,
        entry_point,
        flow_name,
        flow_step,
        link_url,
        link_utm_source,
        link_utm_medium,
        link_utm_campaign,
        email,
        phone,
        consent_text_version,
        delivery_count,

        -- booleans
        has_consent,
        has_link,
        has_buttons,

        -- dates and timestamps
        occurred_at,
        received_at,
        session_started_at

    from session_firsts_found

)

select * from final
