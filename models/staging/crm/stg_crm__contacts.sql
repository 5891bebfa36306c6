with

contacts as (

    select * from {{ ref('base_crm__contacts') }}
    where reject_reason is null

),

final as (

    select
        -- ids
        contact_id,
        ig_user_id,

        -- person
        first_name,
        last_name,
        ig_handle,
        email,
        phone,
        phone_raw,

        -- context
        preferred_channel,
        source,
        campaign,
        utm_source,
        utm_medium,
        utm_campaign,

        -- intent
        product_interest,
        budget,
        timeline,
        last_action,
        flow_path,

        -- lifecycle
        lifecycle_status,
        owner,
        next_step,

        -- compliance
        consent_source,
        is_opted_out,
        phone_raw is not null and phone is null as is_phone_invalid,

        -- timestamps, UTC
        created_at,
        updated_at,
        consent_at,
        opted_out_at

    from contacts

)

select * from final
