{#-
    The flow steps each session reached: one row per session and flow_step
    that at least one of its events carries. is_last_step marks the step of
    the session's last event that has one (int_dm_sessions.last_step).
    Incremental on DuckDB like int_dm_sessions (macros/incremental.sql): a
    run rebuilds the steps of every thread with an event to rebuild.
-#}
{%- set cutoff = incremental_rebuild('thread_id', 'last_received_at') -%}

with

sessionized_events as (

    select * from {{ ref('int_dm_events_sessionized') }}
    where {{ in_threads_to_rebuild(cutoff) }}

),

sessions as (

    select * from {{ ref('int_dm_sessions') }}
    where {{ in_threads_to_rebuild(cutoff) }}

),

steps_aggregated as (

    select
        session_id,
        flow_step,
        count(*) as step_events,
        min(event_number) as first_event_number,
        min(occurred_at) as first_reached_at,
        max(occurred_at) as last_reached_at

    from sessionized_events
    where flow_step is not null
    group by
        session_id,
        flow_step

),

final as (

    select
        -- ids
        {{ dbt.hash(dbt.concat(['steps_aggregated.session_id', "'|'", 'steps_aggregated.flow_step'])) }}
            as session_step_id,
        steps_aggregated.session_id,
        sessions.thread_id,
        sessions.ig_user_id,

        -- session
        sessions.session_type,
        sessions.flow_name,
        sessions.entry_point,

        -- step
        steps_aggregated.flow_step,
        row_number() over (
            partition by steps_aggregated.session_id
            order by steps_aggregated.first_event_number
        ) as step_number,
        steps_aggregated.step_events,

        -- booleans
        coalesce(steps_aggregated.flow_step = sessions.last_step, false) as is_last_step,

        -- dates and timestamps
        sessions.started_date,
        sessions.started_at,
        steps_aggregated.first_reached_at,
        steps_aggregated.last_reached_at,
        sessions.last_received_at

    from steps_aggregated
    inner join sessions
        on steps_aggregated.session_id = sessions.session_id

)

select * from final
