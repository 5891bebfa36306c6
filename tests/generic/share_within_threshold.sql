{#-
    share_within_threshold(model, numerator, threshold_var, denominator='1', group_by=none)

    Per group (or over the whole model when group_by is none), the share
    sum(numerator) / sum(denominator) must not exceed var(threshold_var).
    Returns one row per group whose share is above it, with both sums, the
    share and the threshold in force, so the stored failure reads as a
    report. A group with a zero denominator has no share and never fails.

    Row-level model: numerator is a 0/1 expression and the default
    denominator '1' counts rows ("case when is_utm_complete then 0 else 1
    end"). Pre-aggregated model: both are count columns ("reject_rows",
    "raw_rows"). The threshold is read when the test runs, so
    `dbt test --vars '{threshold_var: x}'` needs no rebuild.

    Severity cannot depend on data: pair this test (severity error) with
    no_failing_rows on the same condition (severity warn) to warn on any
    failing record and error above the share.
-#}
{% test share_within_threshold(model, numerator, threshold_var, denominator='1', group_by=none) %}

{%- set threshold = var(threshold_var) | float %}

with

measured as (

    select
        {% if group_by -%}
        cast({{ group_by }} as {{ dbt.type_string() }}) as share_group,
        {%- else -%}
        'all rows' as share_group,
        {%- endif %}
        sum({{ numerator }}) as numerator_total,
        sum({{ denominator }}) as denominator_total

    from {{ model }}
    {%- if group_by %}
    group by {{ group_by }}
    {%- endif %}

),

shares_computed as (

    select
        share_group,
        numerator_total,
        denominator_total,
        case
            when denominator_total > 0 then cast(numerator_total as {{ dbt.type_numeric() }}) / denominator_total
        end as failing_share,
        {{ threshold }} as max_share,
        '{{ threshold_var }}' as threshold_var

    from measured

)

select * from shares_computed
where failing_share > max_share

{% endtest %}
