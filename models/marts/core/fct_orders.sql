{#-
    One row per convertible order (every order of stg_shop__orders except
    those rejected for a missing fx rate, which are in
    int_orders_fx_rejects), eligible or not, with its person, net revenue
    in the reporting currency, UTMs and attribution. Types are cast
    explicitly: the contract is enforced.
-#}
with

orders as (

    select * from {{ ref('int_orders_attributed') }}

),

final as (

    select
        -- ids
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(person_id as {{ dbt.type_string() }}) as person_id,
        cast(last_touch_session_id as {{ dbt.type_string() }}) as last_touch_session_id,
        cast(first_touch_session_id as {{ dbt.type_string() }}) as first_touch_session_id,
        cast(assisted_session_id as {{ dbt.type_string() }}) as assisted_session_id,

        -- attribution
        cast(attribution_type as {{ dbt.type_string() }}) as attribution_type,
        cast(utm_source as {{ dbt.type_string() }}) as utm_source,
        cast(utm_medium as {{ dbt.type_string() }}) as utm_medium,
        cast(utm_campaign as {{ dbt.type_string() }}) as utm_campaign,
        cast(utm_content as {{ dbt.type_string() }}) as utm_content,
        cast(utm_origin as {{ dbt.type_string() }}) as utm_origin,

        -- order
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(financial_status as {{ dbt.type_string() }}) as financial_status,
        cast(source_name as {{ dbt.type_string() }}) as source_name,

        -- amounts in the order currency
        cast(total_price as decimal(38, 6)) as total_price,
        cast(refunded_amount as decimal(38, 6)) as refunded_amount,

        -- conversion
        cast(fx_rate as decimal(38, 10)) as fx_rate,
        cast(fx_rate_date as date) as fx_rate_date,

        -- money in the reporting currency
        cast(gross_revenue as {{ type_money() }}) as gross_revenue,
        cast(refunded_revenue as {{ type_money() }}) as refunded_revenue,
        cast(net_revenue as {{ type_money() }}) as net_revenue,
        cast(attributed_revenue as {{ type_money() }}) as attributed_revenue,
        cast(assisted_revenue as {{ type_money() }}) as assisted_revenue,

        -- touches
        cast(touch_count as {{ dbt.type_bigint() }}) as touch_count,
        cast(assisting_sessions as {{ dbt.type_bigint() }}) as assisting_sessions,

        -- booleans
        cast(is_eligible as {{ dbt.type_boolean() }}) as is_eligible,
        cast(is_counted_order as {{ dbt.type_boolean() }}) as is_counted_order,
        cast(is_dm_attributed as {{ dbt.type_boolean() }}) as is_dm_attributed,
        cast(has_dm_utms as {{ dbt.type_boolean() }}) as has_dm_utms,
        cast(is_cancelled as {{ dbt.type_boolean() }}) as is_cancelled,

        -- dates and timestamps (UTC)
        cast(created_date as date) as created_date,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(cancelled_at as {{ dbt.type_timestamp() }}) as cancelled_at

    from orders

)

select * from final
