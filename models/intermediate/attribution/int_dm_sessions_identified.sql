{#-
    Sessions (automated and organic) with the person of their thread and
    the columns attribution matches on: int_dm_sessions joined once to the
    identity map, so that every attribution model reads the person of a
    session from one place.
-#}
{{ config(materialized='view') }}

with

sessions as (

    select * from {{ ref('int_dm_sessions') }}

),

person_map as (

    select * from {{ ref('int_identity_person_map') }}
    where node_type = 'dm_thread'

),

final as (

    select
        sessions.session_id,
        sessions.thread_id,
        person_map.person_id,
        sessions.session_type,
        sessions.flow_name,
        sessions.has_lead_with_consent,
        sessions.started_at,
        sessions.started_date,
        sessions.consented_lead_at

    from sessions
    left join person_map on sessions.thread_id = person_map.node_id

)

select * from final
