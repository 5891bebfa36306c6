{#-
    Every outbound message (message_out, bot or agent) with the customer's
    last event in the thread at or before it (any event of actor contact
    except a read receipt, which is not a message to the business): the
    thread side of the messaging policy, read by dq_outbound_messages, which
    adds the person's opt-out and the doubts. A running maximum over the
    thread's events (occurred_at, then event_id): no message-to-event join.
    Incremental on DuckDB (macros/incremental.sql): a run rebuilds the
    messages of every thread holding a copy of an event received since its
    cutoff (read from received_at), from all the thread's events, after the
    pre-hook deleted the thread's rows; a plain table on Spark.
-#}
{%- set cutoff = incremental_rebuild('thread_id', 'received_at') -%}

with

events as (

    select
        event_id,
        thread_id,
        agent_id,
        actor,
        event_type,
        flow_name,
        flow_step,
        has_link,
        occurred_at,
        received_at

    from {{ ref('stg_dm_platform__events') }}
    where {{ in_threads_to_rebuild(cutoff) }}

),

customer_events_tracked as (

    select
        *,
        max(
            case when actor = 'contact' and event_type <> 'message_read' then occurred_at end
        ) over (
            partition by thread_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as last_customer_event_at

    from events

),

final as (

    select
        -- ids
        event_id,
        thread_id,
        agent_id,

        -- message
        actor,
        flow_name,
        flow_step,

        -- booleans
        has_link,

        -- timestamps, UTC
        occurred_at,
        last_customer_event_at,
        received_at

    from customer_events_tracked
    where event_type = 'message_out'

)

select * from final
