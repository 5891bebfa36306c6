{#-
    no_failing_rows(model, failing_condition='1 = 1')

    Returns every row of the tested model for which failing_condition is
    true, so store_failures keeps the offending records themselves. A row
    where the condition is null does not fail. With the default condition
    every row is a finding: use it on models that list problems (rejects,
    leads without consent, invalid phones). Paired with
    share_within_threshold, it is the "any" half of a threshold rule:
    severity warn here, error on the share.
-#}
{% test no_failing_rows(model, failing_condition='1 = 1') %}

select *
from {{ model }}
where {{ failing_condition }}

{% endtest %}
