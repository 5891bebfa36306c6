{#-
    Shopify orders -> raw_orders, from either of two native formats
    (docs/native_formats.md has the mapping tables and what each loses):

    - shopify_orders_csv: the Admin's Orders > Export CSV,
      <raw_path>/shopify_orders.csv or <raw_path>/shopify_orders/*.csv.
      One row per line item; the order's columns are filled on its first
      row only, so rows are grouped by Name. Datetimes like
      '2025-10-07 09:50:26 +0200'. No landing_site and no UTM columns: the
      UTMs come only from Note Attributes lines 'utm_source: dm'.
    - shopify_orders_ndjson: Admin API order objects, one JSON per line
      (an API pull, or the orders/create and orders/updated webhook
      bodies as a receiver logs them), <raw_path>/shopify_orders.ndjson or
      <raw_path>/shopify_orders/*.ndjson. An order delivered several times
      (updates) is read at its latest updated_at; a line that is not JSON
      becomes a row that staging rejects, naming the file and line.

    Financial statuses outside the contract: authorized -> pending,
    expired -> voided; partially_paid has no contract meaning and reaches
    staging as is ('unknown financial_status: partially_paid').
-#}

{#- Contract financial_status of a Shopify financial status (see above). -#}
{% macro shopify_financial_status(expr) -%}
    case lower({{ expr }})
        when 'authorized' then 'pending'
        when 'expired' then 'voided'
        else {{ expr }}
    end
{%- endmacro %}


{#- A 'key: value' line of Shopify's Note Attributes cell (key case-insensitive), trimmed; null when absent. -#}
{% macro shopify_note_attribute(expr, key) -%}
    nullif(trim({{ regex_extract(expr, '(?im)^[ ]*' ~ key ~ '[ ]*:[ ]*([^\\r\\n]*)', 1) }}), '')
{%- endmacro %}


{% macro shopify_csv_required_headers() -%}
    {{ return([["Name"], ["Created at"], ["Currency"], ["Financial Status"], ["Total"]]) }}
{%- endmacro %}


{% macro default__raw_adapter_shopify_orders_csv(raw_path) -%}
    {%- set location = native_file_location(raw_path, 'shopify_orders_csv') -%}
    {%- set relation, names = native_csv_relation(location, 'raw_orders', 'shopify_orders') -%}
    {{ return(shopify_orders_csv_select(relation, names, location)) }}
{%- endmacro %}


{#- Same select over an external CSV table (make test-spark compares it with DuckDB's). -#}
{% macro spark__raw_adapter_shopify_orders_csv(raw_path) -%}
    {%- set location = native_file_location(raw_path, 'shopify_orders_csv') -%}
    {%- set relation, names = native_csv_relation(location, 'raw_orders', 'shopify_orders') -%}
    {{ return(shopify_orders_csv_select(relation, names, location)) }}
{%- endmacro %}


{% macro shopify_orders_csv_select(relation, names, origin) -%}
    {%- set c = native_column_map(names) -%}
    {%- do require_native_headers('raw_orders', 'shopify_orders_csv', origin, c, shopify_csv_required_headers()) -%}
    {%- set order_columns = {
        'created': ['Created at'], 'email': ['Email'], 'phone': ['Phone'], 'billing_phone': ['Billing Phone'],
        'shipping_phone': ['Shipping Phone'], 'currency': ['Currency'], 'subtotal': ['Subtotal'],
        'discount': ['Discount Amount'], 'shipping': ['Shipping'], 'taxes': ['Taxes'], 'total': ['Total'],
        'status': ['Financial Status'], 'refunded': ['Refunded Amount'], 'cancelled': ['Cancelled at'],
        'note_attributes': ['Note Attributes'], 'source': ['Source'],
    } -%}
    (
        with

        line_items as (

            select
                {{ native_text(c, ['Name']) }} as order_name,
                {%- for alias, headers in order_columns.items() %}
                {{ native_text(c, headers) }} as {{ alias }}{{ ',' if not loop.last }}
                {%- endfor %}
            from {{ relation }}

        ),

        orders as (

            {#- the order's columns are on its first line-item row only: the one non-empty value per Name -#}
            select
                order_name,
                count(distinct created) as created_values,
                min(created) as created_first,
                {%- for alias in order_columns %}
                max({{ alias }}) as {{ alias }}{{ ',' if not loop.last }}
                {%- endfor %}
            from line_items
            group by order_name

        )

        select
            {{ contract_select_list('raw_orders', {
                'order_id': 'order_name',
                'created_at': "case when created_values > 1 then 'conflicting Created at on the rows of ' || order_name || ': ' || created_first || ' / ' || created else " ~ offset_datetime_to_iso('created') ~ ' end',
                'customer_email': 'email',
                'customer_phone': 'coalesce(phone, billing_phone, shipping_phone)',
                'currency': 'currency',
                'subtotal': 'subtotal',
                'discount_total': 'discount',
                'shipping_total': 'shipping',
                'tax_total': 'taxes',
                'total_price': 'total',
                'financial_status': shopify_financial_status('status'),
                'refunded_amount': "coalesce(refunded, case when lower(status) not in ('partially_refunded', 'refunded') then '0' end)",
                'cancelled_at': offset_datetime_to_iso('cancelled'),
                'landing_site': 'null',
                'utm_source': shopify_note_attribute('note_attributes', 'utm_source'),
                'utm_medium': shopify_note_attribute('note_attributes', 'utm_medium'),
                'utm_campaign': shopify_note_attribute('note_attributes', 'utm_campaign'),
                'utm_content': shopify_note_attribute('note_attributes', 'utm_content'),
                'source_name': 'source',
            }) }}
        from orders
    )
{%- endmacro %}


{#-
    Sum of the successful refund transactions of an Admin API order
    (refunds[].transactions[] with kind 'refund' and status 'success'
    or no status), as a decimal; null without any. Dispatched.
-#}
{% macro shopify_json_refunded(json_expr) -%}
    {{ return(adapter.dispatch('shopify_json_refunded', 'dm_roi')(json_expr)) }}
{%- endmacro %}

{% macro default__shopify_json_refunded(json_expr) -%}
    list_sum(list_transform(
        list_filter(
            json_extract({{ json_expr }}, '$.refunds[*].transactions[*]'),
            lambda t: json_extract_string(t, '$.kind') = 'refund' and coalesce(json_extract_string(t, '$.status'), 'success') = 'success'
        ),
        lambda t: try_cast(json_extract_string(t, '$.amount') as decimal(38, 6))
    ))
{%- endmacro %}

{#-
    As DuckDB's list_sum: amounts that are not numbers are skipped (a null amount must not reset
    the running total), a refund without transactions adds nothing (flatten of a null inner array
    would make the whole order's list null), null when no amount is left.
-#}
{% macro spark__shopify_json_refunded(json_expr) -%}
    aggregate(
        filter(
            flatten(transform(
                from_json(get_json_object({{ json_expr }}, '$.refunds'), 'array<struct<transactions:array<struct<amount:string,kind:string,status:string>>>>'),
                r -> coalesce(r.transactions, array())
            )),
            t -> t.kind = 'refund' and coalesce(t.status, 'success') = 'success'
        ),
        cast(null as decimal(38, 6)),
        (total, t) -> case
            when try_cast(t.amount as decimal(38, 6)) is null then total
            else coalesce(total, 0) + try_cast(t.amount as decimal(38, 6))
        end
    )
{%- endmacro %}


{#- The value of the note attribute named name (case-insensitive) of an Admin API order, trimmed. Dispatched. -#}
{% macro shopify_json_note_attribute(json_expr, name) -%}
    {{ return(adapter.dispatch('shopify_json_note_attribute', 'dm_roi')(json_expr, name)) }}
{%- endmacro %}

{% macro default__shopify_json_note_attribute(json_expr, name) -%}
    nullif(trim(json_extract_string(
        list_filter(json_extract({{ json_expr }}, '$.note_attributes[*]'), lambda a: lower(json_extract_string(a, '$.name')) = '{{ name }}')[1],
        '$.value'
    )), '')
{%- endmacro %}

{% macro spark__shopify_json_note_attribute(json_expr, name) -%}
    nullif(trim(filter(
        from_json(get_json_object({{ json_expr }}, '$.note_attributes'), 'array<struct<name:string,value:string>>'),
        a -> lower(a.name) = '{{ name }}'
    )[0].value), '')
{%- endmacro %}


{% macro default__raw_adapter_shopify_orders_ndjson(raw_path) -%}
    {%- set location = native_file_location(raw_path, 'shopify_orders_ndjson') -%}
    {{ return(shopify_orders_ndjson_select(native_ndjson_lines(location, 'shopify_orders'))) }}
{%- endmacro %}


{#- Same select over an external text table (make test-spark compares it with DuckDB's). -#}
{% macro spark__raw_adapter_shopify_orders_ndjson(raw_path) -%}
    {%- set location = native_file_location(raw_path, 'shopify_orders_ndjson') -%}
    {{ return(shopify_orders_ndjson_select(native_ndjson_lines(location, 'shopify_orders'))) }}
{%- endmacro %}


{% macro shopify_orders_ndjson_select(lines) -%}
    {%- set j = 'doc' -%}
    {%- set line_ref = "source_file || ':' || cast(line_number as " ~ dbt.type_string() ~ ")" -%}
    (
        with

        lines as (

            select
                source_file,
                line_number,
                {{ json_is_object('line') }} as is_json,
                {#- JSON functions read only valid lines (DuckDB raises on invalid JSON) -#}
                case when {{ json_is_object('line') }} then line end as doc
            from {{ lines }} as native_lines

        ),

        keyed as (

            select
                *,
                case
                    when is_json then coalesce({{ json_text(j, '$.id') }}, {{ json_text(j, '$.name') }})
                end as shop_order_key,
                case when is_json then {{ parse_utc_timestamp(json_text(j, '$.updated_at')) }} end as updated_at
            from lines

        ),

        versions as (

            {#- orders/updated delivers the same order again: its latest version (updated_at, then the later line) stands for it -#}
            select
                *,
                row_number() over (
                    partition by coalesce('order ' || shop_order_key, {{ line_ref }})
                    order by updated_at desc, source_file desc, line_number desc
                ) as version_number
            from keyed

        )

        select
            {{ contract_select_list('raw_orders', {
                'order_id': 'case when is_json then coalesce(' ~ json_text(j, '$.name') ~ ', ' ~ json_text(j, '$.id') ~ ') else ' ~ line_ref ~ ' end',
                'created_at': "case when is_json then " ~ json_text(j, '$.created_at') ~ " else 'invalid JSON on line ' || cast(line_number as " ~ dbt.type_string() ~ ") || ' of ' || source_file end",
                'customer_email': 'coalesce(' ~ json_text(j, '$.email') ~ ', ' ~ json_text(j, '$.contact_email') ~ ', ' ~ json_text(j, '$.customer.email') ~ ')',
                'customer_phone': 'coalesce(' ~ json_text(j, '$.phone') ~ ', ' ~ json_text(j, '$.customer.phone') ~ ', ' ~ json_text(j, '$.billing_address.phone') ~ ', ' ~ json_text(j, '$.shipping_address.phone') ~ ')',
                'currency': json_text(j, '$.currency'),
                'subtotal': json_text(j, '$.subtotal_price'),
                'discount_total': json_text(j, '$.total_discounts'),
                'shipping_total': json_text(j, '$.total_shipping_price_set.shop_money.amount'),
                'tax_total': json_text(j, '$.total_tax'),
                'total_price': json_text(j, '$.total_price'),
                'financial_status': shopify_financial_status(json_text(j, '$.financial_status')),
                'refunded_amount': 'case when is_json then coalesce(' ~ shopify_json_refunded(j) ~ ', 0) end',
                'cancelled_at': json_text(j, '$.cancelled_at'),
                'landing_site': json_text(j, '$.landing_site'),
                'utm_source': shopify_json_note_attribute(j, 'utm_source'),
                'utm_medium': shopify_json_note_attribute(j, 'utm_medium'),
                'utm_campaign': shopify_json_note_attribute(j, 'utm_campaign'),
                'utm_content': shopify_json_note_attribute(j, 'utm_content'),
                'source_name': json_text(j, '$.source_name'),
            }) }}
        from versions
        where version_number = 1
    )
{%- endmacro %}
