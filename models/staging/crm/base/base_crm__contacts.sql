{{ config(materialized='view') }}

{%- set raw_contacts = raw_source('crm', 'raw_crm_contacts') -%}

with

source as (

    select {{ raw_values_select('raw_crm_contacts') }}
    from {{ raw_contacts }}

),

parsed as (

    select
        -- ids
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('ig_user_id') }} as ig_user_id,

        -- person
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ normalize_handle('ig_handle') }} as ig_handle,
        {{ normalize_email('email') }} as email,
        {{ normalize_phone('phone') }} as phone,
        {{ clean_text('phone') }} as phone_raw,

        -- context
        {{ normalize_enum('preferred_channel') }} as preferred_channel,
        {{ normalize_enum('source') }} as source,
        {{ clean_text('campaign') }} as campaign,
        {{ normalize_utm('utm_source') }} as utm_source,
        {{ normalize_utm('utm_medium') }} as utm_medium,
        {{ normalize_utm('utm_campaign') }} as utm_campaign,

        -- intent
        {{ clean_text('product_interest') }} as product_interest,
        {{ clean_text('budget') }} as budget,
        {{ clean_text('timeline') }} as timeline,
        {{ clean_text('last_action') }} as last_action,
        {{ clean_text('flow_path') }} as flow_path,

        -- lifecycle
        {{ normalize_enum('lifecycle_status') }} as lifecycle_status,
        {{ clean_text('owner') }} as owner,
        {{ clean_text('next_step') }} as next_step,

        -- compliance
        {{ clean_text('consent_source') }} as consent_source,
        {{ parse_boolean('opted_out') }} as is_opted_out,
        {{ clean_text('opted_out') }} as opted_out_raw,

        -- timestamps, UTC
        {{ parse_utc_timestamp('created_at') }} as created_at,
        {{ parse_utc_timestamp('updated_at') }} as updated_at,
        {{ parse_utc_timestamp('consent_at') }} as consent_at,
        {{ parse_utc_timestamp('opted_out_at') }} as opted_out_at,
        {{ clean_text('created_at') }} as created_at_raw,
        {{ clean_text('updated_at') }} as updated_at_raw,
        {{ clean_text('consent_at') }} as consent_at_raw,
        {{ clean_text('opted_out_at') }} as opted_out_at_raw

    from source

),

validated as (

    select
        *,
        case
            when contact_id is null then 'missing contact_id'
            when lifecycle_status is null then 'missing lifecycle_status'
            when lifecycle_status not in ('new', 'qualified', 'won', 'lost')
                then 'unknown lifecycle_status: ' || lifecycle_status
            when preferred_channel not in ('dm', 'email', 'sms', 'phone')
                then 'unknown preferred_channel: ' || preferred_channel
            when source not in (
                'comment_to_dm', 'story_reply', 'keyword', 'ad', 'direct', 'website', 'import', 'pos'
            ) then 'unknown source: ' || source
            when created_at is null then 'unparseable created_at: ' || coalesce(created_at_raw, '(empty)')
            when updated_at is null then 'unparseable updated_at: ' || coalesce(updated_at_raw, '(empty)')
            when consent_at_raw is not null and consent_at is null
                then 'unparseable consent_at: ' || consent_at_raw
            when opted_out_at_raw is not null and opted_out_at is null
                then 'unparseable opted_out_at: ' || opted_out_at_raw
            when is_opted_out is null then 'invalid opted_out boolean: ' || coalesce(opted_out_raw, '(empty)')
        end as contract_reject_reason

    from parsed

),

ranked as (

    select
        *,
        row_number() over (
            partition by contact_id, contract_reject_reason is null
            order by updated_at desc, created_at desc
        ) as record_number

    from validated

),

final as (

    select
        *,
        coalesce(
            contract_reject_reason,
            case when record_number > 1 then 'duplicate contact_id' end
        ) as reject_reason

    from ranked

)

select * from final
