{#-
    The links and buttons of automated sessions, one row per item:
    link_message (an outbound message that carried a link), link_click,
    button_offer (an outbound message x one label it offered: a message
    offering three labels is three offers; a label repeated in one message
    is one offer, whatever its case) and button_tap. A link is the URL without its query
    string and fragment; a label is trimmed and matched to taps case-
    insensitively. A click or tap takes the flow step of the latest earlier
    message of its session that carried that link / offered that label
    (is_matched); without one it keeps its own step. Flow = the session's
    flow, period = the session's start (a per-session measure). So the
    items add up to the engagement tile: link messages and clicks to
    link_ctr's denominator and numerator, taps to button_ctr's numerator.
-#}
{%- set unknown = "'(unknown)'" -%}
{%- set no_step = "'(none)'" -%}
{%- set link_message_step = "case when item_type = 'link_message' then coalesce(flow_step, " ~ no_step ~ ") end" -%}
{%- set offer_step = "case when item_type = 'button_offer' then coalesce(flow_step, " ~ no_step ~ ") end" -%}
{%- set item_label = "coalesce(items.button_label, '')" -%}
{%- set offer_label = "case when item_type = 'button_offer' then button_label end" -%}

with

sessionized_events as (

    select * from {{ ref('int_dm_events_sessionized') }}

),

sessions as (

    select * from {{ ref('int_dm_sessions') }}

),

-- labels live in staging only (the sessionized table does not carry them)
event_texts as (

    select
        event_id,
        buttons,
        button_label

    from {{ ref('stg_dm_platform__events') }}
    where event_type in ('message_out', 'button_click')

),

events as (

    select
        sessionized_events.event_id,
        sessionized_events.session_id,
        sessionized_events.event_number,
        sessionized_events.event_type,
        sessionized_events.flow_step,
        sessionized_events.link_url,
        sessionized_events.has_link,
        sessionized_events.has_buttons

    from sessionized_events
    where
        sessionized_events.session_type = 'automated'
        and (
            sessionized_events.event_type in ('link_click', 'button_click')
            or (
                sessionized_events.event_type = 'message_out'
                and (sessionized_events.has_link or sessionized_events.has_buttons)
            )
        )

),

link_events as (

    select
        event_id,
        session_id,
        event_number,
        case when event_type = 'message_out' then 'link_message' else 'link_click' end as item_type,
        flow_step,
        coalesce(
            nullif(trim({{ dbt.split_part(dbt.split_part('link_url', "'?'", 1), "'#'", 1) }}), ''),
            {{ unknown }}
        ) as link

    from events
    where
        (event_type = 'message_out' and has_link)
        or event_type = 'link_click'

),

offered_labels as (

    select
        events.event_id,
        events.session_id,
        events.event_number,
        events.flow_step,
        {{ split_to_rows('event_texts.buttons', '|') }} as offered_label

    from events
    inner join event_texts
        on events.event_id = event_texts.event_id
    where
        events.event_type = 'message_out'
        and events.has_buttons

),

button_events as (

    select
        event_id,
        session_id,
        event_number,
        'button_offer' as item_type,
        flow_step,
        min(trim(offered_label)) as button_label,
        lower(trim(offered_label)) as label_key

    from offered_labels
    where trim(offered_label) <> ''
    group by
        event_id,
        session_id,
        event_number,
        flow_step,
        lower(trim(offered_label))
    union all
    select
        events.event_id,
        events.session_id,
        events.event_number,
        'button_tap' as item_type,
        events.flow_step,
        coalesce(nullif(trim(event_texts.button_label), ''), {{ unknown }}) as button_label,
        lower(coalesce(nullif(trim(event_texts.button_label), ''), {{ unknown }})) as label_key

    from events
    left join event_texts
        on events.event_id = event_texts.event_id
    where events.event_type = 'button_click'

),

-- the latest earlier message with the same link / label: a running
-- "last non-null" over the session's items of that link / label
links_matched as (

    select
        *,
        {{ last_non_null(link_message_step) }} over session_link_so_far as message_flow_step

    from link_events
    window session_link_so_far as (
        partition by session_id, link
        order by event_number
        rows between unbounded preceding and current row
    )

),

buttons_matched as (

    select
        *,
        {{ last_non_null(offer_step) }} over session_label_so_far as message_flow_step,
        {{ last_non_null(offer_label) }} over session_label_so_far as offered_button_label

    from button_events
    window session_label_so_far as (
        partition by session_id, label_key
        order by event_number
        rows between unbounded preceding and current row
    )

),

items as (

    select
        event_id,
        session_id,
        item_type,
        coalesce(message_flow_step, flow_step, {{ no_step }}) as flow_step,
        link,
        cast(null as {{ dbt.type_string() }}) as button_label,
        case when item_type = 'link_click' then message_flow_step is not null end as is_matched

    from links_matched
    union all
    select
        event_id,
        session_id,
        item_type,
        coalesce(message_flow_step, flow_step, {{ no_step }}) as flow_step,
        cast(null as {{ dbt.type_string() }}) as link,
        coalesce(offered_button_label, button_label) as button_label,
        case when item_type = 'button_tap' then message_flow_step is not null end as is_matched

    from buttons_matched

),

final as (

    select
        -- ids
        {{ dbt.hash(dbt.concat(['items.event_id', "'|'", 'items.item_type', "'|'", item_label])) }} as item_id,
        items.event_id,
        items.session_id,

        -- item
        items.item_type,
        coalesce(sessions.flow_name, {{ unknown }}) as flow_name,
        items.flow_step,
        items.link,
        items.button_label,

        -- booleans
        items.is_matched,

        -- dates
        sessions.started_date

    from items
    inner join sessions
        on items.session_id = sessions.session_id

)

select * from final
