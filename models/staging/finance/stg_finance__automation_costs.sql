with

costs as (

    select * from {{ ref('base_finance__automation_costs') }}
    where reject_reason is null

),

numbered as (

    select
        *,
        row_number() over (
            partition by cost_month, cost_type, currency, amount, note
            order by cost_month
        ) as line_number

    from costs

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(cost_month as " ~ dbt.type_string() ~ ")", "'|'", "cost_type", "'|'", "currency", "'|'",
            "coalesce(note, '')", "'|'", "cast(amount as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(line_number as " ~ dbt.type_string() ~ ")"
        ])) }} as cost_id,
        cost_type,
        currency,
        note,
        amount,
        cost_month

    from numbered

)

select * from final
