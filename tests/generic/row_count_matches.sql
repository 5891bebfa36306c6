{#-
    row_count_matches(model, compare_model, compare_expression='count(*)', compare_where='1 = 1')

    Fails (one row) when the number of rows of the tested model differs from
    compare_expression evaluated on compare_model filtered by compare_where.
    Used to prove that staging keeps every valid raw row exactly once.
-#}
{% test row_count_matches(model, compare_model, compare_expression='count(*)', compare_where='1 = 1') %}

with

tested as (

    select count(*) as row_count from {{ model }}

),

compared as (

    select {{ compare_expression }} as row_count
    from {{ compare_model }}
    where {{ compare_where }}

)

select
    tested.row_count as tested_rows,
    compared.row_count as expected_rows
from tested
cross join compared
where tested.row_count <> compared.row_count

{% endtest %}
