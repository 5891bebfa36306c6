{{ select_rejects(
    'base_finance__fx_rates', 'raw_fx_rates', 'rate_key',
    ['rate_date_raw', 'rate_to_reporting_raw']
) }}
