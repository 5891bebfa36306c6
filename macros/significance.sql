{#-
    "Is it real?": 95 % intervals and two-sided tests of a change between
    two periods, in portable SQL (sqrt, exp, abs only), documented in
    macros/_kpi__macros.yml. Every test is the normal approximation
    (z-test); its p-value uses the Abramowitz-Stegun 7.1.26 form of erfc
    (absolute error below 1.5e-7). Arguments are SQL expressions; a test
    that has no data (a zero denominator) is null.
-#}

{# z of the two-sided 95 % interval. #}
{% macro z_95() -%}
    1.959963984540054
{%- endmacro %}


{# Two-sided p-value of a standard normal statistic z: erfc(|z| / sqrt(2)). #}
{% macro normal_two_sided_p(z) -%}
    {%- set x = '(abs(' ~ z ~ ') / sqrt(2.0))' -%}
    {%- set t = '(1.0 / (1.0 + 0.3275911 * ' ~ x ~ '))' -%}
    ({{ t }} * (0.254829592 + {{ t }} * (-0.284496736 + {{ t }} * (1.421413741
        + {{ t }} * (-1.453152027 + {{ t }} * 1.061405429)))) * exp(-{{ x }} * {{ x }}))
{%- endmacro %}


{#
    Lower (side 'low') or upper bound of the Wilson 95 % interval of x
    successes in n, kept inside [0, 1] (at 0 of n or n of n the formula
    gives the bound 0 or 1 up to a rounding error of 1e-17).
#}
{% macro wilson_bound(x, n, side) -%}
    {%- set p = '(cast(' ~ x ~ ' as ' ~ type_double() ~ ') / nullif(' ~ n ~ ', 0))' -%}
    {%- set z2 = z_95() ~ ' * ' ~ z_95() -%}
    greatest(0.0, least(1.0, (
        ({{ p }} + {{ z2 }} / (2.0 * {{ n }}))
        {{ '-' if side == 'low' else '+' }} {{ z_95() }}
        * sqrt({{ p }} * (1 - {{ p }}) / {{ n }} + {{ z2 }} / (4.0 * {{ n }} * {{ n }}))
    ) / (1 + {{ z2 }} / {{ n }})))
{%- endmacro %}


{#
    p-value of the change of a proportion from x1 / n1 to x2 / n2 (pooled
    two-proportion z-test). Both periods at 0 % or both at 100 % differ by
    nothing: p = 1.
#}
{% macro two_proportion_p(x1, n1, x2, n2) -%}
    {%- set pooled = '(cast(' ~ x1 ~ ' + ' ~ x2 ~ ' as ' ~ type_double() ~ ') / nullif(' ~ n1 ~ ' + ' ~ n2 ~ ', 0))' -%}
    case
        when {{ n1 }} = 0 or {{ n2 }} = 0 then null
        when {{ pooled }} in (0, 1) then 1.0
        else {{ normal_two_sided_p(
            '((cast(' ~ x2 ~ ' as ' ~ type_double() ~ ') / ' ~ n2 ~ ' - cast(' ~ x1 ~ ' as ' ~ type_double() ~ ') / '
            ~ n1 ~ ') / sqrt(' ~ pooled ~ ' * (1 - ' ~ pooled ~ ') * (1.0 / ' ~ n1 ~ ' + 1.0 / ' ~ n2 ~ ')))'
        ) }}
    end
{%- endmacro %}


{#
    p-value of the change of a count from x1 to x2 over periods of equal
    length (Poisson, conditional on x1 + x2, normal approximation:
    z = (x2 - x1) / sqrt(x1 + x2)). Two zeros: p = 1.
#}
{% macro poisson_count_p(x1, x2) -%}
    case
        when {{ x1 }} + {{ x2 }} = 0 then 1.0
        else {{ normal_two_sided_p('((' ~ x2 ~ ' - ' ~ x1 ~ ') / sqrt(cast(' ~ x1 ~ ' + ' ~ x2 ~ ' as ' ~ type_double() ~ ')))') }}
    end
{%- endmacro %}


{#
    p-value of the change of a rate of events per unit of exposure (clicks
    per message) from x1 / t1 to x2 / t2 (Poisson rates, pooled z-test:
    z = (x2/t2 - x1/t1) / sqrt(r (1/t1 + 1/t2)), r = (x1 + x2) / (t1 + t2)).
    No event in either period: p = 1.
#}
{% macro poisson_rate_p(x1, t1, x2, t2) -%}
    {%- set pooled = '(cast(' ~ x1 ~ ' + ' ~ x2 ~ ' as ' ~ type_double() ~ ') / nullif(' ~ t1 ~ ' + ' ~ t2 ~ ', 0))' -%}
    case
        when {{ t1 }} = 0 or {{ t2 }} = 0 then null
        when {{ x1 }} + {{ x2 }} = 0 then 1.0
        else {{ normal_two_sided_p(
            '((cast(' ~ x2 ~ ' as ' ~ type_double() ~ ') / ' ~ t2 ~ ' - cast(' ~ x1 ~ ' as ' ~ type_double() ~ ') / '
            ~ t1 ~ ') / sqrt(' ~ pooled ~ ' * (1.0 / ' ~ t1 ~ ' + 1.0 / ' ~ t2 ~ ')))'
        ) }}
    end
{%- endmacro %}
