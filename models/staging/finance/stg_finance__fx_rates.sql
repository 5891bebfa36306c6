with

rates as (

    select * from {{ ref('base_finance__fx_rates') }}
    where reject_reason is null

),

final as (

    select
        currency,
        rate_to_reporting,
        rate_date

    from rates

)

select * from final
