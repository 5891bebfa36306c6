{#-
    "Is it real?" for every KPI of the scorecard and every period of the
    spine (roi: months only): how its change against the previous period
    is tested (the registry's noise_test), the 95 % interval of a
    proportion (Wilson), the two-sided p-value of the change and whether
    it is beyond noise (p below var('noise_significance_level')).
    proportion: x = numerator, n = denominator, pooled two-proportion
    z-test; count: the KPI itself, Poisson over periods of equal length
    (weeks or months are compared with the previous one of the same grain;
    calendar months differ by up to 3 days, which the test ignores);
    rate_per_exposure (CTRs, events per message): Poisson rates. Money,
    medians and ratios are not tested. All are normal approximations
    (macros/significance.sql).
-#}
{%- set registry = kpi_registry() -%}
{%- set level = var('noise_significance_level') -%}

with

kpi_values as (

    select * from {{ ref('int_kpi_period_values') }}

),

measured as (

    {% for entry in registry %}
        {%- set test = entry.noise_test -%}
        {%- set count_column = entry.kpi if test == 'count' else entry.numerator -%}
        {%- set current_exposure = 'current_period.' ~ entry.denominator if test != 'count' else 'null' -%}
        {%- set previous_exposure = 'previous_period.' ~ entry.denominator if test != 'count' else 'null' -%}
        select
            current_period.period_grain,
            current_period.period_start,
            '{{ entry.kpi }}' as kpi,
            {{ "'" ~ test ~ "'" if test else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as noise_test,
            previous_period.period_start is not null as has_previous_period,
            {%- if test %}
                cast(current_period.{{ count_column }} as {{ type_double() }}) as current_count,
                cast({{ current_exposure }} as {{ type_double() }}) as current_exposure,
                cast(previous_period.{{ count_column }} as {{ type_double() }}) as previous_count,
                cast({{ previous_exposure }} as {{ type_double() }}) as previous_exposure
            {%- else %}
                cast(null as {{ type_double() }}) as current_count,
                cast(null as {{ type_double() }}) as current_exposure,
                cast(null as {{ type_double() }}) as previous_count,
                cast(null as {{ type_double() }}) as previous_exposure
            {%- endif %}
        from kpi_values as current_period
        left join kpi_values as previous_period
            on
                current_period.period_grain = previous_period.period_grain
                and current_period.previous_period_start = previous_period.period_start
        {% if entry.tile == 'roi' %}where current_period.period_grain = 'month'{% endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

tested as (

    select
        *,
        case
            when noise_test = 'proportion' and current_exposure > 0
                then {{ wilson_bound('current_count', 'current_exposure', 'low') }}
        end as ci_low,
        case
            when noise_test = 'proportion' and current_exposure > 0
                then {{ wilson_bound('current_count', 'current_exposure', 'high') }}
        end as ci_high,
        case
            when not has_previous_period then null
            when noise_test = 'proportion'
                then {{ two_proportion_p('previous_count', 'previous_exposure', 'current_count', 'current_exposure') }}
            when noise_test = 'count'
                then {{ poisson_count_p('previous_count', 'current_count') }}
            when noise_test = 'rate_per_exposure'
                then {{ poisson_rate_p('previous_count', 'previous_exposure', 'current_count', 'current_exposure') }}
        end as change_p_value

    from measured

),

final as (

    select
        -- keys
        period_grain,
        period_start,
        kpi,

        -- test
        noise_test,
        ci_low,
        ci_high,
        change_p_value,
        change_p_value < {{ level }} as is_change_significant,
        case
            when change_p_value is not null
                then
                    case when change_p_value < {{ level }} then 'beyond noise' else 'within noise' end
                    || case
                        when change_p_value < 0.001 then ' (p < 0.001)'
                        else ' (p = ' || {{ format_number('change_p_value', 3) }} || ')'
                    end
            when noise_test is null and has_previous_period then 'not tested for noise'
        end as noise_text

    from tested

)

select * from final
