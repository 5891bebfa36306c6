{{ config(materialized='view') }}

{%- set raw_orders = raw_source('shop', 'raw_orders') -%}
{%- set amount_columns = [
    'subtotal', 'discount_total', 'shipping_total', 'tax_total', 'total_price', 'refunded_amount'
] -%}

with

source as (

    select {{ raw_values_select('raw_orders') }}
    from {{ raw_orders }}

),

parsed as (

    select
        -- ids
        {{ clean_text('order_id') }} as order_id,

        -- customer, normalised
        {{ normalize_email('customer_email') }} as customer_email,
        {{ normalize_phone('customer_phone') }} as customer_phone,
        {{ clean_text('customer_phone') }} as customer_phone_raw,

        -- money
        {{ normalize_currency('currency') }} as currency,
        {%- for column in amount_columns %}
            {{ parse_amount(column) }} as {{ column }},
            {{ clean_text(column) }} as {{ column }}_raw,
        {%- endfor %}
        {{ normalize_enum('financial_status') }} as financial_status,

        -- channel
        {{ clean_text('landing_site') }} as landing_site,
        {{ normalize_enum('source_name') }} as source_name,

        -- UTMs saved on the order
        {{ normalize_utm('utm_source') }} as saved_utm_source,
        {{ normalize_utm('utm_medium') }} as saved_utm_medium,
        {{ normalize_utm('utm_campaign') }} as saved_utm_campaign,
        {{ normalize_utm('utm_content') }} as saved_utm_content,

        -- UTMs parsed from landing_site
        {{ url_parameter('landing_site', 'utm_source') }} as landing_utm_source,
        {{ url_parameter('landing_site', 'utm_medium') }} as landing_utm_medium,
        {{ url_parameter('landing_site', 'utm_campaign') }} as landing_utm_campaign,
        {{ url_parameter('landing_site', 'utm_content') }} as landing_utm_content,

        -- timestamps, UTC
        {{ parse_utc_timestamp('created_at') }} as created_at,
        {{ parse_utc_timestamp('cancelled_at') }} as cancelled_at,
        {{ clean_text('created_at') }} as created_at_raw,
        {{ clean_text('cancelled_at') }} as cancelled_at_raw

    from source

),

validated as (

    select
        *,
        case
            when order_id is null then 'missing order_id'
            when created_at is null then 'unparseable created_at: ' || coalesce(created_at_raw, '(empty)')
            when {{ is_implausible_timestamp('created_at') }}
                then {{ implausible_timestamp_reason('created_at', 'created_at_raw') }}
            when cancelled_at_raw is not null and cancelled_at is null
                then 'unparseable cancelled_at: ' || cancelled_at_raw
            when currency is null then 'missing currency'
            when financial_status is null then 'missing financial_status'
            when financial_status not in ('pending', 'paid', 'partially_refunded', 'refunded', 'voided')
                then 'unknown financial_status: ' || financial_status
            {%- for column in amount_columns %}
                when {{ column }}_raw is not null and {{ column }} is null
                    then 'unparseable {{ column }}: ' || {{ column }}_raw
                when {{ column }} < 0 then 'negative {{ column }}: ' || {{ column }}_raw
            {%- endfor %}
            when total_price is null then 'missing total_price'
            when refunded_amount is null and financial_status in ('partially_refunded', 'refunded')
                then 'missing refunded_amount on a ' || financial_status || ' order'
            -- a refund of nothing: the status says money went back, the amount says none did
            when refunded_amount = 0 and financial_status in ('partially_refunded', 'refunded')
                then 'refunded_amount 0 on a ' || financial_status || ' order'
            when refunded_amount > total_price then 'refunded_amount exceeds total_price'
        end as contract_reject_reason

    from parsed

),

-- Rows of one order_id: the earliest created_at is the order; rows with
-- that created_at are exported versions of it (a daily export repeats an
-- order that was refunded or cancelled since) and the most advanced state
-- stands for it: cancelled, then the largest refund, then the later status.
-- The versions it supersedes are kept here (is_superseded), not rejected.
-- A row with another created_at is another order under the same id: a
-- reject.
ranked as (

    select
        *,
        row_number() over (
            partition by order_id, contract_reject_reason is null
            order by
                created_at asc,
                case when cancelled_at is not null then 0 else 1 end asc,
                coalesce(refunded_amount, 0) desc,
                case financial_status
                    when 'voided' then 1
                    when 'refunded' then 2
                    when 'partially_refunded' then 3
                    when 'paid' then 4
                    else 5
                end asc,
                created_at_raw asc,
                total_price_raw asc,
                cancelled_at_raw asc
        ) as record_number,
        min(created_at) over (partition by order_id, contract_reject_reason is null) as order_created_at,
        count(*) over (partition by order_id, contract_reject_reason is null, created_at) as version_count

    from validated

),

final as (

    select
        *,
        contract_reject_reason is null and record_number > 1 and created_at = order_created_at as is_superseded,
        coalesce(
            contract_reject_reason,
            case when record_number > 1 and created_at > order_created_at then 'duplicate order_id' end
        ) as reject_reason

    from ranked

)

select * from final
