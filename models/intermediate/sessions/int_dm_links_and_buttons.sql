{#-
    The links and buttons of automated sessions, one row per item:
    link_message (an outbound message that carried a link), link_click,
    button_offer (an outbound message x one label it offered: a message
    offering three labels is three offers; a label repeated in one message
    is one offer, whatever its case) and button_tap. A link is the URL without its query
    string and fragment; a label is trimmed and matched to taps case-
    insensitively. A click or tap takes the flow step of the latest earlier
    message of its session that carried that link / offered that label
    (is_matched); without one it keeps its own step. The match is a join
    of each click / tap to the earlier messages of its session with that
    link / label (a handful), not a window over every message: at a year
    of data the offers are millions of rows. Flow = the session's
    flow, period = the session's start (a per-session measure). So the
    items add up to the engagement tile: link messages and clicks to
    link_ctr's denominator and numerator, taps to button_ctr's numerator.
    Incremental on DuckDB like int_dm_sessions (macros/incremental.sql): a
    run rebuilds the items of every thread with an event to rebuild.
-#}
{%- set cutoff = incremental_rebuild('thread_id', 'last_received_at') -%}
{%- set unknown = "'(unknown)'" -%}
{%- set no_step = "'(none)'" -%}
{%- set item_label = "coalesce(items.button_label, '')" -%}
{%- set link_of_url = dbt.split_part(dbt.split_part('link_url', "'?'", 1), "'#'", 1) -%}

with

sessionized_events as {{ rebuild_cte(cutoff) }} (

    select * from {{ ref('int_dm_events_sessionized') }}
    where {{ in_threads_to_rebuild(cutoff) }}

),

sessions as (

    select * from {{ ref('int_dm_sessions') }}
    where {{ in_threads_to_rebuild(cutoff) }}

),

-- labels live in staging only (the sessionized table does not carry them)
event_texts as {{ rebuild_cte(cutoff) }} (

    select
        event_id,
        buttons,
        button_label

    from {{ ref('stg_dm_platform__events') }}
    where
        (
            (event_type = 'message_out' and buttons is not null)
            or event_type = 'button_click'
        )
        and {{ in_threads_to_rebuild(cutoff) }}

),

events as {{ rebuild_cte(cutoff) }} (

    select
        event_id,
        session_id,
        event_number,
        event_type,
        flow_step,
        link_url,
        has_link,
        has_buttons

    from sessionized_events
    where
        session_type = 'automated'
        and (
            event_type in ('link_click', 'button_click')
            or (event_type = 'message_out' and (has_link or has_buttons))
        )

),

link_events as {{ inline_cte() }} (

    select
        event_id,
        session_id,
        event_number,
        case when event_type = 'message_out' then 'link_message' else 'link_click' end as item_type,
        coalesce(flow_step, {{ no_step }}) as flow_step,
        coalesce(nullif(trim({{ link_of_url }}), ''), {{ unknown }}) as link

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

-- one offer per message and label (case-insensitive), empty parts dropped
button_offers as {{ inline_cte() }} (

    select
        event_id,
        session_id,
        event_number,
        coalesce(flow_step, {{ no_step }}) as flow_step,
        min(trim(offered_label)) as button_label,
        lower(trim(offered_label)) as label_key

    from offered_labels
    where trim(offered_label) <> ''
    group by
        event_id,
        session_id,
        event_number,
        coalesce(flow_step, {{ no_step }}),
        lower(trim(offered_label))

),

button_taps as {{ inline_cte() }} (

    select
        events.event_id,
        events.session_id,
        events.event_number,
        coalesce(events.flow_step, {{ no_step }}) as flow_step,
        coalesce(nullif(trim(event_texts.button_label), ''), {{ unknown }}) as button_label,
        lower(coalesce(nullif(trim(event_texts.button_label), ''), {{ unknown }})) as label_key

    from events
    left join event_texts
        on events.event_id = event_texts.event_id
    where events.event_type = 'button_click'

),

-- each click / tap with the earlier messages of its session that carried
-- its link / offered its label, the latest first
click_candidates as (

    select
        clicks.event_id,
        messages.flow_step,
        row_number() over (
            partition by clicks.event_id
            order by messages.event_number desc
        ) as recency

    from link_events as clicks
    inner join link_events as messages
        on
            clicks.session_id = messages.session_id
            and clicks.link = messages.link
            and clicks.event_number > messages.event_number
    where
        clicks.item_type = 'link_click'
        and messages.item_type = 'link_message'

),

tap_candidates as (

    select
        button_taps.event_id,
        button_offers.flow_step,
        button_offers.button_label,
        row_number() over (
            partition by button_taps.event_id
            order by button_offers.event_number desc
        ) as recency

    from button_taps
    inner join button_offers
        on
            button_taps.session_id = button_offers.session_id
            and button_taps.label_key = button_offers.label_key
            and button_taps.event_number > button_offers.event_number

),

items as (

    select
        link_events.event_id,
        link_events.session_id,
        link_events.item_type,
        coalesce(click_candidates.flow_step, link_events.flow_step) as flow_step,
        link_events.link,
        cast(null as {{ dbt.type_string() }}) as button_label,
        case when link_events.item_type = 'link_click' then click_candidates.event_id is not null end as is_matched

    from link_events
    left join click_candidates
        on
            link_events.event_id = click_candidates.event_id
            and link_events.item_type = 'link_click'
            and click_candidates.recency = 1
    union all
    select
        event_id,
        session_id,
        'button_offer' as item_type,
        flow_step,
        cast(null as {{ dbt.type_string() }}) as link,
        button_label,
        cast(null as boolean) as is_matched

    from button_offers
    union all
    select
        button_taps.event_id,
        button_taps.session_id,
        'button_tap' as item_type,
        coalesce(tap_candidates.flow_step, button_taps.flow_step) as flow_step,
        cast(null as {{ dbt.type_string() }}) as link,
        coalesce(tap_candidates.button_label, button_taps.button_label) as button_label,
        tap_candidates.event_id is not null as is_matched

    from button_taps
    left join tap_candidates
        on
            button_taps.event_id = tap_candidates.event_id
            and tap_candidates.recency = 1

),

final as (

    select
        -- ids
        {{ dbt.hash(dbt.concat(['items.event_id', "'|'", 'items.item_type', "'|'", item_label])) }} as item_id,
        items.event_id,
        items.session_id,
        sessions.thread_id,

        -- item
        items.item_type,
        coalesce(sessions.flow_name, {{ unknown }}) as flow_name,
        items.flow_step,
        items.link,
        items.button_label,

        -- booleans
        items.is_matched,

        -- dates and timestamps
        sessions.started_date,
        sessions.last_received_at

    from items
    inner join sessions
        on items.session_id = sessions.session_id

)

select * from final
