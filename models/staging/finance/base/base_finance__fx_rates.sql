{{ config(materialized='view') }}

{%- set raw_rates = raw_source('finance', 'raw_fx_rates') -%}

with

source as (

    select {{ raw_values_select('raw_fx_rates') }}
    from {{ raw_rates }}

),

parsed as (

    select
        {{ normalize_currency('currency') }} as currency,
        {{ parse_rate('rate_to_reporting') }} as rate_to_reporting,
        {{ parse_date('rate_date') }} as rate_date,
        {{ clean_text('rate_to_reporting') }} as rate_to_reporting_raw,
        {{ clean_text('rate_date') }} as rate_date_raw

    from source

),

validated as (

    select
        *,
        case
            when currency is null then 'missing currency'
            when rate_date is null then 'unparseable rate_date: ' || coalesce(rate_date_raw, '(empty)')
            when rate_to_reporting is null
                then 'unparseable rate_to_reporting: ' || coalesce(rate_to_reporting_raw, '(empty)')
            when rate_to_reporting <= 0 then 'non-positive rate_to_reporting: ' || rate_to_reporting_raw
        end as contract_reject_reason

    from parsed

),

ranked as (

    select
        *,
        row_number() over (
            partition by currency, rate_date, contract_reject_reason is null
            order by rate_to_reporting_raw
        ) as record_number,
        -- count(distinct) over a window, written portably (Spark has no distinct
        -- window aggregates): the two dense ranks add up to the number of
        -- distinct values plus one; a null counts as a value there, so it is taken off
        dense_rank()
            over (
                partition by currency, rate_date, contract_reject_reason is null
                order by rate_to_reporting asc
            )
        + dense_rank()
            over (
                partition by currency, rate_date, contract_reject_reason is null
                order by rate_to_reporting desc
            )
        - 1
        - max(case when rate_to_reporting is null then 1 else 0 end) over (
            partition by currency, rate_date, contract_reject_reason is null
        ) as distinct_rates

    from validated

),

final as (

    select
        *,
        currency || ' ' || coalesce(rate_date_raw, '(no date)') as rate_key,
        coalesce(
            contract_reject_reason,
            case when distinct_rates > 1 then 'conflicting rates for one currency and date' end,
            case when record_number > 1 then 'duplicate rate row' end
        ) as reject_reason

    from ranked

)

select * from final
