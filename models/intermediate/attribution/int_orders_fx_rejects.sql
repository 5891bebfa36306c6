{#-
    Valid orders whose currency has no exchange rate on or before their
    date: rejected (a missing rate is never a zero). One row per order.
-#}
with

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

converted as (

    select order_id from {{ ref('int_orders_converted') }}

),

first_rates as (

    select
        currency,
        min(valid_from) as first_rate_date

    from {{ ref('int_fx_rates_ranged') }}
    group by currency

),

final as (

    select
        'raw_orders' as raw_table,
        orders.order_id as record_id,
        {{ fx_reject_reason('orders.currency', 'orders.created_date') }} as reject_reason,
        orders.currency,
        orders.created_date

    from orders
    left join converted on orders.order_id = converted.order_id
    left join first_rates on orders.currency = first_rates.currency
    where converted.order_id is null

)

select * from final
