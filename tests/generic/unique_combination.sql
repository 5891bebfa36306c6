{#-
    unique_combination(model, columns)

    Fails with one row per combination of `columns` that appears more than
    once in the tested model (a composite primary-key test).
-#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
