{#-
    Phones that were given but could not be normalised to E.164 (outside
    8-15 digits after the rules of macro normalize_phone): staging leaves
    them empty, so they link nothing; they are listed here to be counted and
    fixed at the source. One row per valid record carrying such a phone.
-#}

with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

events as (

    select * from {{ ref('stg_dm_platform__events') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

unioned as (

    select
        'raw_crm_contacts' as raw_table,
        'phone' as phone_column,
        contact_id as record_id,
        phone_raw
    from contacts
    where is_phone_invalid
    union all
    select
        'raw_dm_events' as raw_table,
        'phone' as phone_column,
        event_id as record_id,
        phone_raw
    from events
    where is_phone_invalid
    union all
    select
        'raw_orders' as raw_table,
        'customer_phone' as phone_column,
        order_id as record_id,
        customer_phone_raw as phone_raw
    from orders
    where is_phone_invalid

),

final as (

    select
        raw_table || ':' || record_id as invalid_phone_id,
        raw_table,
        phone_column,
        record_id,
        phone_raw,
        length({{ regex_replace_all('phone_raw', '[^0-9]', '') }}) as digit_count

    from unioned

)

select * from final
