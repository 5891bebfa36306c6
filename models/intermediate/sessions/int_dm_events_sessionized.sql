{#-
    Every valid DM event with its session. Events of a thread are ordered by
    occurred_at, then event_id. A session starts at every trigger, at the
    first event of a thread, and at an event that comes
    var('session_timeout_hours') or more after the previous event of the
    thread. Sessions are numbered by a running sum of those starts: windows
    only, no event is joined to another event.
-#}

with

events as (

    select * from {{ ref('stg_dm_platform__events') }}

),

previous_event_found as (

    select
        *,
        lag(occurred_at) over (
            partition by thread_id
            order by occurred_at, event_id
        ) as previous_occurred_at

    from events

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

sessions_numbered as (

    select
        *,
        sum(case when session_start_reason is not null then 1 else 0 end) over (
            partition by thread_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_number

    from session_starts_flagged

),

session_firsts_found as (

    select
        *,
        row_number() over (
            partition by thread_id, session_number
            order by occurred_at, event_id
        ) as event_number,
        first_value(event_id) over (
            partition by thread_id, session_number
            order by occurred_at, event_id
            rows between unbounded preceding and unbounded following
        ) as session_first_event_id,
        first_value(event_type) over (
            partition by thread_id, session_number
            order by occurred_at, event_id
            rows between unbounded preceding and unbounded following
        ) as session_first_event_type,
        min(occurred_at) over (
            partition by thread_id, session_number
        ) as session_started_at

    from sessions_numbered

),

final as (

    select
        -- ids
        event_id,
        {{ dbt.hash(dbt.concat(['thread_id', "'|'", 'session_first_event_id'])) }} as session_id,
        thread_id,
        ig_user_id,
        agent_id,
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
        ig_handle,
        message_text,
        buttons,
        button_label,
        link_url,
        link_utm_source,
        link_utm_medium,
        link_utm_campaign,
        link_utm_content,
        email,
        phone,
        phone_raw,
        consent_text_version,
        delivery_count,

        -- booleans
        has_consent,
        has_link,
        has_buttons,
        is_phone_invalid,

        -- dates and timestamps
        occurred_date,
        occurred_at,
        received_at,
        session_started_at

    from session_firsts_found

)

select * from final
