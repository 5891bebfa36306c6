{#-
    Rows of raw_dm_events that break the contract (base_dm_platform__events
    sets their reason), and every copy of an event_id whose copies describe
    different events (event_id_deliveries: a conflict, kept nowhere in
    staging).
-#}
{%- set context_columns = ['thread_id', 'event_type', 'actor', 'occurred_at_raw', 'received_at_raw'] -%}
{%- set conflicting_copies -%}
    select
        base_events.event_id,
        {{ event_id_conflict_reason('deliveries.delivery_count', 'deliveries.variant_count') }} as reject_reason,
        base_events.thread_id,
        base_events.event_type,
        base_events.actor,
        base_events.occurred_at_raw,
        base_events.received_at_raw
    from {{ ref('base_dm_platform__events') }} as base_events
    inner join ({{ event_id_deliveries(ref('base_dm_platform__events')) }}) as deliveries
        on base_events.event_id = deliveries.event_id
    where base_events.reject_reason is null and deliveries.variant_count > 1
{%- endset -%}
{{ select_rejects(
    'base_dm_platform__events', 'raw_dm_events', 'event_id', context_columns, extra_rejected=conflicting_copies
) }}
