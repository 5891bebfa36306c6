{#-
    Where automated sessions leave each flow: one row per period_grain
    (week, month) x period_start x flow_name x flow_step that at least one
    session of the period reached. A session belongs to the period of its
    start. It is dropped at its last step (int_dm_session_steps.is_last_step)
    when it ended without an outcome: no consented lead, no counted order
    given to it by last touch, not resolved and no handoff. A lead without
    consent is not a lead (metrics.md) and does not save a session from
    dropping.
-#}
{%- set unknown_flow = "'(unknown)'" -%}

with

session_steps as (

    select * from {{ ref('int_dm_session_steps') }}
    where session_type = 'automated'

),

sessions as (

    select * from {{ ref('int_dm_sessions') }}
    where session_type = 'automated'

),

-- is_sold: given at least one counted order by last touch (as in fct_dm_sessions)
session_attribution as (

    select * from {{ ref('int_dm_sessions_attributed') }}

),

sessions_classified as (

    select
        sessions.session_id,
        sessions.started_date,
        coalesce(sessions.flow_name, {{ unknown_flow }}) as flow_name,
        (
            not sessions.has_lead_with_consent
            and not coalesce(session_attribution.is_sold, false)
            and not sessions.is_resolved
            and not sessions.has_handoff
        ) as has_no_outcome

    from sessions
    left join session_attribution
        on sessions.session_id = session_attribution.session_id

),

steps_classified as (

    select
        sessions_classified.session_id,
        sessions_classified.started_date,
        sessions_classified.flow_name,
        session_steps.flow_step,
        session_steps.step_number,
        session_steps.is_last_step and sessions_classified.has_no_outcome as is_dropped

    from session_steps
    inner join sessions_classified
        on session_steps.session_id = sessions_classified.session_id

),

step_periods as (

    {{ in_reporting_periods(
        'steps_classified', 'started_date',
        ['flow_name', 'flow_step', 'session_id', 'step_number', 'is_dropped']
    ) }}

),

session_periods as (

    {{ in_reporting_periods('sessions_classified', 'started_date', ['flow_name', 'session_id']) }}

),

flow_sessions_counted as (

    select
        period_grain,
        period_start,
        flow_name,
        count(*) as flow_sessions

    from session_periods
    group by
        period_grain,
        period_start,
        flow_name

),

steps_aggregated as (

    select
        period_grain,
        period_start,
        flow_name,
        flow_step,
        count(*) as sessions_reached,
        sum(case when is_dropped then 1 else 0 end) as sessions_dropped,
        avg(cast(step_number as {{ type_double() }})) as avg_step_number

    from step_periods
    group by
        period_grain,
        period_start,
        flow_name,
        flow_step

),

rated as (

    select
        steps_aggregated.*,
        flow_sessions_counted.flow_sessions,
        {{ kpi_ratio('steps_aggregated.sessions_dropped', 'steps_aggregated.sessions_reached') }} as dropoff_rate

    from steps_aggregated
    inner join flow_sessions_counted
        on
            steps_aggregated.period_grain = flow_sessions_counted.period_grain
            and steps_aggregated.period_start = flow_sessions_counted.period_start
            and steps_aggregated.flow_name = flow_sessions_counted.flow_name

),

-- 1 = the step that lost the most sessions; ties: higher drop-off rate, then flow_step
ranked as (

    select
        *,
        row_number() over (
            partition by period_grain, period_start, flow_name
            order by sessions_dropped desc, dropoff_rate desc, flow_step asc
        ) as dropoff_rank

    from rated

),

final as (

    select
        -- period
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,

        -- flow and step
        cast(flow_name as {{ dbt.type_string() }}) as flow_name,
        cast(flow_step as {{ dbt.type_string() }}) as flow_step,
        cast(avg_step_number as {{ type_double() }}) as avg_step_number,

        -- counts
        cast(flow_sessions as {{ dbt.type_bigint() }}) as flow_sessions,
        cast(sessions_reached as {{ dbt.type_bigint() }}) as sessions_reached,
        cast(sessions_dropped as {{ dbt.type_bigint() }}) as sessions_dropped,

        -- ratios
        {{ kpi_ratio('sessions_reached', 'flow_sessions') }} as reach_rate,
        cast(dropoff_rate as {{ type_double() }}) as dropoff_rate,

        -- rank
        cast(dropoff_rank as {{ dbt.type_bigint() }}) as dropoff_rank

    from ranked

)

select * from final
