{{ select_rejects(
    'base_finance__automation_costs', 'raw_automation_costs', 'cost_key',
    ['amount_raw', 'currency']
) }}
