{#-
    Each valid rate with the range of dates it applies to: from its
    rate_date until the day before the next rate of the same currency. A
    date between two rates takes the earlier one (the latest earlier rate).
-#}
with

rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

ranged as (

    select
        currency,
        rate_to_reporting,
        rate_date as valid_from,
        lead(rate_date) over (partition by currency order by rate_date) as valid_until

    from rates

),

final as (

    select
        currency,
        rate_to_reporting,
        valid_from,
        valid_until

    from ranged

)

select * from final
