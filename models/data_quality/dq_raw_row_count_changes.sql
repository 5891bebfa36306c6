{#-
    Per raw table, the rows of the latest build against the build before it
    (dq_raw_row_count_history): an export that shrinks sharply (a filtered
    or truncated file, a part folder missing days) warns through
    dq_raw_tables_not_shrunk. The first build has no previous one.
-#}
{{ config(schema='data_quality_history') }}

with

history as (

    select * from {{ ref('dq_raw_row_count_history') }}

),

builds_ranked as (

    select
        raw_table,
        built_at,
        raw_rows,
        row_number() over (
            partition by raw_table
            order by built_at desc, invocation_id desc
        ) as build_rank

    from history

),

final as (

    select
        latest.raw_table,
        latest.raw_rows,
        previous.raw_rows as previous_raw_rows,
        previous.built_at as previous_built_at,
        case
            when previous.raw_rows > 0 then 1 - latest.raw_rows * 1.0 / previous.raw_rows
        end as shrink_share

    from builds_ranked as latest
    left join builds_ranked as previous
        on
            latest.raw_table = previous.raw_table
            and previous.build_rank = 2
    where latest.build_rank = 1

)

select * from final
