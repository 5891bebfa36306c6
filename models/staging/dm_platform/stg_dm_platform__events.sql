{#-
    One row per valid event_id: its earliest delivery (received_at, then
    occurred_at, then thread_id), with delivery_count. Incremental on
    DuckDB (macros/incremental.sql): a run rebuilds every event_id with a
    valid copy received since the cutoff, from all its copies, after the
    pre-hook deleted those ids (an id whose new copy conflicts leaves
    staging).
-#}
{%- set cutoff = incremental_rebuild('event_id', 'received_at') -%}

with

events as {{ rebuild_cte(cutoff) }} (

    select * from {{ ref('base_dm_platform__events') }}
    where
        reject_reason is null
        and {{ in_event_ids_to_rebuild(cutoff) }}

),

-- Most event_ids arrive once: only the repeated ones need ranking, so the
-- window sorts the few duplicated deliveries, not every event. An id whose
-- copies describe different events (a conflict) is kept nowhere here: its
-- copies are rejects (stg_dm_platform__events_rejects).
repeated_event_ids as (

    {{ event_id_deliveries('events') }}

),

single_deliveries as (

    select
        events.*,
        1 as delivery_count,
        1 as delivery_number

    from events
    left join repeated_event_ids
        on events.event_id = repeated_event_ids.event_id
    where repeated_event_ids.event_id is null

),

repeated_deliveries_ranked as (

    select
        events.*,
        repeated_event_ids.delivery_count,
        row_number() over (
            partition by events.event_id
            order by events.received_at, events.occurred_at, events.thread_id
        ) as delivery_number

    from events
    inner join repeated_event_ids
        on events.event_id = repeated_event_ids.event_id
    where repeated_event_ids.variant_count = 1

),

deliveries_ranked as (

    select * from single_deliveries
    union all
    select * from repeated_deliveries_ranked

),

final as (

    select
        event_id,
        thread_id,
        ig_user_id,
        ig_handle,
        actor,
        agent_id,
        event_type,
        entry_point,
        source_media_id,
        flow_name,
        flow_step,
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
        has_consent,
        link_url is not null as has_link,
        buttons is not null as has_buttons,
        phone_raw is not null and phone is null as is_phone_invalid,
        occurred_at,
        received_at,
        cast(occurred_at as date) as occurred_date

    from deliveries_ranked
    where delivery_number = 1

)

select * from final
