{#-
    rows_add_up_to(model, parts, whole, whole_where=none)

    Fails when the rows of the tested model plus the rows of every model in
    `parts` do not add up to the rows of `whole`. Put on a staging model with
    parts = [its rejects model] and whole = its base model, it proves that
    every raw row is either kept or rejected: none is silently dropped.
    whole_where filters the rows of whole that count (e.g. leave out the
    superseded versions of an order, which stand in their latest version).
-#}
{% test rows_add_up_to(model, parts, whole, whole_where=none) %}

with

counted as (

    select count(*) as row_count from {{ model }}
    {%- for part in parts %}
    union all
    select count(*) as row_count from {{ part }}
    {%- endfor %}

),

total as (

    select sum(row_count) as row_count from counted

),

expected as (

    select count(*) as row_count from {{ whole }}
    {%- if whole_where %}
    where {{ whole_where }}
    {%- endif %}

)

select
    total.row_count as kept_plus_rejected,
    expected.row_count as raw_rows
from total
cross join expected
where total.row_count <> expected.row_count

{% endtest %}
