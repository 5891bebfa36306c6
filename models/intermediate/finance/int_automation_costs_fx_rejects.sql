{#-
    Valid cost lines whose currency has no exchange rate on or before their
    cost_month: rejected (a missing rate is never a zero cost). One row per
    cost line, shaped like the other rejects models.
-#}
with

costs as (

    select * from {{ ref('stg_finance__automation_costs') }}

),

converted as (

    select cost_id from {{ ref('int_automation_costs_converted') }}

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
        'raw_automation_costs' as raw_table,
        costs.cost_id as record_id,
        {{ fx_reject_reason('costs.currency', 'costs.cost_month') }} as reject_reason,
        costs.cost_type,
        costs.currency,
        costs.amount,
        costs.cost_month

    from costs
    left join converted on costs.cost_id = converted.cost_id
    left join first_rates on costs.currency = first_rates.currency
    where converted.cost_id is null

)

select * from final
