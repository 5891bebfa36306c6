{#-
    Orders with net revenue in the reporting currency. An order converts at
    the rate of its UTC date, or the latest earlier rate of its currency;
    the reporting currency converts at 1. Orders whose currency has no rate
    on or before their date are not here: they are in
    int_orders_fx_rejects, with the reason.
-#}
with

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

rates as (

    select * from {{ ref('int_fx_rates_ranged') }}

),

with_rate as (

    select
        orders.*,
        {{ fx_rate_columns('orders.currency', 'orders.created_date') }}

    from orders
    left join rates
        on {{ fx_rate_join_condition('orders.currency', 'orders.created_date') }}

),

final as (

    select
        order_id,
        customer_email,
        customer_phone,
        currency,
        total_price,
        refunded_amount,
        financial_status,
        source_name,
        landing_site,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_origin,
        fx_rate,
        fx_rate_date,
        total_price * fx_rate as gross_revenue,
        refunded_amount * fx_rate as refunded_revenue,
        (total_price - refunded_amount) * fx_rate as net_revenue,
        is_cancelled,
        financial_status in ('paid', 'partially_refunded', 'refunded') and not is_cancelled as is_eligible,
        coalesce(utm_source = 'dm' and utm_medium = 'chat', false) as has_dm_utms,
        created_at,
        cancelled_at,
        created_date

    from with_rate
    where fx_rate is not null

)

select * from final
