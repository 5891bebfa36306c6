{#-
    Acquisition tile: one row per period_grain x period_start of the
    reporting spine. Automated sessions started in the period, in total and
    by the entry point of their trigger (direct_starts is an extra, so the
    entry points add up to sessions_started), each with its value of the
    previous period of the same grain.
-#}
{%- set kpis = [
    'sessions_started', 'comment_to_dm_starts', 'story_reply_starts', 'keyword_starts', 'ad_starts',
    'direct_starts',
] -%}

with

kpi_values as (

    select * from {{ ref('int_kpi_period_values') }}

),

final as (

    select
        -- period
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,

        -- kpis (counts), each with its previous-period value
        {% for kpi in kpis %}
            cast({{ kpi }} as {{ dbt.type_bigint() }}) as {{ kpi }},
            cast(previous_{{ kpi }} as {{ dbt.type_bigint() }}) as previous_{{ kpi }},
        {% endfor %}

        -- the period the previous_* values come from
        cast(previous_period_start as date) as previous_period_start

    from kpi_values

)

select * from final
