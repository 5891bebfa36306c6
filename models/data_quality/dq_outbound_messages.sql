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
    windows only, no message-to-event range join. The thread window sorts
    only the narrow columns it needs; messages are joined to its result by
    event_id.
-#}

with

events as {{ inline_cte() }} (

    select * from {{ ref('stg_dm_platform__events') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

person_map as (

    select * from {{ ref('int_identity_person_map') }}

),

-- only the events the rules read get a person: messages, opt-outs, leads
events_with_person as (

    select
        events.event_id,
        events.thread_id,
        events.agent_id,
        events.actor,
        events.event_type,
        events.flow_name,
        events.flow_step,
        events.has_link,
        events.has_consent,
        events.occurred_at,
        coalesce(person_map.person_id, 'dm_thread:' || events.thread_id) as person_key,
        person_map.person_id

    from events
    left join person_map
        on
            person_map.node_type = 'dm_thread'
            and events.thread_id = person_map.node_id
    where events.event_type in ('message_out', 'opt_out', 'lead_submitted')

),

-- the running maximum sorts the five narrow columns it needs, not whole events
customer_events_tracked as (

    select
        event_id,
        event_type,
        max(
            case when actor = 'contact' and event_type <> 'message_read' then occurred_at end
        ) over (
            partition by thread_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as last_customer_event_at

    from events

),

outbound_messages as (

    select
        events_with_person.*,
        customer_events_tracked.last_customer_event_at

    from events_with_person
    inner join customer_events_tracked
        on events_with_person.event_id = customer_events_tracked.event_id
    where events_with_person.event_type = 'message_out'

),

crm_timeline_events as (

    select
        coalesce(person_map.person_id, 'crm_contact:' || contacts.contact_id) as person_key,
        contacts.consent_at as occurred_at,
        'consent' as timeline_kind
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
        'withdrawal' as timeline_kind
    from contacts
    left join person_map
        on
            person_map.node_type = 'crm_contact'
            and contacts.contact_id = person_map.node_id
    where contacts.is_opted_out

),

-- one timeline per person: consents and withdrawals sort before a message of the same instant
person_timeline as (

    select
        person_key,
        occurred_at,
        timeline_kind,
        cast(null as {{ dbt.type_string() }}) as event_id,
        0 as kind_order
    from crm_timeline_events
    union all
    select
        person_key,
        occurred_at,
        case
            when event_type = 'opt_out' then 'withdrawal'
            when event_type = 'lead_submitted' and has_consent then 'consent'
        end as timeline_kind,
        event_id,
        0 as kind_order
    from events_with_person
    where event_type = 'opt_out' or (event_type = 'lead_submitted' and has_consent)
    union all
    select
        person_key,
        occurred_at,
        'message' as timeline_kind,
        event_id,
        1 as kind_order
    from events_with_person
    where event_type = 'message_out'

),

consent_state_tracked as (

    select
        *,
        max(case when timeline_kind = 'withdrawal' then occurred_at end) over (
            partition by person_key
            order by occurred_at, kind_order, event_id
            rows between unbounded preceding and current row
        ) as latest_withdrawal_at,
        max(case when timeline_kind = 'consent' then occurred_at end) over (
            partition by person_key
            order by occurred_at, kind_order, event_id
            rows between unbounded preceding and current row
        ) as latest_consent_at

    from person_timeline

),

messages_consent_state as (

    select
        event_id,
        latest_consent_at,
        case
            when latest_consent_at is null or latest_withdrawal_at > latest_consent_at
                then latest_withdrawal_at
        end as opt_out_in_force_at

    from consent_state_tracked
    where timeline_kind = 'message'

),

final as (

    select
        -- ids
        outbound_messages.event_id,
        outbound_messages.thread_id,
        outbound_messages.person_id,
        outbound_messages.agent_id,

        -- message
        outbound_messages.actor,
        outbound_messages.flow_name,
        outbound_messages.flow_step,
        case
            when outbound_messages.actor = 'agent' then {{ var('agent_messaging_window_hours', 168) }}
            else {{ var('messaging_window_hours', 24) }}
        end as messaging_window_hours,
        {{ timestamp_diff_seconds(
            'outbound_messages.last_customer_event_at', 'outbound_messages.occurred_at'
        ) }} / 3600.0 as hours_since_customer_event,

        -- booleans
        outbound_messages.has_link,
        messages_consent_state.opt_out_in_force_at is not null as is_after_opt_out,

        -- timestamps, UTC
        outbound_messages.occurred_at,
        outbound_messages.last_customer_event_at,
        messages_consent_state.opt_out_in_force_at,
        messages_consent_state.latest_consent_at

    from outbound_messages
    inner join messages_consent_state
        on outbound_messages.event_id = messages_consent_state.event_id

)

select * from final
