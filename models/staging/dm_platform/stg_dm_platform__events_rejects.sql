{{ select_rejects(
    'base_dm_platform__events', 'raw_dm_events', 'event_id',
    ['thread_id', 'event_type', 'actor', 'occurred_at_raw', 'received_at_raw']
) }}
