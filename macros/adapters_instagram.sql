{#-
    Instagram messaging webhooks + the automation's own log -> raw_dm_events
    (format instagram_webhooks_ndjson; docs/native_formats.md has the
    mapping tables and what each source carries).

    Two files under raw_path, both one JSON object per line:
    - instagram_webhooks.ndjson (or instagram_webhooks/*.ndjson): what the
      webhook receiver logs, each line either the bare delivery body
      {"object": "instagram", "entry": [...]} or a wrapper
      {"received_at": "<ISO-8601 or epoch ms>", "body": {...}}. Read:
      entry[].messaging[] and entry[].standby[] items, entry[].changes[]
      and the flat field/value shapes (on the entry, or as the whole body:
      the App Dashboard's test payloads).
    - automation_log.ndjson (or automation_log/*.ndjson): lines the flows
      write through an HTTP step: what webhooks do not carry (flow and
      step, which keyword fired, link clicks from the link redirect, leads
      with consent, handoff, resolved, opt-out).

    Rules in short (the docs say why):
    - thread_id = ig_user_id = the customer's Instagram-scoped id (IGSID):
      the sender, or the recipient of an echo.
    - A log 'trigger' line names the flow that started; it is matched to
      the webhook event that fired it (the thread's comment, story reply,
      referral or message nearest before it within
      var instagram_log_match_seconds, of the log's entry_point when it
      names one). That webhook event becomes the trigger; a log trigger
      without one is a trigger of its own (e.g. a keyword whose message
      the receiver missed). A comment or a standalone referral that started
      no flow is not a DM event and gives no row; a story reply or an ad
      reply that started none stays a message_in.
    - Every other webhook event takes the flow and step of the thread's
      latest log line naming a flow at or before it (within
      session_timeout_hours); a step line's buttons go to the first bot
      message_out of the step.
    - Events without an id of their own (read, reaction, referral,
      handover, postbacks before v11) get 'ig-<kind>-' || md5(IGSID,
      timestamp, the mid they refer to, their payload): the same for every
      retried delivery. Log lines without an id get 'log-' || md5 of their
      fields (received_at aside).
    - Retried deliveries stay as rows with the same event_id: staging keeps
      the earliest received_at (stg_dm_platform__events).
    - What has no contract meaning travels with an event_type staging
      rejects with its reason (reaction, handover back to the automation,
      a line that is not JSON, a delivery for another object).
-#}

{#- Meta's times as ISO-8601 UTC text: 13 digits epoch ms (messaging), 9-10 digits epoch s (changes, test payloads, numbers or strings); ISO text passes; anything else unchanged (staging rejects it). Dispatched. -#}
{% macro instagram_time_to_iso(expr) -%}
    {{ return(adapter.dispatch('instagram_time_to_iso', 'dm_roi')(expr)) }}
{%- endmacro %}

{% macro default__instagram_time_to_iso(expr) -%}
    case
        when regexp_full_match(trim({{ expr }}), '[0-9]{13}')
            then strftime(make_timestamp(cast(trim({{ expr }}) as bigint) * 1000), '%Y-%m-%dT%H:%M:%S.%gZ')
        when regexp_full_match(trim({{ expr }}), '[0-9]{9,10}')
            then strftime(make_timestamp(cast(trim({{ expr }}) as bigint) * 1000000), '%Y-%m-%dT%H:%M:%SZ')
        else nullif(trim({{ expr }}), '')
    end
{%- endmacro %}

{#- Digit tests rather than rlike '^...$' (Java lets '$' match before a trailing newline; DuckDB's full match does not). -#}
{% macro spark__instagram_time_to_iso(expr) -%}
    case
        when length(trim({{ expr }})) = 13 and not trim({{ expr }}) rlike '[^0-9]'
            then date_format(to_utc_timestamp(timestamp_millis(cast(trim({{ expr }}) as bigint)), current_timezone()), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        when length(trim({{ expr }})) in (9, 10) and not trim({{ expr }}) rlike '[^0-9]'
            then date_format(to_utc_timestamp(timestamp_seconds(cast(trim({{ expr }}) as bigint)), current_timezone()), "yyyy-MM-dd'T'HH:mm:ss'Z'")
        else nullif(trim({{ expr }}), '')
    end
{%- endmacro %}


{#-
    The elements of the JSON array at path of json_expr, one row each, as
    a FROM-clause fragment written after the relation: alias.item is the
    element's JSON text. No row when the array is absent. Dispatched
    (DuckDB unnest of json_extract; Spark lateral view explode of
    from_json array<string>, which keeps each object as its JSON text).
-#}
{% macro json_array_rows(json_expr, path, alias) -%}
    {{ return(adapter.dispatch('json_array_rows', 'dm_roi')(json_expr, path, alias)) }}
{%- endmacro %}

{% macro default__json_array_rows(json_expr, path, alias) -%}
    , unnest(json_extract({{ json_expr }}, '{{ path }}[*]')) as {{ alias }} (item)
{%- endmacro %}

{% macro spark__json_array_rows(json_expr, path, alias) -%}
    lateral view explode(from_json(get_json_object({{ json_expr }}, '{{ path }}'), 'array<string>')) {{ alias }} as item
{%- endmacro %}


{#-
    The button labels a message offers in its template attachments (button
    template payload.buttons[], generic template payload.elements[].buttons[]),
    joined by '|'; null without any. Read on echoes: what the business sent.
    Dispatched.
-#}
{% macro instagram_template_buttons(item_expr) -%}
    {{ return(adapter.dispatch('instagram_template_buttons', 'dm_roi')(item_expr)) }}
{%- endmacro %}

{% macro default__instagram_template_buttons(item_expr) -%}
    nullif(array_to_string(list_concat(
        json_extract_string({{ item_expr }}, '$.message.attachments[*].payload.buttons[*].title'),
        json_extract_string({{ item_expr }}, '$.message.attachments[*].payload.elements[*].buttons[*].title')
    ), '|'), '')
{%- endmacro %}

{#- In DuckDB's order: every attachment's payload.buttons, then every attachment's payload.elements[].buttons. -#}
{% macro spark__instagram_template_buttons(item_expr) -%}
    {%- set attachments -%}
        from_json(
            get_json_object({{ item_expr }}, '$.message.attachments'),
            'array<struct<payload:struct<buttons:array<struct<title:string>>,elements:array<struct<buttons:array<struct<title:string>>>>>>>'
        )
    {%- endset -%}
    nullif(concat_ws('|',
        flatten(transform({{ attachments }}, a -> coalesce(transform(a.payload.buttons, b -> b.title), array()))),
        flatten(transform({{ attachments }}, a -> coalesce(
            flatten(transform(a.payload.elements, e -> coalesce(transform(e.buttons, b -> b.title), array()))), array()
        )))
    ), '')
{%- endmacro %}


{#- The webhook fields whose value is one messaging item (flat test payloads, messaging_handover changes). -#}
{% macro instagram_messaging_fields() -%}
    {{ return(['messages', 'messaging_postbacks', 'messaging_seen', 'message_reactions', 'messaging_referral', 'messaging_handover', 'standby']) }}
{%- endmacro %}


{#- var instagram_automation_app_id as text; the run stops without it (echoes could not tell the bot from an agent). -#}
{% macro instagram_automation_app_id() -%}
    {%- set app_id = var('instagram_automation_app_id', none) -%}
    {%- if not app_id -%}
        {{ exceptions.raise_compiler_error(
            "raw_formats reads raw_dm_events as instagram_webhooks_ndjson: set var instagram_automation_app_id to the "
            ~ "app id of the automation (the app_id of its message echoes), so its echoes are the bot and others an agent"
        ) }}
    {%- endif -%}
    {{ return(app_id | string) }}
{%- endmacro %}


{% macro default__raw_adapter_instagram_webhooks_ndjson(raw_path) -%}
    {%- do instagram_automation_app_id() -%}
    {%- set webhooks = native_file_location(raw_path, 'instagram_webhooks_ndjson') -%}
    {%- set log = native_file_location(raw_path, 'automation_log_ndjson') -%}
    {{ return(instagram_dm_events_select(
        native_ndjson_lines(webhooks, 'instagram_webhooks'), native_ndjson_lines(log, 'automation_log')
    )) }}
{%- endmacro %}


{#- Same select over external text tables (make test-spark compares it with DuckDB's). -#}
{% macro spark__raw_adapter_instagram_webhooks_ndjson(raw_path) -%}
    {%- do instagram_automation_app_id() -%}
    {%- set webhooks = native_file_location(raw_path, 'instagram_webhooks_ndjson') -%}
    {%- set log = native_file_location(raw_path, 'automation_log_ndjson') -%}
    {{ return(instagram_dm_events_select(
        native_ndjson_lines(webhooks, 'instagram_webhooks'), native_ndjson_lines(log, 'automation_log')
    )) }}
{%- endmacro %}


{% macro instagram_dm_events_select(webhook_lines, log_lines) -%}
    {%- set app_id = instagram_automation_app_id() -%}
    {%- set match_seconds = var('instagram_log_match_seconds', 60) | int -%}
    {%- set context_hours = var('session_timeout_hours', 24) | int -%}
    {%- set s = dbt.type_string() -%}
    {%- set t = json_text -%}
    {%- set messaging_fields = "('" ~ instagram_messaging_fields() | join("', '") ~ "')" -%}
    (
        with

        webhook_lines as (

            select
                source_file || ':' || cast(line_number as {{ s }}) as line_ref,
                {{ json_is_object('line') }} as is_json,
                {# JSON functions read only valid lines (DuckDB raises on invalid JSON) #}
                case when {{ json_is_object('line') }} then line end as doc
            from {{ webhook_lines }} as native_lines

        ),

        bodies as (

            {# a line is the bare body, or {"received_at": ..., "body": {...}} #}
            select
                line_ref,
                is_json,
                case when {{ json_is_object(t('doc', '$.body')) }} then {{ t('doc', '$.body') }} else doc end as body,
                {{ instagram_time_to_iso(t('doc', '$.received_at')) }} as line_received_at
            from webhook_lines

        ),

        delivery_facts as (

            select
                *,
                {{ t('body', '$.object') }} as object_type,
                {{ t('body', '$.field') }} as flat_field
            from bodies

        ),

        entries as (

            select
                deliveries.line_ref,
                deliveries.line_received_at,
                cast(entry_rows.item as {{ s }}) as entry
            from delivery_facts as deliveries {{ json_array_rows('deliveries.body', '$.entry', 'entry_rows') }}
            where deliveries.object_type = 'instagram'

        ),

        entry_facts as (

            select
                line_ref,
                line_received_at,
                entry,
                {{ t('entry', '$.id') }} as account_id,
                {{ instagram_time_to_iso(t('entry', '$.time')) }} as entry_time,
                {{ t('entry', '$.field') }} as entry_field
            from entries

        ),

        changes as (

            {# entry[].changes[], a flat field/value on the entry, or a flat body (the dashboard's test payloads) #}
            select line_ref, line_received_at, account_id, entry_time, field, case when {{ json_is_object('raw_value') }} then raw_value end as change_value
            from (
                select
                    entry_facts.line_ref,
                    entry_facts.line_received_at,
                    entry_facts.account_id,
                    entry_facts.entry_time,
                    {{ t('cast(change_rows.item as ' ~ s ~ ')', '$.field') }} as field,
                    {{ t('cast(change_rows.item as ' ~ s ~ ')', '$.value') }} as raw_value
                from entry_facts {{ json_array_rows('entry_facts.entry', '$.changes', 'change_rows') }}
                union all
                select line_ref, line_received_at, account_id, entry_time, entry_field, {{ t('entry', '$.value') }}
                from entry_facts
                where entry_field is not null
                union all
                select line_ref, line_received_at, null, null, flat_field, {{ t('body', '$.value') }}
                from delivery_facts
                where is_json and object_type is null and flat_field is not null
            ) as change_rows_all

        ),

        messaging_items as (

            select
                entry_facts.line_ref,
                entry_facts.line_received_at,
                entry_facts.account_id,
                entry_facts.entry_time,
                cast(messaging_rows.item as {{ s }}) as item
            from entry_facts {{ json_array_rows('entry_facts.entry', '$.messaging', 'messaging_rows') }}
            union all
            {# standby: the app is not in control of the thread (handover protocol); same items #}
            select
                entry_facts.line_ref,
                entry_facts.line_received_at,
                entry_facts.account_id,
                entry_facts.entry_time,
                cast(standby_rows.item as {{ s }}) as item
            from entry_facts {{ json_array_rows('entry_facts.entry', '$.standby', 'standby_rows') }}
            union all
            select line_ref, line_received_at, account_id, entry_time, change_value
            from changes
            where field in {{ messaging_fields }}

        ),

        messaging_parsed as (

            select
                line_ref,
                item,
                coalesce(line_received_at, entry_time) as delivery_received_at,
                {{ t('item', '$.sender.id') }} as sender_id,
                {{ t('item', '$.recipient.id') }} as recipient_id,
                {{ instagram_time_to_iso(t('item', '$.timestamp')) }} as occurred_at,
                account_id,
                lower(coalesce({{ t('item', '$.message.is_echo') }}, 'false')) = 'true' as is_echo,
                case
                    when {{ t('item', '$.message') }} is not null then
                        case
                            when lower(coalesce({{ t('item', '$.message.is_echo') }}, 'false')) = 'true' then 'echo'
                            when coalesce({{ t('item', '$.message.reply_to.story.id') }}, {{ t('item', '$.message.reply_to.story.url') }}) is not null
                                then 'story_reply'
                            when {{ t('item', '$.message.referral') }} is not null then 'message_referral'
                            when {{ t('item', '$.message.quick_reply.payload') }} is not null then 'quick_reply'
                            else 'message'
                        end
                    when {{ t('item', '$.postback') }} is not null then 'postback'
                    when {{ t('item', '$.read') }} is not null then 'read'
                    when {{ t('item', '$.reaction') }} is not null then 'reaction'
                    when {{ t('item', '$.referral') }} is not null then 'referral'
                    when {{ t('item', '$.pass_thread_control') }} is not null then 'pass_thread_control'
                    when {{ t('item', '$.take_thread_control') }} is not null then 'take_thread_control'
                    else 'unknown'
                end as kind,
                coalesce({{ t('item', '$.message.referral.ad_id') }}, {{ t('item', '$.referral.ad_id') }}) as ad_id,
                upper(coalesce({{ t('item', '$.message.referral.source') }}, {{ t('item', '$.referral.source') }})) as referral_source,
                coalesce(
                    {{ t('item', '$.pass_thread_control.new_owner_app_id') }},
                    {{ t('item', '$.take_thread_control.new_owner_app_id') }}
                ) as new_owner_app_id,
                coalesce(
                    {{ t('item', '$.pass_thread_control.previous_owner_app_id') }},
                    {{ t('item', '$.take_thread_control.previous_owner_app_id') }}
                ) as previous_owner_app_id
            from messaging_items

        ),

        messaging_events as (

            select
                line_ref,
                occurred_at,
                coalesce(delivery_received_at, occurred_at) as received_at,
                {# the customer: the sender, or the recipient when the business account sent it (echo) #}
                case when is_echo or sender_id = account_id then recipient_id else sender_id end as customer_id,
                kind,
                case
                    when kind in ('echo', 'story_reply', 'message_referral', 'quick_reply', 'message')
                        then {{ t('item', '$.message.mid') }}
                    when kind = 'postback' then {{ t('item', '$.postback.mid') }}
                end as own_id,
                {# what an event without an id refers to: the message read or reacted to, the referral, the handover #}
                coalesce(
                    {{ t('item', '$.read.mid') }},
                    {{ t('item', '$.reaction.mid') }} || '|' || coalesce({{ t('item', '$.reaction.action') }}, '')
                    || '|' || coalesce({{ t('item', '$.reaction.reaction') }}, ''),
                    {{ t('item', '$.referral.ref') }} || '|' || coalesce({{ t('item', '$.referral.ad_id') }}, ''),
                    {{ t('item', '$.referral.ad_id') }},
                    {{ t('item', '$.postback.payload') }},
                    new_owner_app_id,
                    ''
                ) as refers_to,
                case kind
                    when 'echo' then case when {{ t('item', '$.message.app_id') }} = '{{ app_id }}' then 'bot' else 'agent' end
                    when 'pass_thread_control' then case when previous_owner_app_id = '{{ app_id }}' then 'bot' else 'agent' end
                    when 'take_thread_control' then 'agent'
                    else 'contact'
                end as actor,
                case
                    when kind = 'echo' and coalesce({{ t('item', '$.message.app_id') }}, '') <> '{{ app_id }}'
                        then {{ t('item', '$.message.app_id') }}
                    when kind in ('pass_thread_control', 'take_thread_control') and coalesce(previous_owner_app_id, '') <> '{{ app_id }}'
                        then previous_owner_app_id
                    when kind = 'take_thread_control' then new_owner_app_id
                end as agent_id,
                case
                    when kind = 'echo' then 'message_out'
                    when kind in ('quick_reply', 'postback') then 'button_click'
                    when kind = 'read' then 'message_read'
                    when kind in ('pass_thread_control', 'take_thread_control')
                        then case when new_owner_app_id = '{{ app_id }}' then 'handover back to the automation' else 'handoff' end
                    when kind in ('story_reply', 'message_referral', 'message') then 'message_in'
                    when kind = 'referral' then 'referral'
                    when kind = 'reaction' then 'reaction'
                    else 'messaging item without a known event'
                end as event_type,
                case
                    when kind = 'story_reply' then 'story_reply'
                    when kind in ('message_referral', 'referral') then case when ad_id is not null or referral_source = 'ADS' then 'ad' else 'direct' end
                    when kind = 'message' then 'keyword'
                end as entry_point,
                case
                    when kind = 'story_reply' then {{ t('item', '$.message.reply_to.story.id') }}
                    when kind in ('message_referral', 'referral') then ad_id
                end as source_media_id,
                {{ t('item', '$.message.text') }} as message_text,
                case
                    when kind = 'quick_reply' then {{ t('item', '$.message.text') }}
                    when kind = 'postback' then {{ t('item', '$.postback.title') }}
                end as button_label,
                case when kind = 'echo' then nullif({{ regex_extract(t('item', '$.message.text'), '(https?://[^ ]+)', 1) }}, '') end as link_url,
                case when kind = 'echo' then {{ instagram_template_buttons('item') }} end as template_buttons
            from messaging_parsed

        ),

        comment_events as (

            select
                line_ref,
                {# a change has no time of its own: the entry's (epoch seconds), else the receiver's #}
                coalesce(entry_time, line_received_at) as occurred_at,
                coalesce(line_received_at, entry_time) as received_at,
                {{ t('change_value', '$.from.id') }} as customer_id,
                'comment' as kind,
                {{ t('change_value', '$.id') }} as own_id,
                '' as refers_to,
                'contact' as actor,
                cast(null as {{ s }}) as agent_id,
                'comment' as event_type,
                'comment_to_dm' as entry_point,
                {{ t('change_value', '$.media.id') }} as source_media_id,
                {{ t('change_value', '$.text') }} as message_text,
                cast(null as {{ s }}) as button_label,
                cast(null as {{ s }}) as link_url,
                {{ t('change_value', '$.from.username') }} as ig_handle,
                cast(null as {{ s }}) as template_buttons
            from changes
            where
                field in ('comments', 'live_comments')
                {# a comment by the account itself (a public reply) is not a customer's entry #}
                and coalesce({{ t('change_value', '$.from.id') }}, '') <> coalesce(account_id, '~')

        ),

        webhook_events as (

            select
                line_ref,
                coalesce(own_id, 'ig-' || kind || '-' || md5(
                    coalesce(customer_id, '') || '|' || coalesce(occurred_at, '') || '|' || refers_to
                )) as event_id,
                occurred_at,
                received_at,
                customer_id as thread_id,
                customer_id as ig_user_id,
                cast(null as {{ s }}) as ig_handle,
                actor,
                agent_id,
                kind,
                event_type,
                entry_point,
                source_media_id,
                message_text,
                button_label,
                link_url,
                template_buttons,
                {{ parse_utc_timestamp('occurred_at') }} as occurred_ts
            from messaging_events
            union all
            select
                line_ref,
                coalesce(own_id, 'ig-comment-' || md5(coalesce(customer_id, '') || '|' || coalesce(occurred_at, ''))),
                occurred_at,
                received_at,
                customer_id,
                customer_id,
                ig_handle,
                actor,
                agent_id,
                kind,
                event_type,
                entry_point,
                source_media_id,
                message_text,
                button_label,
                link_url,
                template_buttons,
                {{ parse_utc_timestamp('occurred_at') }}
            from comment_events

        ),

        log_lines as (

            select
                source_file || ':' || cast(line_number as {{ s }}) as line_ref,
                {{ json_is_object('line') }} as is_json,
                case when {{ json_is_object('line') }} then line end as doc
            from {{ log_lines }} as native_lines

        ),

        log_parsed as (

            select
                line_ref,
                is_json,
                {{ t('doc', '$.id') }} as own_id,
                {{ instagram_time_to_iso(t('doc', '$.time')) }} as occurred_at,
                {{ instagram_time_to_iso(t('doc', '$.received_at')) }} as log_received_at,
                {{ t('doc', '$.ig_user_id') }} as ig_user_id,
                {{ t('doc', '$.ig_handle') }} as ig_handle,
                lower(trim({{ t('doc', '$.event') }})) as log_event,
                {{ t('doc', '$.flow') }} as flow_name,
                {{ t('doc', '$.step') }} as flow_step,
                {{ t('doc', '$.keyword') }} as keyword,
                lower(trim({{ t('doc', '$.entry_point') }})) as entry_point,
                {{ t('doc', '$.buttons') }} as buttons,
                {{ t('doc', '$.url') }} as link_url,
                {{ t('doc', '$.email') }} as email,
                {{ t('doc', '$.phone') }} as phone,
                {{ t('doc', '$.consent') }} as consent,
                {{ t('doc', '$.consent_text_version') }} as consent_text_version,
                lower(trim({{ t('doc', '$.by') }})) as by_actor,
                {{ t('doc', '$.agent_id') }} as agent_id
            from log_lines

        ),

        log_events as (

            select
                *,
                coalesce(own_id, 'log-' || md5(
                    coalesce(ig_user_id, '') || '|' || coalesce(log_event, '') || '|' || coalesce(occurred_at, '') || '|'
                    || coalesce(flow_name, '') || '|' || coalesce(flow_step, '') || '|' || coalesce(link_url, '') || '|'
                    || coalesce(email, '') || '|' || coalesce(phone, '')
                )) as event_id,
                {{ parse_utc_timestamp('occurred_at') }} as occurred_ts
            from log_parsed
            where is_json

        ),

        entry_candidates as (

            {# one row per webhook event that can have started a flow (retried copies share it) #}
            select distinct event_id, thread_id, kind, entry_point, occurred_ts
            from webhook_events
            where kind in ('comment', 'story_reply', 'message_referral', 'referral', 'message') and occurred_ts is not null

        ),

        trigger_pairs as (

            {# each log trigger: the thread's entry nearest before it (else nearest after) within the match window #}
            select
                log_triggers.event_id as log_event_id,
                log_triggers.occurred_ts as logged_ts,
                candidates.event_id as webhook_event_id,
                row_number() over (
                    partition by log_triggers.event_id
                    order by
                        case when candidates.occurred_ts <= log_triggers.occurred_ts then 0 else 1 end,
                        case when candidates.occurred_ts <= log_triggers.occurred_ts then candidates.occurred_ts end desc,
                        candidates.occurred_ts,
                        candidates.event_id
                ) as candidate_rank
            from log_events as log_triggers
            inner join entry_candidates as candidates
                on log_triggers.ig_user_id = candidates.thread_id
                and candidates.occurred_ts >= {{ dbt.dateadd('second', -1 * match_seconds, 'log_triggers.occurred_ts') }}
                and candidates.occurred_ts <= {{ dbt.dateadd('second', match_seconds, 'log_triggers.occurred_ts') }}
                and (log_triggers.entry_point is null or log_triggers.entry_point = candidates.entry_point)
            where log_triggers.log_event = 'trigger'

        ),

        matched_triggers as (

            {# a webhook event fires one flow: the earliest log trigger that chose it #}
            select log_event_id, webhook_event_id
            from (
                select
                    log_event_id,
                    webhook_event_id,
                    row_number() over (partition by webhook_event_id order by logged_ts, log_event_id) as claim_rank
                from trigger_pairs
                where candidate_rank = 1
            ) as claims
            where claim_rank = 1

        ),

        log_context as (

            {# every log line that names a flow says where the thread is: a trigger at its first step #}
            select
                event_id as context_id,
                ig_user_id as thread_id,
                occurred_ts,
                flow_name,
                case when log_event = 'trigger' then coalesce(flow_step, 'trigger') else flow_step end as flow_step,
                case when log_event = 'step' then buttons end as buttons
            from log_events
            where flow_name is not null and occurred_ts is not null

        ),

        webhook_event_keys as (

            select distinct event_id, thread_id, occurred_ts
            from webhook_events
            where occurred_ts is not null

        ),

        webhook_context as (

            {# the thread's latest flow line at or before the event, within the session timeout #}
            select event_id, thread_id, occurred_ts, context_id, flow_name, flow_step, buttons
            from (
                select
                    keys.event_id,
                    keys.thread_id,
                    keys.occurred_ts,
                    context.context_id,
                    context.flow_name,
                    context.flow_step,
                    context.buttons,
                    row_number() over (
                        partition by keys.event_id, keys.thread_id, keys.occurred_ts
                        order by context.occurred_ts desc, context.context_id desc
                    ) as context_rank
                from webhook_event_keys as keys
                inner join log_context as context
                    on keys.thread_id = context.thread_id
                    and context.occurred_ts <= keys.occurred_ts
                    and context.occurred_ts > {{ dbt.dateadd('hour', -1 * context_hours, 'keys.occurred_ts') }}
            ) as ranked
            where context_rank = 1

        ),

        webhook_rows as (

            select
                events.*,
                matched.log_event_id is not null as is_trigger,
                coalesce(trigger_lines.flow_name, context.flow_name) as flow_name,
                case
                    when matched.log_event_id is not null then coalesce(trigger_lines.flow_step, 'trigger')
                    else context.flow_step
                end as flow_step,
                coalesce(events.ig_handle, trigger_lines.ig_handle) as trigger_ig_handle,
                context.context_id,
                context.buttons as context_buttons,
                trigger_lines.keyword
            from webhook_events as events
            left join matched_triggers as matched
                on events.event_id = matched.webhook_event_id
            left join log_events as trigger_lines
                on matched.log_event_id = trigger_lines.event_id
            left join webhook_context as context
                on events.event_id = context.event_id
                and events.thread_id = context.thread_id
                and events.occurred_ts = context.occurred_ts
            {# a comment or a referral that started no flow is not a DM event #}
            where matched.log_event_id is not null or events.kind not in ('comment', 'referral')

        ),

        webhook_contract as (

            select
                event_id,
                occurred_at,
                received_at,
                thread_id,
                ig_user_id,
                trigger_ig_handle as ig_handle,
                actor,
                agent_id,
                case when is_trigger then 'trigger' else event_type end as event_type,
                case when is_trigger then entry_point end as entry_point,
                case when is_trigger then source_media_id end as source_media_id,
                flow_name,
                flow_step,
                case when is_trigger then coalesce(message_text, keyword) else message_text end as message_text,
                coalesce(template_buttons, case
                    when event_type = 'message_out' and actor = 'bot'
                        and dense_rank() over (
                            partition by context_id, case when event_type = 'message_out' and actor = 'bot' then 1 else 0 end
                            order by occurred_ts, event_id
                        ) = 1
                        then context_buttons
                end) as buttons,
                button_label,
                link_url,
                cast(null as {{ s }}) as email,
                cast(null as {{ s }}) as phone,
                cast(null as {{ s }}) as consent,
                cast(null as {{ s }}) as consent_text_version
            from webhook_rows

        ),

        log_contract as (

            select
                event_id,
                occurred_at,
                coalesce(log_received_at, occurred_at) as received_at,
                ig_user_id as thread_id,
                ig_user_id,
                ig_handle,
                case when log_event in ('handoff', 'resolved') then coalesce(by_actor, 'bot') else 'contact' end as actor,
                agent_id,
                case
                    when log_event = 'lead' then 'lead_submitted'
                    else log_event
                end as event_type,
                case when log_event = 'trigger' then coalesce(entry_point, case when keyword is not null then 'keyword' else 'direct' end) end as entry_point,
                cast(null as {{ s }}) as source_media_id,
                flow_name,
                case when log_event = 'trigger' then coalesce(flow_step, 'trigger') else flow_step end as flow_step,
                case when log_event = 'trigger' then keyword end as message_text,
                cast(null as {{ s }}) as buttons,
                cast(null as {{ s }}) as button_label,
                link_url,
                email,
                phone,
                consent,
                consent_text_version
            from log_events
            {# step lines are context only; a trigger matched to its webhook event is that event #}
            where coalesce(log_event, '') <> 'step'
                and event_id not in (select log_event_id from matched_triggers)

        ),

        line_rejects as (

            {# a line that is not JSON, or a delivery for another object: a row staging rejects, named by file and line #}
            select
                line_ref as event_id,
                line_ref as thread_id,
                case
                    when not is_json then 'invalid json'
                    else 'delivery for object ' || coalesce(object_type, '(none)')
                end as event_type
            from delivery_facts
            where not is_json or (coalesce(object_type, '') <> 'instagram' and not (object_type is null and flat_field is not null))
            union all
            select line_ref, line_ref, 'invalid json'
            from log_lines
            where not is_json

        ),

        contract_rows as (

            select * from webhook_contract
            union all
            select * from log_contract
            union all
            select
                event_id,
                cast(null as {{ s }}),
                cast(null as {{ s }}),
                thread_id,
                cast(null as {{ s }}),
                cast(null as {{ s }}),
                cast(null as {{ s }}),
                cast(null as {{ s }}),
                event_type,
                {%- for _ in range(12) %}
                cast(null as {{ s }}){{ ',' if not loop.last }}
                {%- endfor %}
            from line_rejects

        )

        select
            {{ contract_select_list('raw_dm_events', {
                'event_id': 'event_id', 'occurred_at': 'occurred_at', 'received_at': 'received_at',
                'thread_id': 'thread_id', 'ig_user_id': 'ig_user_id', 'ig_handle': 'ig_handle',
                'actor': 'actor', 'agent_id': 'agent_id', 'event_type': 'event_type',
                'entry_point': 'entry_point', 'source_media_id': 'source_media_id',
                'flow_name': 'flow_name', 'flow_step': 'flow_step', 'message_text': 'message_text',
                'buttons': 'buttons', 'button_label': 'button_label', 'link_url': 'link_url',
                'email': 'email', 'phone': 'phone', 'consent': 'consent',
                'consent_text_version': 'consent_text_version',
            }) }}
        from contract_rows
    )
{%- endmacro %}
