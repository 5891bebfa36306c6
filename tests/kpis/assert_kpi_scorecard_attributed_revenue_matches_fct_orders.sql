{#-
    For every month, attributed_revenue of the scorecard equals the net
    revenue ((total_price - refunded_amount) x fx_rate) of the matched
    (dm_attributed) and utm_unmatched orders of fct_orders placed in that
    month (UTC date); a month with orders but no scorecard row fails too.
    Computed here from the order amounts, independently of the KPI models
    and of the attributed_revenue column. Fails with one row per month that
    does not add up.
-#}
with

orders as (

    select * from {{ ref('fct_orders') }}
    where attribution_type in ('dm_attributed', 'utm_unmatched')

),

scorecard as (

    select * from {{ ref('kpi_scorecard') }}
    where period_grain = 'month' and kpi = 'attributed_revenue'

),

orders_by_month as (

    select
        cast({{ dbt.date_trunc('month', 'created_date') }} as date) as period_start,
        sum((total_price - refunded_amount) * fx_rate) as attributed_revenue

    from orders
    group by cast({{ dbt.date_trunc('month', 'created_date') }} as date)

),

compared as (

    select
        coalesce(scorecard.period_start, orders_by_month.period_start) as period_start,
        scorecard.value as scorecard_attributed_revenue,
        coalesce(orders_by_month.attributed_revenue, 0) as fct_orders_attributed_revenue

    from scorecard
    full outer join orders_by_month
        on scorecard.period_start = orders_by_month.period_start

)

select * from compared
where
    scorecard_attributed_revenue is null
    or scorecard_attributed_revenue <> fct_orders_attributed_revenue
