{#-
    Raw tables read straight from files (var('raw_path')).

    create_raw_file_views() runs in on-run-start (dbt_project.yml). With
    var('raw_path') set, it creates schema raw_files and, for each of the
    five raw tables, a view over the first layout that exists under
    raw_path:
        <raw_path>/<table>.parquet
        <raw_path>/<table>.csv
        <raw_path>/<table>/*.parquet   (part files, e.g. one per day)
        <raw_path>/<table>/*.csv
    The view holds the contract columns, each cast to text and named in
    lowercase (raw_file_scan). Parquet may carry real types (booleans,
    decimals, dates, timestamps with time zone): they are cast to text and
    parsed by the same staging rules as text exports. CSV is always read as
    text (all_varchar), never type-guessed, so '+1555...' phones and UTC
    offsets survive. Header names match the contract case-insensitively;
    extra columns are ignored; part files are combined by column name.
    Nothing is copied: the views read the files each time staging runs.
    A table that var('raw_formats') names in a native format (a vendor's
    export: HubSpot, Shopify, Instagram webhooks) gets its view from the
    adapter macro of that format instead (macros/raw_adapters.sql), with
    the same contract columns as text; on Spark that one is a table written
    at on-run-start, not a view (create_raw_file_relation says why).
    The sources point at schema raw_files then (models/staging/*/_*__sources.yml),
    so lineage, docs, unit tests and freshness work as with tables; the
    views are in their own schema, so they never replace a table a user
    loaded into schema raw.

    DuckDB issue 23818 (open in DuckDB 2.0): a try_cast written directly on
    a column of read_csv is pushed into the CSV reader, which then raises on
    a bad value instead of returning null. Staging never casts a bare raw
    column: every parse macro casts trim(column) (normalize.sql,
    sql_functions.sql; the freshness loaded_at_field too), which keeps the
    cast out of the reader; tests/python/test_file_sources.py proves it
    with a bad timestamp and a bad amount in a CSV source.
