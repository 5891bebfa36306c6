with

orders as (

    select * from {{ ref('base_shop__orders') }}
    where reject_reason is null and not coalesce(is_superseded, false)

),

utm_sets as (

    select
        *,
        coalesce(
            saved_utm_source, saved_utm_medium, saved_utm_campaign, saved_utm_content
        ) is not null as has_saved_utms,
        coalesce(
            landing_utm_source, landing_utm_medium, landing_utm_campaign, landing_utm_content
        ) is not null as has_landing_utms

    from orders

),

final as (

    select
        -- ids
        order_id,

        -- customer
        customer_email,
        customer_phone,
        customer_phone_raw,

        -- money, in the order currency
        currency,
        subtotal,
        discount_total,
        shipping_total,
        tax_total,
        total_price,
        coalesce(refunded_amount, 0) as refunded_amount,
        financial_status,

        -- channel
        landing_site,
        source_name,

        -- order UTMs: the saved set when any saved column is present, else the landing_site set
        case when has_saved_utms then saved_utm_source else landing_utm_source end as utm_source,
        case when has_saved_utms then saved_utm_medium else landing_utm_medium end as utm_medium,
        case when has_saved_utms then saved_utm_campaign else landing_utm_campaign end as utm_campaign,
        case when has_saved_utms then saved_utm_content else landing_utm_content end as utm_content,
        case
            when has_saved_utms then 'saved'
            when has_landing_utms then 'landing_site'
        end as utm_origin,

        -- flags
        customer_phone_raw is not null and customer_phone is null as is_phone_invalid,
        cancelled_at is not null as is_cancelled,
        version_count,

        -- timestamps, UTC
        created_at,
        cancelled_at,
        cast(created_at as date) as created_date

    from utm_sets

)

select * from final
