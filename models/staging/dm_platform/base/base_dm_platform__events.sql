{#-
    Every raw_dm_events row, parsed and validated (reject_reason null for a
    valid row). Incremental on DuckDB (macros/incremental.sql): a run reads
    the raw rows received at or after the cutoff (a cheap test on the raw
    text first skips those surely older), the rows whose
    received_at cannot be placed (unparseable or outside the plausible
    range: rejects that must still be loaded once) and appends those whose
    raw_row_key it does not hold yet. raw_row_key identifies a raw row by
    its content: a hash of every raw value plus the copy number among
    identical rows, so reading a row again (the lookback) never adds it
    twice and two identical deliveries stay two rows.
-#}
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
) }}

{%- set raw_events = raw_source('dm_platform', 'raw_dm_events') -%}
{%- set cutoff = incremental_cutoff('received_at', 'reject_reason is null') -%}

with

raw_rows as (

    select {{ raw_values_select('raw_dm_events') }}
    from {{ raw_events }}
    where {{ raw_event_rows_not_surely_older(cutoff) }}

),

-- computed once: the content hash of every raw row is most of a full build's CPU, and the
-- numbering below reads this CTE four times (DuckDB would inline it and hash each time)
raw_rows_to_read as {{ materialized_cte() }} (

    select
        *,
        {{ dbt.hash(dbt.concat(raw_value_fingerprint_parts('raw_dm_events'))) }} as raw_row_hash

    from raw_rows
    where {{ raw_event_rows_to_read(cutoff) }}

),

-- identical raw rows (the same delivery logged twice) are numbered
raw_rows_keyed as (

    {{ number_identical_rows('raw_rows_to_read', 'raw_row_hash', 'raw_copy_number') }}

),

raw_rows_with_key as (

    select
        *,
        raw_row_hash || '#' || cast(raw_copy_number as {{ dbt.type_string() }}) as raw_row_key

    from raw_rows_keyed

),

source as (

    select * from raw_rows_with_key
    where {{ not_loaded_yet('raw_rows_with_key.raw_row_key', cutoff) }}

),

parsed as (

    select
        -- ids
        raw_row_key,
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('thread_id') }} as thread_id,
        {{ clean_text('ig_user_id') }} as ig_user_id,
        {{ clean_text('agent_id') }} as agent_id,
        {{ clean_text('source_media_id') }} as source_media_id,

        -- enums, trimmed and lowercased
        {{ normalize_enum('event_type') }} as event_type,
        {{ normalize_enum('actor') }} as actor,
        {{ normalize_enum('entry_point') }} as entry_point,

        -- flow
        {{ normalize_enum('flow_name') }} as flow_name,
        {{ normalize_enum('flow_step') }} as flow_step,

        -- identifiers, normalised
        {{ normalize_handle('ig_handle') }} as ig_handle,
        {{ normalize_email('email') }} as email,
        {{ normalize_phone('phone') }} as phone,
        {{ clean_text('phone') }} as phone_raw,

        -- content
        message_text,
        {{ clean_text('buttons') }} as buttons,
        {{ clean_text('button_label') }} as button_label,
        {{ clean_text('link_url') }} as link_url,
        {{ url_parameter('link_url', 'utm_source') }} as link_utm_source,
        {{ url_parameter('link_url', 'utm_medium') }} as link_utm_medium,
        {{ url_parameter('link_url', 'utm_campaign') }} as link_utm_campaign,
        {{ url_parameter('link_url', 'utm_content') }} as link_utm_content,

        -- consent
        {{ parse_boolean('consent') }} as has_consent,
        {{ clean_text('consent') }} as consent_raw,
        {{ clean_text('consent_text_version') }} as consent_text_version,

        -- timestamps, UTC
        {{ parse_utc_timestamp('occurred_at') }} as occurred_at,
        {{ parse_utc_timestamp('received_at') }} as received_at,
        {{ clean_text('occurred_at') }} as occurred_at_raw,
        {{ clean_text('received_at') }} as received_at_raw

    from source

),

validated as (

    select
        *,
        case
            when event_id is null then 'missing event_id'
            when thread_id is null then 'missing thread_id'
            when event_type is null then 'missing event_type'
            when event_type not in (
                'trigger', 'message_in', 'message_out', 'message_read', 'button_click',
                'link_click', 'lead_submitted', 'handoff', 'resolved', 'opt_out'
            ) then 'unknown event_type: ' || event_type
            when actor is null then 'missing actor'
            when actor not in ('contact', 'bot', 'agent') then 'unknown actor: ' || actor
            -- who can do what: the customer's actions, the business's answers
            when
                event_type in ('message_in', 'message_read', 'button_click', 'link_click', 'lead_submitted', 'opt_out')
                and actor <> 'contact'
                then event_type || ' by ' || actor || ': only the customer (actor contact) does that'
            when event_type in ('message_out', 'handoff', 'resolved') and actor = 'contact'
                then event_type || ' by contact: only the bot or an agent does that'
            when event_type = 'trigger' and actor = 'agent'
                then 'trigger by agent: a trigger is the customer''s entry (contact) or the automation''s (bot)'
            when entry_point not in ('comment_to_dm', 'story_reply', 'keyword', 'ad', 'direct')
                then 'unknown entry_point: ' || entry_point
            when occurred_at is null then 'unparseable occurred_at: ' || coalesce(occurred_at_raw, '(empty)')
            when received_at is null then 'unparseable received_at: ' || coalesce(received_at_raw, '(empty)')
            when {{ is_implausible_timestamp('occurred_at') }}
                then {{ implausible_timestamp_reason('occurred_at', 'occurred_at_raw') }}
            when {{ is_implausible_timestamp('received_at') }}
                then {{ implausible_timestamp_reason('received_at', 'received_at_raw') }}
            when
                received_at
                < {{ dbt.dateadd('second', -1 * (var('max_received_before_occurred_seconds') | int), 'occurred_at') }}
                then 'received_at before occurred_at: ' || received_at_raw || ' < ' || occurred_at_raw
            when consent_raw is not null and has_consent is null then 'invalid consent boolean: ' || consent_raw
        end as reject_reason

    from parsed

)

select * from validated