-#}
{% macro create_raw_file_views() -%}
    {%- set raw_path = var('raw_path', none) -%}
    {%- if execute and not raw_path -%}
        {%- do raw_table_formats() -%}
    {%- endif -%}
    {%- if execute and raw_path -%}
        {%- set formats = raw_table_formats() -%}
        {#- target.get: a Spark target has no database (none there, DuckDB's as before) -#}
        {%- set schema_relation = api.Relation.create(database=target.get('database'), schema='raw_files') -%}
        {%- do adapter.create_schema(schema_relation) -%}
        {%- for table_name in raw_contract_tables() -%}
            {%- if formats[table_name] == 'contract' -%}
                {%- set scan = raw_file_scan(raw_path, table_name) -%}
            {%- else -%}
                {%- set scan = raw_adapter(formats[table_name], raw_path) -%}
            {%- endif -%}
            {%- do create_raw_file_relation(table_name, scan, formats[table_name] != 'contract') -%}
        {%- endfor -%}
        {#- on-run-start runs in a transaction that dbt rolls back: keep the views -#}
        {%- do adapter.commit() -%}
    {%- endif -%}
{%- endmacro %}


{#-
    raw_files.<table> over the select of its files. Dispatched: DuckDB always a view.
-#}
{% macro create_raw_file_relation(table_name, scan, is_native) -%}
    {{ return(adapter.dispatch('create_raw_file_relation', 'dm_roi')(table_name, scan, is_native)) }}
{%- endmacro %}

{% macro default__create_raw_file_relation(table_name, scan, is_native) -%}
    {%- set view = api.Relation.create(database=target.get('database'), schema='raw_files', identifier=table_name, type='view') -%}
    {%- call statement('raw_file_view_' ~ table_name) -%}
        create or replace view {{ view }} as select * from {{ scan }} as raw_rows
    {%- endcall -%}
{%- endmacro %}

{#-
    Spark: a contract table is a view, as on DuckDB; a native format's select is written once into
    a Parquet table at on-run-start. The metastore of the spark target (embedded Derby) keeps a
    view's SQL in a LONG VARCHAR of at most 32,700 characters, and the Instagram adapter's select
    is longer (about 33,000): as a view it fails with "A truncation error was encountered trying
    to shrink LONG VARCHAR". A table has no such limit, and the readers (base model, rejects,
    data-quality counts, freshness) all read the same rows, parsed once. A relation of the other
    kind left by an earlier run under the name is dropped first (Spark cannot replace a table
    by a view or the reverse).
-#}
{% macro spark__create_raw_file_relation(table_name, scan, is_native) -%}
    {%- set existing = adapter.get_relation(database=none, schema='raw_files', identifier=table_name) -%}
    {%- set wanted = 'table' if is_native else 'view' -%}
    {%- if existing is not none and (existing.type != wanted or is_native) -%}
        {%- do adapter.drop_relation(existing) -%}
    {%- endif -%}
    {%- set relation = api.Relation.create(schema='raw_files', identifier=table_name, type=wanted) -%}
    {%- call statement('raw_file_view_' ~ table_name) -%}
        {%- if is_native %}
        create table {{ relation }} using parquet as select * from {{ scan }} as raw_rows
        {%- else %}
        create or replace view {{ relation }} as select * from {{ scan }} as raw_rows
        {%- endif %}
    {%- endcall -%}
{%- endmacro %}


{#- The select of one raw table from files: contract columns as text. -#}
{% macro raw_file_scan(raw_path, table_name) -%}
    {{ return(adapter.dispatch('raw_file_scan', 'dm_roi')(raw_path, table_name)) }}
{%- endmacro %}


{% macro default__raw_file_scan(raw_path, table_name) -%}
    {%- set base = raw_path.rstrip('/') ~ '/' ~ table_name -%}
    {%- set layouts = [
        ('parquet', base ~ '.parquet'),
        ('csv', base ~ '.csv'),
        ('parquet', base ~ '/*.parquet'),
        ('csv', base ~ '/*.csv'),
    ] -%}
    {%- set found = [] -%}
    {%- set counts = run_query(raw_file_glob_counts(layouts | map(attribute=1) | list)) -%}
    {%- for layout in layouts -%}
        {%- if counts.columns[loop.index0].values()[0] > 0 and found | length == 0 -%}
            {%- do found.append(layout) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw table " ~ table_name ~ " not found under raw_path '" ~ raw_path ~ "': expected "
            ~ base ~ ".parquet, " ~ base ~ ".csv, or part files " ~ base ~ "/*.parquet or " ~ base ~ "/*.csv"
        ) }}
    {%- endif -%}
    {%- set file_format, pattern = found[0] -%}
    {%- set reader = raw_file_reader(file_format, pattern, table_name) -%}
    {%- set described = run_query('describe select * from ' ~ reader) -%}
    {%- set actual = {} -%}
    {%- for name in described.columns[0].values() -%}
        {%- if (name | lower) not in actual -%}
            {%- do actual.update({name | lower: name}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if file_format == 'csv' -%}
        {%- do check_csv_rows(table_name, pattern, actual.keys() | list) -%}
    {%- endif -%}
    {%- do assert_contract_columns(table_name, actual.keys() | list, pattern) -%}
    {%- set projection = [] -%}
    {%- for column in raw_contract_columns(table_name) -%}
        {%- do projection.append('cast(' ~ adapter.quote(actual[column]) ~ ' as varchar) as ' ~ column) -%}
    {%- endfor -%}
    {{ return('(select ' ~ projection | join(', ') ~ ' from ' ~ reader ~ ')') }}
{%- endmacro %}


{% macro spark__raw_file_scan(raw_path, table_name) -%}
    {#- Spark SQL has no glob() to look first: the format comes from
        var('raw_file_format') (parquet, the default, or csv), and a Hadoop
        path glob finds either layout, <table>.<format> or the part files
        <table>/*.<format> (no file: Spark stops naming the path). The files
        are registered as an external table raw_files.<table>__files (a
        catalog entry, nothing copied; CSV: header, every column text,
        quoted multi-line fields, encoding of var raw_csv_encoding) and the
        view selects the contract columns from it, each cast to text (names
        match case-insensitively, as Spark resolves them). -#}
    {%- set file_format = var('raw_file_format', 'parquet') -%}
    {%- if file_format not in ('parquet', 'csv') -%}
        {{ exceptions.raise_compiler_error("var raw_file_format must be parquet or csv on Spark, not " ~ file_format) }}
    {%- endif -%}
    {%- set base = raw_path.rstrip('/') ~ '/' ~ table_name -%}
    {%- set location = base ~ '{.' ~ file_format ~ ',/*.' ~ file_format ~ '}' -%}
    {%- set encoding = spark_csv_encoding(table_name) -%}
    {%- set files = api.Relation.create(schema='raw_files', identifier=table_name ~ '__files', type='table') -%}
    {%- do run_query('drop table if exists ' ~ files) -%}
    {%- if file_format == 'csv' -%}
        {%- set options = "path '" ~ location ~ "', header 'true', inferSchema 'false', multiLine 'true', "
            ~ "escape '\"', encoding '" ~ encoding ~ "'" -%}
    {%- else -%}
        {%- set options = "path '" ~ location ~ "', mergeSchema 'true'" -%}
    {%- endif -%}
    {%- do run_query('create table ' ~ files ~ ' using ' ~ file_format ~ ' options (' ~ options ~ ')') -%}
    {%- set present = [] -%}
    {%- for column in adapter.get_columns_in_relation(files) -%}
        {%- do present.append(column.name | lower) -%}
    {%- endfor -%}
    {%- do assert_contract_columns(table_name, present, location) -%}
    {%- set projection = [] -%}
    {%- for column in raw_contract_columns(table_name) -%}
        {%- do projection.append('cast(`' ~ column ~ '` as string) as ' ~ column) -%}
    {%- endfor -%}
    {{ return('(select ' ~ projection | join(', ') ~ ' from ' ~ files ~ ')') }}
{%- endmacro %}


{#- One row: how many files each glob pattern finds (DuckDB glob()). -#}
{% macro raw_file_glob_counts(patterns) -%}
    select
    {%- for pattern in patterns %}
        (select count(*) from glob('{{ pattern }}')) as layout_{{ loop.index0 }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- The encoding of a raw table's CSV file(s): var raw_csv_encoding, one encoding for every table
    ('latin-1') or a mapping per table ({raw_crm_contacts: latin-1}; the others utf-8). -#}
{% macro raw_csv_encoding(table_name) -%}
    {%- set encoding = var('raw_csv_encoding', 'utf-8') -%}
    {%- if encoding is mapping -%}
        {%- set encoding = encoding.get(table_name, 'utf-8') -%}
    {%- endif -%}
    {{ return(encoding) }}
{%- endmacro %}


{#-
    The same encoding as Spark 4's CSV reader names it: it accepts only iso-8859-1, us-ascii,
    utf-8, utf-16(be/le) and utf-32 (anything else stops the run with INVALID_PARAMETER_VALUE.CHARSET),
    so DuckDB's 'latin-1', the spelling this project documents, is passed as 'iso-8859-1'.
-#}
{% macro spark_csv_encoding(table_name) -%}
    {%- set encoding = raw_csv_encoding(table_name) | lower -%}
    {%- set aliases = {'latin-1': 'iso-8859-1', 'latin1': 'iso-8859-1', 'iso8859-1': 'iso-8859-1', 'utf8': 'utf-8'} -%}
    {{ return(aliases.get(encoding, encoding)) }}
{%- endmacro %}


{#- The DuckDB table function that reads one layout, every column as read from the file.
    CSV files are read in var('raw_csv_encoding'): one encoding for every table
    ('latin-1'), or a mapping per table ({raw_crm_contacts: latin-1}; others utf-8). -#}
{% macro raw_file_reader(file_format, pattern, table_name=none) -%}
    {%- set encoding = raw_csv_encoding(table_name) -%}
    {%- if file_format == 'parquet' -%}
        read_parquet('{{ pattern }}', union_by_name = true)
    {%- else -%}
        read_csv(
            '{{ pattern }}', header = true, all_varchar = true, union_by_name = true, max_line_size = 16777216,
            encoding = '{{ encoding }}'
        )
    {%- endif -%}
{%- endmacro %}


{#-
    check_csv_rows(table_name, pattern, sniffed_columns)

    DuckDB's CSV sniffer guesses the dialect from the file: one row with
    more or fewer fields than the header, or an unterminated quote, makes it
    read the whole file as one column, or take a data row for the header.
    The contract check would then report missing columns although the
    header is right. When the sniffed columns lack a contract column but the
    file's first line, split at commas, has them all, the file is read again
    with the header's field count and the comma dialect fixed, and the run
    stops naming the file, the lines and what is wrong with each (DuckDB's
    rejects tables), the fix being in those lines. Nothing happens otherwise.
-#}
{% macro check_csv_rows(table_name, pattern, sniffed_columns) -%}
    {{ return(adapter.dispatch('check_csv_rows', 'dm_roi')(table_name, pattern, sniffed_columns)) }}
{%- endmacro %}


{% macro default__check_csv_rows(table_name, pattern, sniffed_columns) -%}
    {%- set sniffed = sniffed_columns | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for column in raw_contract_columns(table_name) -%}
        {%- if column not in sniffed -%}{%- do missing.append(column) -%}{%- endif -%}
    {%- endfor -%}
    {%- if missing | length > 0 -%}
        {%- set encoding = var('raw_csv_encoding', 'utf-8') -%}
        {%- if encoding is mapping -%}{%- set encoding = encoding.get(table_name, 'utf-8') -%}{%- endif -%}
        {#- the first line as it is: a delimiter that never occurs, no quotes -#}
        {%- set first = run_query(
            "select line from read_csv('" ~ pattern ~ "', header = false, auto_detect = false, "
            ~ "columns = {'line': 'varchar'}, delim = chr(1), quote = '', escape = '', encoding = '"
            ~ encoding ~ "') limit 1"
        ) -%}
        {%- set header = (first.rows[0][0] if first.rows | length > 0 else '') or '' -%}
        {%- set names = [] -%}
        {%- for name in header.split(',') -%}{%- do names.append(name | trim | lower) -%}{%- endfor -%}
        {%- set header_complete = [] -%}
        {%- for column in raw_contract_columns(table_name) -%}
            {%- if column in names -%}{%- do header_complete.append(column) -%}{%- endif -%}
        {%- endfor -%}
        {%- if header_complete | length == raw_contract_columns(table_name) | length -%}
            {%- set columns = [] -%}
            {%- for name in names -%}{%- do columns.append("'c" ~ loop.index ~ "': 'varchar'") -%}{%- endfor -%}
            {%- do run_query(
                "select count(*) from read_csv('" ~ pattern ~ "', header = true, auto_detect = false, "
                ~ "columns = {" ~ columns | join(', ') ~ "}, delim = ',', quote = '\"', escape = '\"', "
                ~ "encoding = '" ~ encoding ~ "', store_rejects = true, "
                ~ "rejects_table = 'dm_roi_csv_rejects', rejects_scan = 'dm_roi_csv_scans')"
            ) -%}
            {%- set problems = run_query(
                "select scans.file_path, errors.line, errors.error_message "
                ~ "from dm_roi_csv_rejects as errors inner join dm_roi_csv_scans as scans "
                ~ "on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id "
                ~ "order by 1, 2 limit 5"
            ) -%}
            {%- set lines = [] -%}
            {%- for row in problems.rows -%}
                {%- do lines.append(row[0] ~ " line " ~ row[1] ~ ": " ~ row[2]) -%}
            {%- endfor -%}
            {{ exceptions.raise_compiler_error(
                table_name ~ " (" ~ pattern ~ ") cannot be read as a table: its header names every contract "
                ~ "column, but DuckDB misread the file (it took the columns for: " ~ sniffed_columns | join(', ')
                ~ "). " ~ ("Rows that break it: " ~ lines | join('; ') if lines else "No row broke a plain comma read either")
                ~ ". Fix those lines (a row with more or fewer fields than the header, or a quote that is "
                ~ "never closed) and build again."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{% macro spark__check_csv_rows(table_name, pattern, sniffed_columns) -%}
    {#- Spark's CSV reader takes the header as given (no dialect sniffing): nothing to check. -#}
{%- endmacro %}
