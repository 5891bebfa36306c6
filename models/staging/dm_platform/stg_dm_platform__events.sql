with

events as (

    select * from {{ ref('base_dm_platform__events') }}
    where reject_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by event_id
            order by received_at, occurred_at, thread_id
        ) as delivery_number,
        count(*) over (partition by event_id) as delivery_count

    from events

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

    from ranked
    where delivery_number = 1

)

select * from final
