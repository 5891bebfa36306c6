{{ select_rejects(
    'base_shop__orders', 'raw_orders', 'order_id',
    ['currency', 'financial_status', 'total_price_raw', 'created_at_raw']
) }}
