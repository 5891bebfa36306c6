{#-
    Every outbound message (message_out, bot or agent) with what the
    messaging policy checks it against:
    - the customer's last event in the thread at or before it (any event of
      actor contact except a read receipt, which is not a message to the
      business); the window is var('messaging_window_hours') for the bot and
      var('agent_messaging_window_hours') for agents (Meta's standard
      window and its human-agent extension);
    - the person's opt-out in force when it was sent: the latest withdrawal
      (a DM opt_out on any thread of the person, or a CRM opt-out at
      opted_out_at, else at the record's updated_at as dim_contacts does)
      at or before the message, unless a later consent (a consented
      lead_submitted, or a CRM consent_at), still at or before the
      message, lifted it. Opt-out and consent at the same instant: the
      consent wins, as in dim_contacts.
    Both are running maxima over one timeline per thread and per person:
    windows only, no message-to-event range join. Only the persons with a
    withdrawal or a consent have a timeline (about half the messages at a
    year of data); the others' messages have nothing in force. The
    messages carry their columns through the window (no join back). The thread side comes
    built from int_dm_outbound_messages (incremental by thread); the
    person timeline is computed here.
    Incremental by person on DuckDB (incremental_by_person in
    macros/incremental.sql): each row keeps its person's fingerprint
    (int_contacts_person_fingerprints); a daily run deletes the rows of
    the persons whose fingerprint changed and rebuilds those persons whole,
    their threads, timeline and rejects; a plain table on Spark.
    What the data proves and what it only suggests are kept apart, so that
    the error tests fire on proven violations only:
    - window_doubt_reason: a rejected event of the thread (stg rejects) that
      may be the customer's (actor not bot or agent, not a read receipt) and
      whose time is unknown or inside the window before the message: it
      may have opened the window;
    - opt_out_doubt_reason: the opt-out in force rests only on an assumed
      time (a CRM opted_out without opted_out_at, placed at updated_at), or
      a rejected lead_submitted of the person, of unknown time or between
      the opt-out and the message, may have been the consent that lifted it.
-#}
{%- set incremental_run = incremental_by_person("coalesce(stored.person_id, 'dm_thread:' || stored.thread_id)") -%}
{%- set message_columns = [
    'event_id', 'thread_id', 'person_id', 'agent_id', 'actor', 'flow_name', 'flow_step', 'has_link',
    'occurred_at', 'last_customer_event_at', 'person_key',
] -%}
{#- an incremental run: the persons to rebuild, their threads and CRM records -#}
{%- set rebuild_ctes -%}
-- an incremental run rebuilds the persons with messages and no row left
-- (the pre-hook deleted the rows whose person's fingerprint changed)
persons_to_rebuild as {{ materialized_cte() }} (

    select distinct coalesce(person_map.person_id, 'dm_thread:' || message_threads.thread_id) as person_key
    from (select distinct thread_id from {{ ref('int_dm_outbound_messages') }}) as message_threads
    left join person_map
        on
            person_map.node_type = 'dm_thread'
            and message_threads.thread_id = person_map.node_id
    where coalesce(person_map.person_id, 'dm_thread:' || message_threads.thread_id) not in (
        select distinct coalesce(person_id, 'dm_thread:' || thread_id) from {{ this }}
    )

),

-- their threads (those without messages too: an opt-out may lie there) and CRM records
threads_to_rebuild as {{ materialized_cte() }} (

    select person_map.node_id as thread_id
    from person_map
    inner join persons_to_rebuild
        on person_map.person_id = persons_to_rebuild.person_key
    where person_map.node_type = 'dm_thread'
    union all
    select substr(person_key, {{ 'dm_thread:' | length + 1 }}) as thread_id
    from persons_to_rebuild
    where person_key like 'dm_thread:%'

),

contacts_to_rebuild as (

    select person_map.node_id as contact_id
    from person_map
    inner join persons_to_rebuild
        on person_map.person_id = persons_to_rebuild.person_key
    where person_map.node_type = 'crm_contact'

),
{%- endset -%}

with

person_map as (

    select * from {{ ref('int_identity_person_map') }}

),

person_fingerprints as (

    select * from {{ ref('int_contacts_person_fingerprints') }}

),
{{ rebuild_ctes if incremental_run }}

-- the thread side (the customer's last event before each message) comes built
outbound_messages_tracked as (

    select * from {{ ref('int_dm_outbound_messages') }}
    where {{ in_rebuilt_persons(incremental_run, 'thread_id', 'threads_to_rebuild') }}

),

-- the few events the person timeline reads one by one: opt-outs and consented leads
timeline_events as (

    select * from {{ ref('stg_dm_platform__events') }}
    where
        (event_type = 'opt_out' or (event_type = 'lead_submitted' and coalesce(has_consent, false)))
        and {{ in_rebuilt_persons(incremental_run, 'thread_id', 'threads_to_rebuild') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}
    where {{ in_rebuilt_persons(incremental_run, 'contact_id', 'contacts_to_rebuild') }}

),

-- rejected rows that may have been the customer's: they can open a window or lift an opt-out
rejected_events as (

    select
        rejects.record_id,
        rejects.reject_reason,
        rejects.thread_id,
        rejects.event_type,
        coalesce(person_map.person_id, 'dm_thread:' || rejects.thread_id) as person_key,
        {{ parse_utc_timestamp('rejects.occurred_at_raw') }} as occurred_at

    from {{ ref('stg_dm_platform__events_rejects') }} as rejects
    left join person_map
        on
            person_map.node_type = 'dm_thread'
            and rejects.thread_id = person_map.node_id
    where
        rejects.thread_id is not null
        and coalesce(rejects.actor, '') not in ('bot', 'agent')
        and coalesce(rejects.event_type, '') <> 'message_read'
        and {{ in_rebuilt_persons(incremental_run, 'rejects.thread_id', 'threads_to_rebuild') }}

),

-- every outbound message with its person
outbound_messages as {{ inline_cte() }} (

    select
        messages.event_id,
        messages.thread_id,
        messages.agent_id,
        messages.actor,
        messages.flow_name,
        messages.flow_step,
        messages.has_link,
        messages.occurred_at,
        messages.last_customer_event_at,
        coalesce(person_map.person_id, 'dm_thread:' || messages.thread_id) as person_key,
        person_map.person_id

    from outbound_messages_tracked as messages
    left join person_map
        on
            person_map.node_type = 'dm_thread'
            and messages.thread_id = person_map.node_id

),

-- withdrawals and consents of each person: DM opt-outs and consented leads, CRM consents and opt-outs
person_events as (

    select
        coalesce(person_map.person_id, 'dm_thread:' || timeline_events.thread_id) as person_key,
        timeline_events.occurred_at,
        case when timeline_events.event_type = 'opt_out' then 'withdrawal' else 'consent' end as timeline_kind,
        false as is_assumed_time,
        'DM ' || timeline_events.event_type || ' ' || timeline_events.event_id as timeline_source,
        timeline_events.event_id

    from timeline_events
    left join person_map
        on
            person_map.node_type = 'dm_thread'
            and timeline_events.thread_id = person_map.node_id
    union all
    select
        coalesce(person_map.person_id, 'crm_contact:' || contacts.contact_id) as person_key,
        contacts.consent_at as occurred_at,
        'consent' as timeline_kind,
        false as is_assumed_time,
        'CRM record ' || contacts.contact_id || ' consent_at' as timeline_source,
        cast(null as {{ dbt.type_string() }}) as event_id
    from contacts
    left join person_map
        on
            person_map.node_type = 'crm_contact'
            and contacts.contact_id = person_map.node_id
    where contacts.consent_at is not null
    union all
    select
        coalesce(person_map.person_id, 'crm_contact:' || contacts.contact_id) as person_key,
        coalesce(contacts.opted_out_at, contacts.updated_at) as occurred_at,
        'withdrawal' as timeline_kind,
        contacts.opted_out_at is null as is_assumed_time,
        case
            when contacts.opted_out_at is null
                then
                    'CRM record ' || contacts.contact_id
                    || ' says opted_out without opted_out_at: its updated_at ('
                    || cast(contacts.updated_at as {{ dbt.type_string() }}) || ') is assumed'
            else 'CRM record ' || contacts.contact_id || ' opted_out_at'
        end as timeline_source,
        cast(null as {{ dbt.type_string() }}) as event_id
    from contacts
    left join person_map
        on
            person_map.node_type = 'crm_contact'
            and contacts.contact_id = person_map.node_id
    where contacts.is_opted_out

),

persons_with_events as (

    select distinct person_key
    from person_events

),

-- the messages of a person without any withdrawal or consent: nothing in force, no window needed
messages_without_person_events as (

    select outbound_messages.*
    from outbound_messages
    left join persons_with_events
        on outbound_messages.person_key = persons_with_events.person_key
    where persons_with_events.person_key is null

),

-- one timeline per person with events, the messages carrying their columns (no join back):
-- consents and withdrawals sort before a message of the same instant
person_timeline as (

    select
        person_key,
        occurred_at,
        timeline_kind,
        is_assumed_time,
        timeline_source,
        event_id,
        0 as kind_order,
        cast(null as {{ dbt.type_string() }}) as thread_id,
        cast(null as {{ dbt.type_string() }}) as person_id,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        cast(null as {{ dbt.type_string() }}) as actor,
        cast(null as {{ dbt.type_string() }}) as flow_name,
        cast(null as {{ dbt.type_string() }}) as flow_step,
        cast(null as boolean) as has_link,
        cast(null as {{ dbt.type_timestamp() }}) as last_customer_event_at
    from person_events
    union all
    select
        outbound_messages.person_key,
        outbound_messages.occurred_at,
        'message' as timeline_kind,
        false as is_assumed_time,
        cast(null as {{ dbt.type_string() }}) as timeline_source,
        outbound_messages.event_id,
        1 as kind_order,
        outbound_messages.thread_id,
        outbound_messages.person_id,
        outbound_messages.agent_id,
        outbound_messages.actor,
        outbound_messages.flow_name,
        outbound_messages.flow_step,
        outbound_messages.has_link,
        outbound_messages.last_customer_event_at
    from outbound_messages
    inner join persons_with_events
        on outbound_messages.person_key = persons_with_events.person_key

),

consent_state_tracked as (

    select
        *,
        max(case when timeline_kind = 'withdrawal' then occurred_at end) over (
            partition by person_key
            order by occurred_at, kind_order, event_id
            rows between unbounded preceding and current row
        ) as latest_withdrawal_at,
        max(case when timeline_kind = 'withdrawal' and not is_assumed_time then occurred_at end) over (
            partition by person_key
            order by occurred_at, kind_order, event_id
            rows between unbounded preceding and current row
        ) as latest_proven_withdrawal_at,
        {{ last_non_null("case when timeline_kind = 'withdrawal' then timeline_source end") }} over (
            partition by person_key
            order by occurred_at, kind_order, event_id
            rows between unbounded preceding and current row
        ) as latest_withdrawal_source,
        max(case when timeline_kind = 'consent' then occurred_at end) over (
            partition by person_key
            order by occurred_at, kind_order, event_id
            rows between unbounded preceding and current row
        ) as latest_consent_at

    from person_timeline

),

-- every message with the consent state in force when it was sent
messages_consent_state as (

    select
        {%- for column in message_columns %}
            {{ column }},
        {%- endfor %}
        latest_consent_at,
        case
            when latest_consent_at is null or latest_withdrawal_at > latest_consent_at
                then latest_withdrawal_at
        end as opt_out_in_force_at,
        case
            when latest_consent_at is null or latest_proven_withdrawal_at > latest_consent_at
                then latest_proven_withdrawal_at
        end as proven_opt_out_in_force_at,
        latest_withdrawal_source

    from consent_state_tracked
    where timeline_kind = 'message'
    union all
    select
        {%- for column in message_columns %}
            {{ column }},
        {%- endfor %}
        cast(null as {{ dbt.type_timestamp() }}) as latest_consent_at,
        cast(null as {{ dbt.type_timestamp() }}) as opt_out_in_force_at,
        cast(null as {{ dbt.type_timestamp() }}) as proven_opt_out_in_force_at,
        cast(null as {{ dbt.type_string() }}) as latest_withdrawal_source

    from messages_without_person_events

),

-- the first rejected event (by id) that may have opened the message's window
window_doubts as (

    select
        outbound_messages.event_id,
        min(rejected_events.record_id || ' (' || rejected_events.reject_reason || ')') as doubtful_event

    from outbound_messages
    inner join rejected_events
        on outbound_messages.thread_id = rejected_events.thread_id
    where
        rejected_events.occurred_at is null
        or (
            rejected_events.occurred_at <= outbound_messages.occurred_at
            and rejected_events.occurred_at >= {{ dbt.dateadd(
                'hour',
                "-1 * case when outbound_messages.actor = 'agent' then "
                ~ var('agent_messaging_window_hours', 168) ~ " else " ~ var('messaging_window_hours', 24) ~ " end",
                'outbound_messages.occurred_at'
            ) }}
        )
    group by outbound_messages.event_id

),

-- the first rejected lead of the person that may have been the consent lifting the opt-out in force
opt_out_doubts as (

    select
        messages_consent_state.event_id,
        min(rejected_events.record_id || ' (' || rejected_events.reject_reason || ')') as doubtful_event

    from messages_consent_state
    inner join rejected_events
        on messages_consent_state.person_key = rejected_events.person_key
    where
        messages_consent_state.proven_opt_out_in_force_at is not null
        and coalesce(rejected_events.event_type, 'lead_submitted') = 'lead_submitted'
        and (
            rejected_events.occurred_at is null
            or (
                rejected_events.occurred_at > messages_consent_state.proven_opt_out_in_force_at
                and rejected_events.occurred_at <= messages_consent_state.occurred_at
            )
        )
    group by messages_consent_state.event_id

),

final as (

    select
        -- ids
        messages_consent_state.event_id,
        messages_consent_state.thread_id,
        messages_consent_state.person_id,
        messages_consent_state.agent_id,

        -- message
        messages_consent_state.actor,
        messages_consent_state.flow_name,
        messages_consent_state.flow_step,
        case
            when messages_consent_state.actor = 'agent' then {{ var('agent_messaging_window_hours', 168) }}
            else {{ var('messaging_window_hours', 24) }}
        end as messaging_window_hours,
        {{ timestamp_diff_seconds(
            'messages_consent_state.last_customer_event_at', 'messages_consent_state.occurred_at'
        ) }} / 3600.0 as hours_since_customer_event,

        -- booleans
        messages_consent_state.has_link,
        messages_consent_state.opt_out_in_force_at is not null as is_after_opt_out,
        case
            when messages_consent_state.proven_opt_out_in_force_at is not null then 'proven'
            when messages_consent_state.opt_out_in_force_at is not null then 'assumed'
        end as opt_out_evidence,

        -- doubts: what the data cannot prove
        case
            when window_doubts.doubtful_event is not null
                then
                    'rejected event ' || window_doubts.doubtful_event
                    || ' of the thread may be the customer message that opened the window'
        end as window_doubt_reason,
        case
            when
                messages_consent_state.proven_opt_out_in_force_at is null
                and messages_consent_state.opt_out_in_force_at is not null
                then 'opt-out time assumed: ' || messages_consent_state.latest_withdrawal_source
            when opt_out_doubts.doubtful_event is not null
                then
                    'rejected event ' || opt_out_doubts.doubtful_event
                    || ' of the person may be a consent that lifted the opt-out'
        end as opt_out_doubt_reason,

        -- timestamps, UTC
        messages_consent_state.occurred_at,
        messages_consent_state.last_customer_event_at,
        messages_consent_state.opt_out_in_force_at,
        messages_consent_state.latest_consent_at,

        -- daily runs: the fingerprint of the person these rows were built from
        person_fingerprints.person_fingerprint

    from messages_consent_state
    left join person_fingerprints
        on messages_consent_state.person_key = person_fingerprints.person_key
    left join window_doubts
        on messages_consent_state.event_id = window_doubts.event_id
    left join opt_out_doubts
        on messages_consent_state.event_id = opt_out_doubts.event_id

)

select * from final
