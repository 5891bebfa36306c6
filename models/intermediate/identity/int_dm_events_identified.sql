{#-
    Every staged DM event with the person of its thread
    (int_identity_person_map, node_type dm_thread): the one place a DM
    event's person is read. A view: DuckDB folds it into the query that
    reads it, so a reader that filters events (consented leads, opt-outs)
    joins only those.
-#}
{{ config(materialized='view') }}

with

events as (

    select * from {{ ref('stg_dm_platform__events') }}

),

person_map as (

    select * from {{ ref('int_identity_person_map') }}
    where node_type = 'dm_thread'

),

final as (

    select
        person_map.person_id,
        events.*

    from events
    inner join person_map
        on events.thread_id = person_map.node_id

)

-- every staged column, by design
select * from final  -- noqa: AM04
