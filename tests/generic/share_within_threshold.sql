{#-
    share_within_threshold(model, numerator, threshold_var, denominator='1', group_by=none, min_count_var=none)

    Per group (or over the whole model when group_by is none), the share
    sum(numerator) / sum(denominator) must not exceed var(threshold_var).
    Returns one row per group whose share is above it, with both sums, the
    share and the threshold in force, so the stored failure reads as a
    report. A group with a zero denominator has no share and never fails.
    With min_count_var, a group fails only when sum(numerator) also reaches
    var(min_count_var): one bad line of seven is 14 % of a small table, not
    a broken export (the warn-level test on the same rows still reports it).

    Row-level model: numerator is a 0/1 expression and the default
    denominator '1' counts rows ("case when is_utm_complete then 0 else 1
    end"). Pre-aggregated model: both are count columns ("reject_rows",
    "raw_rows"). The threshold is read when the test runs, so
    `dbt test --vars '{threshold_var: x}'` needs no rebuild.

    Severity cannot depend on data: pair this test (severity error) with
    no_failing_rows on the same condition (severity warn) to warn on any
    failing record and error above the share.
-#}
{% test share_within_threshold(model, numerator, threshold_var, denominator='1', group_by=none, min_count_var=none) %}

{%- set threshold = var(threshold_var) | float %}
{%- set min_count = (var(min_count_var) | int) if min_count_var else 0 %}

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
        '{{ threshold_var }}' as threshold_var,
        {{ min_count }} as min_failing_count

    from measured

)

select * from shares_computed
where failing_share > max_share and numerator_total >= min_failing_count

{% endtest %}
