{#-
    The two populations the UTM convention covers, one row per member:
    - outbound_link: every message_out link that leaves Instagram (its host
      is not instagram.com, ig.me, instagr.am or a subdomain of them; a
      link without a readable host counts as leaving). It must carry
      utm_source, utm_medium and utm_campaign, with utm_campaign equal to
      the flow (the event's flow_name, else its session's; both are
      lowercased in staging, as UTM values are). Without any flow there is
      nothing to compare, and only presence is checked.
    - dm_attributed_order: every order attributed to DMs (dm_attributed and
      utm_unmatched). It must carry all three UTMs.
    Shares are computed per population by the tests.
-#}

with

events as (

    select * from {{ ref('int_dm_events_sessionized') }}

),

sessions as (

    select * from {{ ref('int_dm_sessions') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

links_with_host as (

    select
        events.event_id,
        events.link_url,
        events.link_utm_source,
        events.link_utm_medium,
        events.link_utm_campaign,
        coalesce(events.flow_name, sessions.flow_name) as flow_name,
        events.occurred_at,
        nullif(lower({{ regex_extract('events.link_url', '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#:@]+)', 1) }}), '')
            as link_host

    from events
    left join sessions
        on events.session_id = sessions.session_id
    where
        events.event_type = 'message_out'
        and events.link_url is not null

),

outbound_links as (

    select
        'outbound_link' as population,
        event_id as record_id,
        link_host,
        cast(null as {{ dbt.type_string() }}) as attribution_type,
        flow_name,
        link_utm_source as utm_source,
        link_utm_medium as utm_medium,
        link_utm_campaign as utm_campaign,
        occurred_at

    from links_with_host
    where
        link_host is null
        or not (
            link_host in ('instagram.com', 'ig.me', 'instagr.am')
            or link_host like '%.instagram.com'
            or link_host like '%.ig.me'
            or link_host like '%.instagr.am'
        )

),

dm_attributed_orders as (

    select
        'dm_attributed_order' as population,
        order_id as record_id,
        cast(null as {{ dbt.type_string() }}) as link_host,
        attribution_type,
        cast(null as {{ dbt.type_string() }}) as flow_name,
        utm_source,
        utm_medium,
        utm_campaign,
        created_at as occurred_at

    from orders
    where attribution_type in ('dm_attributed', 'utm_unmatched')

),

unioned as (

    select * from outbound_links
    union all
    select * from dm_attributed_orders

),

checked as (

    select
        *,
        utm_source is not null as has_utm_source,
        utm_medium is not null as has_utm_medium,
        utm_campaign is not null as has_utm_campaign,
        case
            when flow_name is null or utm_campaign is null then null
            else utm_campaign = flow_name
        end as is_campaign_matching_flow

    from unioned

),

final as (

    select
        -- ids
        population || ':' || record_id as utm_check_id,
        population,
        record_id,

        -- context
        link_host,
        attribution_type,
        flow_name,

        -- UTMs
        utm_source,
        utm_medium,
        utm_campaign,
        nullif(
            trim({{ dbt.concat([
                "case when has_utm_source then '' else 'utm_source ' end",
                "case when has_utm_medium then '' else 'utm_medium ' end",
                "case when has_utm_campaign then '' else 'utm_campaign ' end",
            ]) }}),
            ''
        ) as missing_utm_parameters,
        case
            when not has_utm_source or not has_utm_medium or not has_utm_campaign then 'missing parameter'
            when is_campaign_matching_flow = false then 'utm_campaign is not the flow'
        end as utm_issue,

        -- booleans
        has_utm_source,
        has_utm_medium,
        has_utm_campaign,
        is_campaign_matching_flow,
        has_utm_source and has_utm_medium and has_utm_campaign and coalesce(is_campaign_matching_flow, true)
            as is_utm_complete,

        -- timestamps, UTC
        occurred_at

    from checked

)

select * from final
