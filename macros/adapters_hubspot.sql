{#-
    HubSpot contacts export (CSV) -> raw_crm_contacts (raw_formats:
    {raw_crm_contacts: hubspot_contacts_csv}). Reads
    <raw_path>/hubspot_contacts.csv or <raw_path>/hubspot_contacts/*.csv.

    Headers are property labels ('Record ID', 'Create Date') or internal
    names ('hs_object_id', 'createdate'), matched case-insensitively;
    either works, a mix too. Datetimes carry no offset: they are read in
    var('hubspot_time_zone') (default UTC). The mapping tables (lifecycle
    stages, lead status, original source, consent and opt-out) are in
    docs/native_formats.md; hubspot_contacts_select() below is the one
    place they are written, with dispatched primitives only, so the
    default__ (DuckDB) and spark__ adapters share it.
-#}

{#- The headers the adapter needs (label first, then the internal name). -#}
{% macro hubspot_required_headers() -%}
    {{ return([
        ["Record ID", "hs_object_id"],
        ["Create Date", "createdate"],
        ["Last Modified Date", "lastmodifieddate"],
        ["Lifecycle Stage", "lifecyclestage"],
        ["Unsubscribed from all email", "hs_email_optout"],
    ]) }}
{%- endmacro %}


{% macro default__raw_adapter_hubspot_contacts_csv(raw_path) -%}
    {%- set location = native_file_location(raw_path, 'hubspot_contacts_csv') -%}
    {%- set relation, names = native_csv_relation(location, 'raw_crm_contacts', 'hubspot_contacts') -%}
    {{ return(hubspot_contacts_select(relation, names, location)) }}
{%- endmacro %}


{#- Same select over an external CSV table (make test-spark compares it with DuckDB's). -#}
{% macro spark__raw_adapter_hubspot_contacts_csv(raw_path) -%}
    {%- set location = native_file_location(raw_path, 'hubspot_contacts_csv') -%}
    {%- set relation, names = native_csv_relation(location, 'raw_crm_contacts', 'hubspot_contacts') -%}
    {{ return(hubspot_contacts_select(relation, names, location)) }}
{%- endmacro %}


{#- A HubSpot enumeration value as a key: lowercase letters and digits only ('Marketing Qualified Lead' -> 'marketingqualifiedlead'). -#}
{% macro hubspot_key(expr) -%}
    lower({{ regex_replace_all('coalesce(' ~ expr ~ ", '')", '[^A-Za-z0-9]', '') }})
{%- endmacro %}


{% macro hubspot_contacts_select(relation, names, origin) -%}
    {%- set c = native_column_map(names) -%}
    {%- do require_native_headers('raw_crm_contacts', 'hubspot_contacts_csv', origin, c, hubspot_required_headers()) -%}
    {%- set tz = var('hubspot_time_zone', 'UTC') -%}
    {%- set custom_stages = var('hubspot_lifecycle_stages', none) or {} -%}
    {%- for stage, status in custom_stages.items() -%}
        {%- if status not in ['new', 'qualified', 'won', 'lost'] -%}
            {{ exceptions.raise_compiler_error("var hubspot_lifecycle_stages maps '" ~ stage ~ "' to '" ~ status ~ "': the contract's lifecycle_status is one of new, qualified, won, lost") }}
        {%- endif -%}
    {%- endfor -%}
    {#- A custom contract property: its internal name, or the same words as a label ('utm_source' / 'UTM source'). -#}
    {%- set custom = {} -%}
    {%- for name in ['preferred_channel', 'campaign', 'utm_source', 'utm_medium', 'utm_campaign', 'product_interest',
        'budget', 'timeline', 'last_action', 'next_step', 'flow_path', 'instagram_handle', 'instagram_user_id'] -%}
        {%- do custom.update({name: native_text(c, [name, name | replace('_', ' ')])}) -%}
    {%- endfor -%}
    {%- set stage = native_text(c, ['Lifecycle Stage', 'lifecyclestage']) -%}
    {%- set created_at = local_datetime_to_utc_iso(native_text(c, ['Create Date', 'createdate']), tz) -%}
    {%- set legal_basis = native_text(c, ["Legal basis for processing contact's data", 'hs_legal_basis']) -%}
    {%- set optout = native_text(c, ['Unsubscribed from all email', 'hs_email_optout']) -%}
    {%- set source_key = hubspot_key(native_text(c, ['Original Source', 'hs_analytics_source'])) -%}
    {%- set lifecycle -%}
        case
            {%- for custom_stage, status in custom_stages.items() %}
            when stage_key = '{{ modules.re.sub('[^a-z0-9]', '', custom_stage | string | lower) }}' then '{{ status }}'
            {%- endfor %}
            when stage_key in ('customer', 'evangelist') then 'won'
            when lead_status_key = 'unqualified' then 'lost'
            when stage_key in ('', 'subscriber', 'lead', 'other') then 'new'
            when stage_key in ('marketingqualifiedlead', 'salesqualifiedlead', 'opportunity') then 'qualified'
            else stage_raw
        end
    {%- endset -%}
    {%- set source -%}
        case
            when source_key = '' then null
            when source_key in ('paidsearch', 'paidsocial') then 'ad'
            when source_key = 'directtraffic' then 'direct'
            when source_key in ('offline', 'offlinesources') then 'import'
            when source_key in (
                'organicsearch', 'organicsocial', 'socialmedia', 'emailmarketing', 'referrals', 'othercampaigns', 'aireferrals'
            ) then 'website'
            else source_raw
        end
    {%- endset -%}
    (
        with

        native as (

            select
                *,
                {{ hubspot_key(stage) }} as stage_key,
                {{ stage }} as stage_raw,
                {{ hubspot_key(native_text(c, ['Lead Status', 'hs_lead_status'])) }} as lead_status_key,
                {{ source_key }} as source_key,
                {{ native_text(c, ['Original Source', 'hs_analytics_source']) }} as source_raw
            from {{ relation }}

        )

        select
            {{ contract_select_list('raw_crm_contacts', {
                'contact_id': native_text(c, ['Record ID', 'hs_object_id']),
                'created_at': created_at,
                'updated_at': local_datetime_to_utc_iso(native_text(c, ['Last Modified Date', 'lastmodifieddate']), tz),
                'first_name': native_text(c, ['First Name', 'firstname']),
                'last_name': native_text(c, ['Last Name', 'lastname']),
                'ig_handle': custom['instagram_handle'],
                'ig_user_id': custom['instagram_user_id'],
                'email': native_text(c, ['Email']),
                'phone': 'coalesce(' ~ native_text(c, ['Phone Number', 'phone']) ~ ', ' ~ native_text(c, ['Mobile Phone Number', 'mobilephone']) ~ ')',
                'preferred_channel': custom['preferred_channel'],
                'source': source,
                'campaign': custom['campaign'],
                'utm_source': custom['utm_source'],
                'utm_medium': custom['utm_medium'],
                'utm_campaign': custom['utm_campaign'],
                'product_interest': custom['product_interest'],
                'budget': custom['budget'],
                'timeline': custom['timeline'],
                'last_action': custom['last_action'],
                'lifecycle_status': lifecycle,
                'owner': native_text(c, ['Contact owner', 'hubspot_owner_id']),
                'next_step': custom['next_step'],
                'flow_path': custom['flow_path'],
                'consent_at': 'case when lower(' ~ legal_basis ~ ") like '%freely given consent%' then " ~ created_at ~ ' end',
                'consent_source': 'case when lower(' ~ legal_basis ~ ") like '%freely given consent%' then 'hubspot_legal_basis' end",
                'opted_out': 'coalesce(' ~ optout ~ ", 'false')",
            }) }}
        from native
    )
{%- endmacro %}
