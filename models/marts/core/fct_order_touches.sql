{#-
    The attribution shares, public: one row per DM-attributed order x
    qualifying session, with the last-touch, first-touch and linear share of
    the order's net revenue. Types are cast explicitly: the contract is
    enforced.
-#}
with

touches as (

    select * from {{ ref('int_order_session_touches') }}

),

final as (

    select
        -- ids
        cast(touch_id as {{ dbt.type_string() }}) as touch_id,
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(session_id as {{ dbt.type_string() }}) as session_id,
        cast(person_id as {{ dbt.type_string() }}) as person_id,

        -- position among the order's touches
        cast(touch_number as {{ dbt.type_bigint() }}) as touch_number,
        cast(touch_count as {{ dbt.type_bigint() }}) as touch_count,

        -- money in the reporting currency
        cast(net_revenue as {{ type_money() }}) as net_revenue,
        cast(last_touch_revenue as {{ type_money() }}) as last_touch_revenue,
        cast(first_touch_revenue as {{ type_money() }}) as first_touch_revenue,
        cast(linear_revenue as {{ type_money() }}) as linear_revenue,

        -- booleans
        cast(is_last_touch as {{ dbt.type_boolean() }}) as is_last_touch,
        cast(is_first_touch as {{ dbt.type_boolean() }}) as is_first_touch,

        -- timestamps
        cast(order_created_at as {{ dbt.type_timestamp() }}) as order_created_at,
        cast(session_started_at as {{ dbt.type_timestamp() }}) as session_started_at

    from touches

)

select * from final
