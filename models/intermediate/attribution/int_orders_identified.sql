{#-
    Convertible orders with their person and the columns attribution
    matches on: int_orders_fx_converted joined once to the identity map, so
    that every attribution model reads the person of an order from one
    place.
-#}
{{ config(materialized='view') }}

with

orders as (

    select * from {{ ref('int_orders_fx_converted') }}

),

person_map as (

    select * from {{ ref('int_identity_person_map') }}
    where node_type = 'order'

),

final as (

    select
        orders.order_id,
        person_map.person_id,
        orders.utm_campaign,
        orders.net_revenue,
        orders.is_eligible,
        orders.has_dm_utms,
        orders.created_at

    from orders
    left join person_map on orders.order_id = person_map.node_id

)

select * from final
