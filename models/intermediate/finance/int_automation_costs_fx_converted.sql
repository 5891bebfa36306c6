{#-
    Automation cost lines in the reporting currency. A line converts at the
    rate of its cost_month, or the latest earlier rate of its currency; the
    reporting currency converts at 1 without a rate row. Lines whose
    currency has no rate on or before their month are not here (never a
    zero): they are in int_automation_costs_fx_rejects, with the reason.
-#}
with

costs as (

    select * from {{ ref('stg_finance__automation_costs') }}

),

rates as (

    select * from {{ ref('int_fx_rates_ranged') }}

),

with_rate as (

    select
        costs.cost_id,
        costs.cost_type,
        costs.currency,
        costs.note,
        costs.amount,
        costs.cost_month,
        {{ fx_rate_columns('costs.currency', 'costs.cost_month') }}

    from costs
    left join rates
        on {{ fx_rate_join_condition('costs.currency', 'costs.cost_month') }}

),

final as (

    select
        cost_id,
        cost_type,
        currency,
        note,
        amount,
        fx_rate,
        fx_rate_date,
        cast(amount * fx_rate as {{ type_money() }}) as amount_reporting,
        cost_month

    from with_rate
    where fx_rate is not null

)

select * from final
