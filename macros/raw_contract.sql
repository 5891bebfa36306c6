{#-
    raw_source(source_name, table_name)

    The one way staging reads raw data. It returns source(source_name,
    table_name). With var('raw_from_seeds') true (the embedded demo), it
    also records a dependency on the seed of the same name, so that
    `dbt build` always loads a seed before the staging model that reads it.
-#}
{% macro raw_source(source_name, table_name) -%}
    {%- if var('raw_from_seeds', true) -%}
        {%- do ref(table_name) -%}
    {%- endif -%}
    {{ return(source(source_name, table_name)) }}
{%- endmacro %}


{#-
    assert_contract_columns(relation, columns)

    Fails the model with a message that names every contract column missing
    from the raw relation (case-insensitive; extra columns are fine).
    Called at the top of each base model, so a raw file missing a column
    stops the build with e.g.
    "raw_dm_events is missing contract column(s): consent".
    Skipped inside dbt unit tests, whose inputs are fixtures, not relations.
-#}
{% macro assert_contract_columns(relation, columns) -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {%- set present = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
        {%- if present | length == 0 -%}
            {{ exceptions.raise_compiler_error("Raw table " ~ relation ~ " was not found or has no columns: load it (dbt seed, or point the source at your export) before building staging.") }}
        {%- endif -%}
        {%- set missing = [] -%}
        {%- for column in columns -%}
            {%- if column | lower not in present -%}
                {%- do missing.append(column) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing | length > 0 -%}
            {{ exceptions.raise_compiler_error(relation.identifier ~ " is missing contract column(s): " ~ missing | join(", ") ~ " (see the raw contract in README.md)") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#-
    raw_contract_columns(table_name)

    The contract: the required columns of each raw table, in contract order.
    Base models select exactly these, so extra columns are ignored.
-#}
{% macro raw_contract_columns(table_name) -%}
    {%- set contract = {
        "raw_dm_events": [
            "event_id", "occurred_at", "received_at", "thread_id", "ig_user_id", "ig_handle",
            "actor", "agent_id", "event_type", "entry_point", "source_media_id", "flow_name",
            "flow_step", "message_text", "buttons", "button_label", "link_url", "email",
            "phone", "consent", "consent_text_version"
        ],
        "raw_crm_contacts": [
            "contact_id", "created_at", "updated_at", "first_name", "last_name", "ig_handle",
            "ig_user_id", "email", "phone", "preferred_channel", "source", "campaign",
            "utm_source", "utm_medium", "utm_campaign", "product_interest", "budget", "timeline",
            "last_action", "lifecycle_status", "owner", "next_step", "flow_path", "consent_at",
            "consent_source", "opted_out", "opted_out_at"
        ],
        "raw_orders": [
            "order_id", "created_at", "customer_email", "customer_phone", "currency", "subtotal",
            "discount_total", "shipping_total", "tax_total", "total_price", "financial_status",
            "refunded_amount", "cancelled_at", "landing_site", "utm_source", "utm_medium",
            "utm_campaign", "utm_content", "source_name"
        ],
        "raw_fx_rates": ["rate_date", "currency", "rate_to_reporting"],
        "raw_automation_costs": ["cost_month", "cost_type", "amount", "currency", "note"]
    } -%}
    {{ return(contract[table_name]) }}
{%- endmacro %}
