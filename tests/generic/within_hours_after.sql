{#-
    within_hours_after(model, column_name, reference_column, max_hours)

    Every row's column_name (a timestamp) must come no more than max_hours
    after reference_column on the same row. Fails with the rows where it
    comes later, and with the rows where reference_column is null (nothing
    to be within hours of). A row where column_name is null does not fail.
    Used for messaging windows: an outbound message at most 24 h (bot) or
    7 days (agent) after the customer's last event of the thread.
-#}
{% test within_hours_after(model, column_name, reference_column, max_hours) %}

{%- set max_seconds = ((max_hours | float) * 3600) | round | int %}

select
    *,
    {{ timestamp_diff_seconds(reference_column, column_name) }} / 3600.0 as hours_after_reference,
    {{ max_hours }} as max_hours

from {{ model }}
where
    {{ column_name }} is not null
    and (
        {{ reference_column }} is null
        or {{ column_name }} > {{ dbt.dateadd('second', max_seconds, reference_column) }}
    )

{% endtest %}
