{#-
    Valid orders whose currency has no exchange rate on or before their
    date: rejected (a missing rate is never a zero). One row per order.
-#}
with

{{ fx_rejects(
    'raw_orders', ref('stg_shop__orders'), ref('int_orders_fx_converted'), 'order_id', 'created_date',
    ['currency', 'created_date']
) }}

select * from final
