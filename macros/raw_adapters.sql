{#-
    Native export formats (issue 11): which format each raw table is read
    from, and the shared pieces of the adapters that turn a vendor's file
    into the contract columns.

    var('raw_formats') maps a raw table to a format; a table it does not
    name is read in the contract format (raw_file_scan, today's behaviour).
    For any other format, create_raw_file_views() asks the adapter macro
    raw_adapter_<format> (dispatched: default__ for DuckDB, spark__ for
    Spark) for a select of exactly the contract columns, as text, read from
    the vendor's own file(s) under raw_path, with fixed names
    (raw_native_file_stems). The view raw_files.<table> is that select, so
    the sources, staging, rejects and every test downstream do not know
    which format the data came from. docs/native_formats.md has the mapping
    tables.

    Adapters never drop a row: what they cannot map travels to staging in a
    contract column that staging rejects with a reason (an unknown status,
    an unparseable timestamp), and a header the adapter needs but does not
    find stops the run at on-run-start, naming the file and the headers.
-#}

{#- The formats each raw table can be read from, besides 'contract'. -#}
{% macro raw_native_formats() -%}
    {{ return({
        "raw_dm_events": ["instagram_webhooks_ndjson"],
        "raw_crm_contacts": ["hubspot_contacts_csv"],
        "raw_orders": ["shopify_orders_csv", "shopify_orders_ndjson"],
        "raw_fx_rates": [],
        "raw_automation_costs": [],
    }) }}
{%- endmacro %}


{#-
    The file name (without extension) each format reads under raw_path, and
    the extension. automation_log_ndjson is not a format of its own: it is
    the second file instagram_webhooks_ndjson reads (the automation's log).
-#}
{% macro raw_native_file_stems() -%}
    {{ return({
        "hubspot_contacts_csv": ("hubspot_contacts", "csv"),
        "shopify_orders_csv": ("shopify_orders", "csv"),
        "shopify_orders_ndjson": ("shopify_orders", "ndjson"),
        "instagram_webhooks_ndjson": ("instagram_webhooks", "ndjson"),
        "automation_log_ndjson": ("automation_log", "ndjson"),
    }) }}
{%- endmacro %}


{#-
    The format of every raw table, checked: var('raw_formats') must name
    contract tables and formats that exist for them, and needs raw_path.
-#}
{% macro raw_table_formats() -%}
    {%- set requested = var('raw_formats', none) or {} -%}
    {%- if requested is not mapping -%}
        {{ exceptions.raise_compiler_error("var raw_formats must be a mapping of raw table to format, e.g. {raw_orders: shopify_orders_csv}; got: " ~ requested) }}
    {%- endif -%}
    {%- set native = raw_native_formats() -%}
    {%- set formats = {} -%}
    {%- for table_name, file_format in requested.items() -%}
        {%- if table_name not in native -%}
            {{ exceptions.raise_compiler_error("var raw_formats names " ~ table_name ~ ", which is not a raw table of the contract (" ~ native.keys() | list | join(", ") ~ ")") }}
        {%- endif -%}
        {%- set allowed = ["contract"] + native[table_name] -%}
        {%- if file_format not in allowed -%}
            {{ exceptions.raise_compiler_error("var raw_formats: " ~ table_name ~ " cannot be read as '" ~ file_format ~ "'; formats for it: " ~ allowed | join(", ")) }}
        {%- endif -%}
        {%- do formats.update({table_name: file_format}) -%}
    {%- endfor -%}
    {%- if formats.values() | reject('equalto', 'contract') | list | length > 0 and not var('raw_path', none) -%}
        {{ exceptions.raise_compiler_error("var raw_formats reads native exports from files: set raw_path to the folder that holds them") }}
    {%- endif -%}
    {%- set result = {} -%}
    {%- for table_name in raw_contract_tables() -%}
        {%- do result.update({table_name: formats.get(table_name, "contract")}) -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}


{#-
    The select of one raw table in a native format: the adapter macro
    raw_adapter_<format>, dispatched. dbt's parser resolves
    adapter.dispatch() statically and needs the macro name as a literal
    ('raw_adapter_' ~ format fails to parse), hence one literal call per
    format; raw_native_formats() lists the same formats.
-#}
{% macro raw_adapter(file_format, raw_path) -%}
    {%- if file_format == 'hubspot_contacts_csv' -%}
        {{ return(adapter.dispatch('raw_adapter_hubspot_contacts_csv', 'dm_roi')(raw_path)) }}
    {%- elif file_format == 'shopify_orders_csv' -%}
        {{ return(adapter.dispatch('raw_adapter_shopify_orders_csv', 'dm_roi')(raw_path)) }}
    {%- elif file_format == 'shopify_orders_ndjson' -%}
        {{ return(adapter.dispatch('raw_adapter_shopify_orders_ndjson', 'dm_roi')(raw_path)) }}
    {%- elif file_format == 'instagram_webhooks_ndjson' -%}
        {{ return(adapter.dispatch('raw_adapter_instagram_webhooks_ndjson', 'dm_roi')(raw_path)) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error("no adapter macro for raw format " ~ file_format) }}
{%- endmacro %}


{#-
    Where the native file(s) of a format are: <raw_path>/<stem>.<ext> if it
    exists, else the part files <raw_path>/<stem>/*.<ext>; neither stops
    the run naming both paths. Dispatched (DuckDB looks with glob();
    Spark cannot look, see the spark__ version).
-#}
{% macro native_file_location(raw_path, file_format) -%}
    {{ return(adapter.dispatch('native_file_location', 'dm_roi')(raw_path, file_format)) }}
{%- endmacro %}

{% macro default__native_file_location(raw_path, file_format) -%}
    {%- set stem, extension = raw_native_file_stems()[file_format] -%}
    {%- set base = raw_path.rstrip('/') ~ '/' ~ stem -%}
    {%- set candidates = [base ~ '.' ~ extension, base ~ '/*.' ~ extension] -%}
    {%- set counts = run_query(raw_file_glob_counts(candidates)) -%}
    {%- for candidate in candidates -%}
        {%- if counts.columns[loop.index0].values()[0] > 0 -%}
            {{ return(candidate) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "raw_formats reads " ~ file_format ~ " but no file was found under raw_path '" ~ raw_path ~ "': expected "
        ~ candidates[0] ~ " or part files " ~ candidates[1]
    ) }}
{%- endmacro %}

{#-
    Spark SQL has no glob() to look first: a Hadoop path glob finds either layout,
    <stem>.<ext> or the part files <stem>/*.<ext> (as spark__raw_file_scan does); other files in
    the folder are not read. With neither, Spark stops when the table is created, naming the glob
    ([PATH_NOT_FOUND] Path does not exist: .../hubspot_contacts{.csv,/*.csv}).
-#}
{% macro spark__native_file_location(raw_path, file_format) -%}
    {%- set stem, extension = raw_native_file_stems()[file_format] -%}
    {{ return(raw_path.rstrip('/') ~ '/' ~ stem ~ '{.' ~ extension ~ ',/*.' ~ extension ~ '}') }}
{%- endmacro %}


{#-
    A native CSV export as a relation with every column as text, and its
    header names: (relation_sql, [column names]). Dispatched: DuckDB reads
    the file(s) with read_csv (all_varchar, var raw_csv_encoding of the raw
    table); Spark registers an external CSV table in schema raw_files.
-#}
{% macro native_csv_relation(location, table_name, native_name) -%}
    {{ return(adapter.dispatch('native_csv_relation', 'dm_roi')(location, table_name, native_name)) }}
{%- endmacro %}

{% macro default__native_csv_relation(location, table_name, native_name) -%}
    {%- set reader = raw_file_reader('csv', location, table_name) -%}
    {%- set described = run_query('describe select * from ' ~ reader) -%}
    {{ return((reader, described.columns[0].values() | list)) }}
{%- endmacro %}

{#-
    Spark reads CSV part files by position under the first file's header: enforceSchema false makes
    it check every file's header against it and stop on a file whose columns differ (DuckDB unions
    them by name). The encoding is var raw_csv_encoding of the raw table, as on DuckDB.
-#}
{% macro spark__native_csv_relation(location, table_name, native_name) -%}
    {%- set relation = api.Relation.create(schema='raw_files', identifier='native_' ~ native_name, type='table') -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- do run_query(
        'create table ' ~ relation ~ " using csv options (path '" ~ location ~ "', header 'true', multiLine 'true', "
        ~ "escape '\"', inferSchema 'false', enforceSchema 'false', encoding '" ~ spark_csv_encoding(table_name) ~ "')"
    ) -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do names.append(column.name) -%}
    {%- endfor -%}
    {{ return((relation | string, names)) }}
{%- endmacro %}


{#-
    A native NDJSON file as one row per non-blank line: source_file (the
    file's name, without its folder), line_number (1-based, counted in its
    file) and line (the text, without a trailing carriage return). Lines
    are read as text, not as JSON, so a line that is not JSON still becomes
    a row (the adapter turns it into a reject). Dispatched: DuckDB
    read_text + string_split with ordinality; Spark an external text table
    read whole (wholetext) and split with posexplode.
-#}
{% macro native_ndjson_lines(location, native_name) -%}
    {{ return(adapter.dispatch('native_ndjson_lines', 'dm_roi')(location, native_name)) }}
{%- endmacro %}

{% macro default__native_ndjson_lines(location, native_name) -%}
    (
        select
            regexp_extract(files.filename, '[^/]+$', 0) as source_file,
            cast(lines.line_number as bigint) as line_number,
            rtrim(lines.line, chr(13)) as line
        from read_text('{{ location }}') as files,
            unnest(string_split(files.content, chr(10))) with ordinality as lines (line, line_number)
        where trim(rtrim(lines.line, chr(13))) <> ''
    )
{%- endmacro %}

{#-
    input_file_name() is a URI: a part file 'day 1.ndjson' reads 'day%201.ndjson'. Its
    %-escapes are decoded ('+' kept: url_decode would read it as a space), so line references name
    the file as DuckDB does. A file is one text value (wholetext): at most 2 GB per file.
-#}
{% macro spark__native_ndjson_lines(location, native_name) -%}
    {%- set relation = api.Relation.create(schema='raw_files', identifier='native_' ~ native_name, type='table') -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- do run_query('create table ' ~ relation ~ " using text options (path '" ~ location ~ "', wholetext 'true')") -%}
    {{ return(
        "(select url_decode(replace(regexp_extract(source_file, '[^/]+$', 0), '+', '%2B')) as source_file,"
        ~ " cast(position + 1 as bigint) as line_number, regexp_replace(line, '\\r$', '') as line"
        ~ " from (select input_file_name() as source_file, posexplode(split(value, '\\n')) as (position, line) from "
        ~ relation ~ ") as lines where trim(line) <> '')"
    ) }}
{%- endmacro %}


{#- Header names of a native file, keyed by their trimmed lowercase form (first spelling wins). -#}
{% macro native_column_map(names) -%}
    {%- set found = {} -%}
    {%- for name in names -%}
        {%- set key = name | trim | lower -%}
        {%- if key not in found -%}
            {%- do found.update({key: name}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}


{#-
    The quoted column of the first alias the file has (aliases compared
    trimmed and case-insensitively: a label such as 'Record ID' or an
    internal name such as 'hs_object_id'), or none.
-#}
{% macro native_column(column_map, aliases) -%}
    {%- for alias in aliases -%}
        {%- if (alias | lower) in column_map -%}
            {{ return(adapter.quote(column_map[alias | lower])) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}


{#- A native column as trimmed text, '' as null; a typed null when the file lacks every alias. -#}
{% macro native_text(column_map, aliases) -%}
    {%- set column = native_column(column_map, aliases) -%}
    {%- if column is none -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    {{ return('nullif(trim(' ~ column ~ "), '')") }}
{%- endmacro %}


{#-
    Stops the run when the native file lacks a header the adapter needs.
    requirements: a list of alias lists, the first alias being the name
    shown (e.g. ['Record ID', 'hs_object_id']). The message names the
    table, the format, the file and every missing header, e.g.
    "raw_crm_contacts (hubspot_contacts_csv, /data/hubspot_contacts.csv) is
    missing header(s): Record ID (or hs_object_id)".
-#}
{% macro require_native_headers(table_name, file_format, origin, column_map, requirements) -%}
    {%- set missing = [] -%}
    {%- for aliases in requirements -%}
        {%- if native_column(column_map, aliases) is none -%}
            {%- do missing.append(aliases[0] ~ (" (or " ~ aliases[1:] | join(" or ") ~ ")" if aliases | length > 1 else "")) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            table_name ~ " (" ~ file_format ~ ", " ~ origin ~ ") is missing header(s): " ~ missing | join(", ")
            ~ " (see docs/native_formats.md)"
        ) }}
    {%- endif -%}
{%- endmacro %}


{#-
    The final select list of an adapter: every contract column of
    table_name in contract order, as text; expressions maps column name to
    SQL (a column it does not name is null). A key that is not a contract
    column is an error, so a typo cannot silently leave a column empty.
-#}
{% macro contract_select_list(table_name, expressions) -%}
    {%- set columns = raw_contract_columns(table_name) -%}
    {%- for key in expressions -%}
        {%- if key not in columns -%}
            {{ exceptions.raise_compiler_error("adapter for " ~ table_name ~ " maps " ~ key ~ ", which is not a contract column") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set items = [] -%}
    {%- for column in columns -%}
        {%- do items.append('cast(' ~ expressions.get(column, 'null') ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
    {%- endfor -%}
    {{ return(items | join(',\n    ')) }}
{%- endmacro %}


{#-
    A datetime without an offset, in time zone tz (e.g. HubSpot's export
    in the account's zone), as ISO-8601 UTC text ('2025-10-07T07:50:00Z').
    Text that already ends with an offset or Z passes unchanged; epoch
    milliseconds (12-13 digits) are UTC; text that is not a datetime is
    returned as it was, so staging rejects it showing the raw value.
    Accepted: 'YYYY-MM-DD HH:MM[:SS[.fff]]', with a space or 'T'.
    Dispatched.
-#}
{% macro local_datetime_to_utc_iso(expr, tz) -%}
    {{ return(adapter.dispatch('local_datetime_to_utc_iso', 'dm_roi')(expr, tz)) }}
{%- endmacro %}

{% macro default__local_datetime_to_utc_iso(expr, tz) -%}
    case
        when regexp_matches({{ expr }}, '(Z|[+-][0-9]{2}:?[0-9]{2})$') then {{ expr }}
        when regexp_matches({{ expr }}, '^[0-9]{12,13}$')
            then strftime(make_timestamp(cast({{ expr }} as bigint) * 1000), '%Y-%m-%dT%H:%M:%SZ')
        else coalesce(
            strftime(
                timezone('UTC', timezone('{{ tz }}', try_strptime(replace({{ expr }}, 'T', ' '), ['%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M']))),
                '%Y-%m-%dT%H:%M:%SZ'
            ),
            {{ expr }}
        )
    end
{%- endmacro %}

{#-
    Spark renders timestamps in the session zone: to_utc_timestamp(..., current_timezone()) shifts
    to UTC wall-clock first. Written to give DuckDB's text for every value the format accepts:
    - epoch ms: exactly 12-13 digits (a digit test, not rlike '...$', which Java lets match
      before a trailing newline);
    - 1-6 fraction digits, one- or two-digit month, day and time fields ('M', 'd', 'H', 'm', 's'
      parse both), as DuckDB's strptime;
    - a wall-clock time that occurs twice (the hour the clocks go back) is the later instant, the
      zone's standard time, as DuckDB (ICU) reads it; Java's to_utc_timestamp takes the earlier
      one. The later reading is the wall-clock time minus the offset in force three hours after
      the earlier reading (no transition repeats more than two hours), kept when it shows the same
      wall-clock time; a time in the gap of spring forward reads the same on both (the offset
      before the gap).
-#}
{% macro spark__local_datetime_to_utc_iso(expr, tz) -%}
    {%- set text = "replace(" ~ expr ~ ", 'T', ' ')" -%}
    {%- set wall_clock -%}
        coalesce(
            try_to_timestamp({{ text }}, 'yyyy-M-d H:m:s.SSSSSS'),
            try_to_timestamp({{ text }}, 'yyyy-M-d H:m:s'),
            try_to_timestamp({{ text }}, 'yyyy-M-d H:m')
        )
    {%- endset -%}
    {%- set earlier = "to_utc_timestamp(" ~ wall_clock ~ ", '" ~ tz ~ "')" -%}
    {%- set probe = "(" ~ earlier ~ " + interval 3 hours)" -%}
    {%- set later = "timestamp_micros(unix_micros(" ~ wall_clock ~ ") - (unix_micros(from_utc_timestamp("
        ~ probe ~ ", '" ~ tz ~ "')) - unix_micros(" ~ probe ~ ")))" -%}
    case
        when {{ expr }} rlike '(Z|[+-][0-9]{2}:?[0-9]{2})$' then {{ expr }}
        when length({{ expr }}) in (12, 13) and not {{ expr }} rlike '[^0-9]'
            then date_format(to_utc_timestamp(timestamp_millis(cast({{ expr }} as bigint)), current_timezone()), "yyyy-MM-dd'T'HH:mm:ss'Z'")
        else coalesce(
            date_format(
                case
                    when {{ later }} > {{ earlier }} and from_utc_timestamp({{ later }}, '{{ tz }}') = {{ wall_clock }}
                        then {{ later }}
                    else {{ earlier }}
                end,
                "yyyy-MM-dd'T'HH:mm:ss'Z'"
            ),
            {{ expr }}
        )
    end
{%- endmacro %}


{#-
    A datetime with a space before a compact offset, as Shopify's CSV
    export writes it ('2025-10-07 09:50:26 +0200'), as ISO-8601 text
    ('2025-10-07T09:50:26+02:00'). Anything else passes unchanged (an ISO
    value stays valid; garbage reaches staging's reject as written).
    Dispatched (back-references are \1 in DuckDB, $1 in Spark).
-#}
{% macro offset_datetime_to_iso(expr) -%}
    {{ return(adapter.dispatch('offset_datetime_to_iso', 'dm_roi')(expr)) }}
{%- endmacro %}

{% macro default__offset_datetime_to_iso(expr) -%}
    regexp_replace(
        {{ expr }},
        '^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}:[0-9]{2}(:[0-9]{2})?) ?([+-][0-9]{2}):?([0-9]{2})$',
        '\1T\2\4:\5'
    )
{%- endmacro %}

{% macro spark__offset_datetime_to_iso(expr) -%}
    regexp_replace(
        {{ expr }},
        '^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}:[0-9]{2}(:[0-9]{2})?) ?([+-][0-9]{2}):?([0-9]{2})$',
        '$1T$2$4:$5'
    )
{%- endmacro %}


{#- The text at a JSONPath of a JSON text ('$.a.b'); null when absent or JSON null. Dispatched. -#}
{% macro json_text(json_expr, path) -%}
    {{ return(adapter.dispatch('json_text', 'dm_roi')(json_expr, path)) }}
{%- endmacro %}

{% macro default__json_text(json_expr, path) -%}
    json_extract_string({{ json_expr }}, '{{ path }}')
{%- endmacro %}

{% macro spark__json_text(json_expr, path) -%}
    get_json_object({{ json_expr }}, '{{ path }}')
{%- endmacro %}


{#- True when a text is valid JSON (an object, for NDJSON lines). Dispatched. -#}
{% macro json_is_object(json_expr) -%}
    {{ return(adapter.dispatch('json_is_object', 'dm_roi')(json_expr)) }}
{%- endmacro %}

{% macro default__json_is_object(json_expr) -%}
    case when coalesce(json_valid({{ json_expr }}), false) then json_type({{ json_expr }}) = 'OBJECT' else false end
{%- endmacro %}

{#-
    Spark has no json_valid: an object parses to a non-null map (from_json returns null on bad
    input). from_json stops after the first value, so '{"a": 1} xx' or two objects on one line
    would pass: wrapped in [ ], the text must also be a JSON array of exactly one element.
    Never null (json_array_length of bad JSON is null), as DuckDB's version: 'not is_json' must
    hold for every line that is not an object.
-#}
{% macro spark__json_is_object(json_expr) -%}
    coalesce(from_json({{ json_expr }}, 'map<string,string>') is not null and json_array_length('[' || {{ json_expr }} || ']') = 1, false)
{%- endmacro %}
