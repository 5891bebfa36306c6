{{ config(materialized='view') }}

{%- set raw_costs = raw_source('finance', 'raw_automation_costs') -%}

with

source as (

    select {{ raw_values_select('raw_automation_costs') }}
    from {{ raw_costs }}

),

parsed as (

    select
        {{ normalize_enum('cost_type') }} as cost_type,
        {{ normalize_currency('currency') }} as currency,
        {{ parse_amount('amount') }} as amount,
        {{ clean_text('note') }} as note,
        {{ parse_date('cost_month') }} as cost_month,
        {{ clean_text('amount') }} as amount_raw,
        {{ clean_text('cost_month') }} as cost_month_raw

    from source

),

validated as (

    select
        *,
        coalesce(cost_month_raw, '(no month)') || ' ' || coalesce(cost_type, '(no type)') as cost_key,
        case
            when cost_month is null then 'unparseable cost_month: ' || coalesce(cost_month_raw, '(empty)')
            when cost_month <> {{ dbt.date_trunc('month', 'cost_month') }}
                then 'cost_month is not the first day of a month: ' || cost_month_raw
            -- a month decades away would stretch the reporting spine over a century
            when {{ is_implausible_timestamp('cost_month') }}
                then {{ implausible_timestamp_reason('cost_month', 'cost_month_raw') }}
            when cost_type is null then 'missing cost_type'
            when cost_type not in ('tool_subscription', 'setup', 'agency', 'ads', 'other')
                then 'unknown cost_type: ' || cost_type
            when currency is null then 'missing currency'
            when amount is null then 'unparseable amount: ' || coalesce(amount_raw, '(empty)')
            when amount < 0 then 'negative amount: ' || amount_raw
        end as contract_reject_reason

    from parsed

),

-- A duplicate cost line is a second line with the same month, type,
-- amount, currency and note: an export or copy-paste repeated it (two real
-- costs of one month and type differ by amount or note). The first is kept.
ranked as (

    select
        *,
        row_number() over (
            partition by
                contract_reject_reason is null,
                cost_month,
                cost_type,
                amount,
                currency,
                coalesce(note, '')
            order by amount_raw, cost_month_raw
        ) as line_number

    from validated

),

final as (

    select
        cost_type,
        currency,
        amount,
        note,
        cost_month,
        amount_raw,
        cost_month_raw,
        cost_key,
        coalesce(
            contract_reject_reason,
            case
                when line_number > 1
                    then 'duplicate cost line: same month, type, amount, currency and note as another line'
            end
        ) as reject_reason

    from ranked

)

select * from final
