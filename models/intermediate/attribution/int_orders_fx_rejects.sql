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
        case
            when first_rates.currency is null
                then 'no fx rate for currency ' || orders.currency
            else
                'no fx rate for ' || orders.currency || ' on or before '
                || cast(orders.created_date as {{ dbt.type_string() }})
        end as reject_reason,
        orders.currency,
        orders.created_date

    from orders
    left join converted on orders.order_id = converted.order_id
    left join first_rates on orders.currency = first_rates.currency
    where converted.order_id is null

)

select * from final
