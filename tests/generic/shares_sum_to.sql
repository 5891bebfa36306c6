{#-
    shares_sum_to(model, group_by, total_column, share_columns)

    For every group (e.g. an order), each share column summed over the
    group's rows must equal the group's total_column exactly (the total is
    repeated on every row of the group). Fails with one row per group and
    share column that does not add up: nothing counted twice, nothing lost.
-#}
{% test shares_sum_to(model, group_by, total_column, share_columns) %}

with

sums as (

    select
        {{ group_by }} as group_key,
        max({{ total_column }}) as total_value,
        min({{ total_column }}) as min_total_value
        {%- for column in share_columns %},
        sum({{ column }}) as {{ column }}_sum
        {%- endfor %}

    from {{ model }}
    group by {{ group_by }}

),

mismatches as (

    {%- for column in share_columns %}
    select
        group_key,
        '{{ column }}' as share_column,
        total_value,
        {{ column }}_sum as share_sum
    from sums
    where {{ column }}_sum <> total_value or total_value <> min_total_value
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select * from mismatches

{% endtest %}
