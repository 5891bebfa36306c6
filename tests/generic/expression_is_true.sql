{#-
    expression_is_true(model, expression, column_name=None)

    Fails with every row of the tested model for which `expression` is
    false. On a column, the expression is appended to the column name
    (`expression: ">= 0"` on first_response_seconds tests
    `first_response_seconds >= 0`); on a model it is used as it is. As in
    dbt_utils, a row where the expression is null passes: write
    `x is not null and ...` (or use not_null) when null must fail. Combine
    with the `where` config to test a subset of rows.
-#}
{% test expression_is_true(model, expression, column_name=None) %}

{%- set condition = (column_name ~ ' ' ~ expression) if column_name else expression %}

select *
from {{ model }}
where not ({{ condition }})

{% endtest %}
