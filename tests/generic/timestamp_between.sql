{#-
    timestamp_between(model, column_name, not_before=none, not_after=none)

    column_name must not be earlier than the not_before expression nor later
    than the not_after expression, both evaluated on the same row (give
    either or both). Fails with the rows out of bounds, with the bound they
    break. A row where the column or the bound is null does not fail (the
    rule does not apply to it). Used for consent times: not after the time
    the record was written, not before the person's first record.
-#}
{% test timestamp_between(model, column_name, not_before=none, not_after=none) %}

{%- if not_before is none and not_after is none %}
    {{ exceptions.raise_compiler_error("timestamp_between on " ~ model ~ "." ~ column_name ~ ": give not_before, not_after or both") }}
{%- endif %}

select
    *,
    case
        {%- if not_before is not none %}
        when {{ column_name }} < {{ not_before }} then 'before {{ not_before | replace("'", "") }}'
        {%- endif %}
        {%- if not_after is not none %}
        when {{ column_name }} > {{ not_after }} then 'after {{ not_after | replace("'", "") }}'
        {%- endif %}
    end as broken_bound

from {{ model }}
where
    {{ column_name }} is not null
    and (
        {%- if not_before is not none %}
        {{ column_name }} < {{ not_before }}
        {%- endif %}
        {%- if not_before is not none and not_after is not none %}
        or
        {%- endif %}
        {%- if not_after is not none %}
        {{ column_name }} > {{ not_after }}
        {%- endif %}
    )

{% endtest %}
