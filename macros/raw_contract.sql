{#-
    raw_source(source_name, table_name)

    The one way staging reads raw data, and where the raw contract is
    checked. The source's schema says where the table is:
    - var('raw_path') set: schema raw_files, views over the files of that
      folder that the on-run-start hook create_raw_file_views() creates
      (macros/raw_files.sql); the seeds are disabled then, so nothing is
      copied through dbt seed;
    - else var('raw_from_seeds') true (the embedded demo): the seeds, in
      schema raw; a ref to the seed makes `dbt build` load it before the
      staging model that reads it;
    - else the tables the user loaded into schema var('raw_schema').
    A table missing a contract column stops the build with a message that
    names the table and the columns (assert_contract_columns). Inside a dbt
    unit test the fixture is read and nothing is checked.
-#}
{% macro raw_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if var('raw_from_seeds', true) and not var('raw_path', none) -%}
        {%- do ref(table_name) -%}
    {%- endif -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {%- set present = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name) -%}
        {%- endfor -%}
        {%- if present | length == 0 -%}
            {{ exceptions.raise_compiler_error("Raw table " ~ relation ~ " was not found or has no columns: load it (dbt seed, or point the source at your export) before building staging.") }}
        {%- endif -%}
        {%- do assert_contract_columns(table_name, present) -%}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}


{#-
    assert_contract_columns(table_name, present_columns, origin=none)

    Fails with a message that names every contract column of table_name
    missing from present_columns (compared case-insensitively; extra
    columns are fine), e.g.
    "raw_dm_events is missing contract column(s): consent".
    origin (a file path) is added to the message when given.
-#}
{% macro assert_contract_columns(table_name, present_columns, origin=none) -%}
    {%- set present = present_columns | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for column in raw_contract_columns(table_name) -%}
        {%- if column not in present -%}
            {%- do missing.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing | length > 0 -%}
        {{ exceptions.raise_compiler_error(table_name ~ (" (" ~ origin ~ ")" if origin else "") ~ " is missing contract column(s): " ~ missing | join(", ") ~ " (see the raw contract in README.md)") }}
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


{#- The five raw tables of the contract. -#}
{% macro raw_contract_tables() -%}
    {{ return(["raw_dm_events", "raw_crm_contacts", "raw_orders", "raw_fx_rates", "raw_automation_costs"]) }}
{%- endmacro %}


{#-
    raw_values_select(table_name)

    The select list of a base model's source CTE: every contract column of
    table_name, where a placeholder that an export tool wrote for "no value"
    (NULL, null, None, N/A, #N/A, NaN, nil: any case, any surrounding
    spaces) becomes null, so that two events with id "NULL" are not one
    event and an email "none" links nobody. Free-text columns (messages,
    button labels, names, notes: raw_free_text_columns) keep their text: a
    customer may answer "None".
-#}
{% macro raw_values_select(table_name) -%}
    {%- set free_text = raw_free_text_columns(table_name) -%}
    {%- for column in raw_contract_columns(table_name) %}
        {% if column in free_text -%}
        {{ column }}
        {%- else -%}
        {{ null_if_placeholder(column) }} as {{ column }}
        {%- endif %}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- A raw text value, null when it is a "no value" placeholder (see raw_values_select). -#}
{% macro null_if_placeholder(expr) -%}
    case
        when length({{ expr }}) <= 12 and lower(trim({{ expr }})) in ('null', 'none', 'n/a', '#n/a', 'nan', 'nil')
            then null
        else {{ expr }}
    end
{%- endmacro %}


{#- Contract columns holding prose, kept as written (see raw_values_select). -#}
{% macro raw_free_text_columns(table_name) -%}
    {%- set free_text = {
        "raw_dm_events": ["message_text", "buttons", "button_label"],
        "raw_crm_contacts": ["first_name", "last_name", "product_interest", "timeline", "last_action", "next_step"],
        "raw_orders": [],
        "raw_fx_rates": [],
        "raw_automation_costs": ["note"],
    } -%}
    {{ return(free_text[table_name]) }}
{%- endmacro %}


{#-
    on-run-start, when the sources read tables (raw_from_seeds false, no
    raw_path): every contract table must exist in var('raw_schema') with
    every contract column, as text, checked before anything runs, so that
    `dbt build` names the table and the missing or typed columns instead of
    failing in the first unit test with a binder error. (Files are checked when their views are
    created; the demo seeds are ours.)
-#}
{% macro check_raw_tables() -%}
    {%- if execute and var('raw_path', none) is none and not var('raw_from_seeds', true) -%}
        {%- set schema = var('raw_schema', 'raw') -%}
        {%- for table_name in raw_contract_tables() -%}
            {%- set relation = adapter.get_relation(database=target.get('database'), schema=schema, identifier=table_name) -%}
            {%- if relation is none -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table " ~ table_name ~ " not found in schema " ~ schema
                    ~ " (raw_from_seeds is false, so the sources read var raw_schema): load it there, or set raw_path to a folder of files"
                ) }}
            {%- endif -%}
            {%- set present = [] -%}
            {%- set typed = [] -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- do present.append(column.name) -%}
                {%- if (column.name | lower) in raw_contract_columns(table_name) and not is_text_column(column) -%}
                    {%- do typed.append(column.name ~ " (" ~ column.data_type ~ ")") -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do assert_contract_columns(table_name, present, origin=relation) -%}
            {%- if typed | length > 0 -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table " ~ relation ~ " has typed contract column(s) " ~ typed | join(", ")
                    ~ ": load every column as text (DuckDB: read_csv(..., all_varchar = true)); staging parses them"
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#-
    The parts of a raw row's fingerprint (base_dm_platform__events.raw_row_key):
    per contract column of table_name, its length, a colon and its value
    ('-' for null), columns separated by '|'. The length prefix keeps
    ('a|b', 'c') and ('a', 'b|c') apart.
-#}
{% macro raw_value_fingerprint_parts(table_name) -%}
    {%- set parts = [] -%}
    {%- for column in raw_contract_columns(table_name) -%}
        {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- do parts.append(
            "coalesce(cast(length(" ~ column ~ ") as " ~ dbt.type_string() ~ ") || ':' || " ~ column ~ ", '-')"
        ) -%}
    {%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}


{#- True for a text column: dbt's Column.is_string() knows varchar, text and
    character varying, but not Spark's own name, string. -#}
{% macro is_text_column(column) -%}
    {{ return(column.is_string() or (column.data_type | lower) == 'string') }}
{%- endmacro %}
