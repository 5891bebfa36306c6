{#-
    Daily runs (issue 15): the event models are incremental on DuckDB and
    reprocess whole threads, never a time slice (DECISIONLOG "Daily runs").

    How a run finds what is new. Each incremental model keeps the receive
    time of what it has read (received_at, or last_received_at per
    session). Its cutoff is the latest of those minus
    var('incremental_lookback_hours'); a raw row received at or after the
    cutoff is new or re-read. From the new raw rows the models work out
    what they must rebuild:
      - stg_dm_platform__events: every event_id with a valid copy received
        since the cutoff, rebuilt from all its copies (a retry that arrives
        days later changes delivery_count; a copy that differs turns the id
        into a conflict, which removes it from staging);
      - the thread models (sessionised events, sessions, steps, links and
        buttons): every thread that holds a copy of such an event_id (old
        copies too: a conflicting copy can name another thread), rebuilt
        from all the thread's events.
    A model deletes the rows of what it rebuilds (a pre-hook, so a thread
    that lost its only event loses its rows) and appends the rebuilt rows.
    The cutoff is read once per run (incremental_cutoff runs its query
    when the model compiles and when the pre-hook renders, both before the
    delete), so the delete and the insert name the same keys.

    On Spark (Parquet tables: no delete, no merge) these models are plain
    tables, rebuilt in full each run: incremental_materialization().
-#}


{#- 'incremental' where the adapter can delete rows (DuckDB), else 'table' (Spark). -#}
{% macro incremental_materialization() -%}
    {{ return(adapter.dispatch('incremental_materialization', 'dm_roi')()) }}
{%- endmacro %}

{% macro default__incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__incremental_materialization() -%}
    {{ return('table') }}
{%- endmacro %}


{#-
    The cutoff of an incremental run as a SQL timestamp literal: the latest
    value of timestamp_column in this model's table (rows matching `where`
    only) minus var('incremental_lookback_hours'). None when the model is
    not running incrementally or its table is empty: then everything is
    read.
-#}
{% macro incremental_cutoff(timestamp_column, where=none) -%}
    {#- a unit test has no table of its own (this is none): it always runs as a full build -#}
    {%- if not execute or this is none or model.resource_type == 'unit_test' or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set lookback = var('incremental_lookback_hours') | int -%}
    {%- set query -%}
        select cast({{ dbt.dateadd('hour', -1 * lookback, 'max(' ~ timestamp_column ~ ')') }} as {{ dbt.type_string() }})
        from {{ this }}
        {%- if where %} where {{ where }}{% endif %}
    {%- endset -%}
    {%- set value = run_query(query).columns[0].values()[0] -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ value ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}


{#-
    The event_ids to rebuild: every id with a valid copy in
    base_dm_platform__events received at or after cutoff.
-#}
{% macro dm_event_ids_to_rebuild(cutoff) -%}
    select distinct event_id
    from {{ ref('base_dm_platform__events') }}
    where reject_reason is null and received_at >= {{ cutoff }}
{%- endmacro %}


{#-
    A lower bound on the received_at of every valid copy of the event_ids to
    rebuild (dm_event_ids_to_rebuild): their earliest copy, as a SQL
    timestamp literal, read when the model compiles (the cutoff when there
    is no id to rebuild). A scan that reads every column of the 9.5M loaded
    copies to find the few thousand of those ids adds `received_at >=` this
    bound: base_dm_platform__events is written in received order (daily
    files, appended loads), so DuckDB skips the row groups before it by
    their min/max. Exact: no copy of those ids lies before it. Only a
    retry or conflict of an old event moves it back, by the age of that
    event.
-#}
{% macro earliest_copy_to_rebuild(cutoff) -%}
    {%- if not execute -%}
        {{ return(cutoff) }}
    {%- endif -%}
    {%- set query -%}
        select cast(min(received_at) as {{ dbt.type_string() }})
        from {{ ref('base_dm_platform__events') }}
        where reject_reason is null and event_id in ({{ dm_event_ids_to_rebuild(cutoff) }})
    {%- endset -%}
    {%- set value = run_query(query).columns[0].values()[0] -%}
    {%- if value is none -%}
        {{ return(cutoff) }}
    {%- endif -%}
    {{ return("cast('" ~ value ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}


{#-
    The threads touched since cutoff, worked out from the raw copies: every
    thread with a valid copy of an event_id to rebuild
    (dm_event_ids_to_rebuild), whenever that copy was received. Two scans of
    every loaded copy: only int_dm_thread_touches runs it, once per run.
-#}
{% macro dm_threads_touched_since(cutoff) -%}
    select distinct thread_id
    from {{ ref('base_dm_platform__events') }}
    where
        reject_reason is null
        and received_at >= {{ earliest_copy_to_rebuild(cutoff) }}
        and event_id in ({{ dm_event_ids_to_rebuild(cutoff) }})
{%- endmacro %}


{#-
    The threads to rebuild: those touched at or after cutoff
    (int_dm_thread_touches, the same set as dm_threads_touched_since, read
    from one row per thread).
-#}
{% macro dm_threads_to_rebuild(cutoff) -%}
    select thread_id
    from {{ ref('int_dm_thread_touches') }}
    where last_touched_at >= {{ cutoff }}
{%- endmacro %}


{#-
    A pre-hook of an incremental model: on an incremental run with a cutoff
    (incremental_cutoff(cutoff_column, cutoff_where)), delete this model's
    rows whose key_column (event_id or thread_id) the run rebuilds and
    appends. Renders nothing otherwise.
-#}
{% macro delete_rebuilt_keys(key_column, cutoff_column, cutoff_where=none) -%}
    {%- set cutoff = incremental_cutoff(cutoff_column, cutoff_where) -%}
    {%- if cutoff is not none -%}
        delete from {{ this }}
        where {{ key_column }} in (
            {%- if key_column == 'event_id' -%}
                {{ dm_event_ids_to_rebuild(cutoff) }}
            {%- elif key_column == 'thread_id' -%}
                {{ dm_threads_to_rebuild(cutoff) }}
            {%- else -%}
                {{ exceptions.raise_compiler_error('delete_rebuilt_keys: key_column must be event_id or thread_id, not ' ~ key_column) }}
            {%- endif -%}
        )
    {%- endif -%}
{%- endmacro %}


{#-
    A where-clause condition: the row's thread is one to rebuild
    (dm_threads_to_rebuild), or true when there is no cutoff (a full build).
-#}
{% macro in_threads_to_rebuild(cutoff, column='thread_id') -%}
    {%- if cutoff is none -%}
        true
    {%- else -%}
        {{ column }} in ({{ dm_threads_to_rebuild(cutoff) }})
    {%- endif -%}
{%- endmacro %}


{#-
    A where-clause condition: the row's event_id is one to rebuild
    (dm_event_ids_to_rebuild), or true when there is no cutoff.
-#}
{% macro in_event_ids_to_rebuild(cutoff, column='event_id') -%}
    {%- if cutoff is none -%}
        true
    {%- else -%}
        (
            received_at >= {{ earliest_copy_to_rebuild(cutoff) }}
            and {{ column }} in ({{ dm_event_ids_to_rebuild(cutoff) }})
        )
    {%- endif -%}
{%- endmacro %}


{#-
    A where-clause condition on raw_dm_events rows (base_dm_platform__events):
    the row is received at or after cutoff, or its received_at cannot be
    placed (unparseable or implausible: a reject, read every run so it is
    loaded once); true when there is no cutoff.
    Parsing a timestamp is most of the cost of reading a year of rows, so a
    cheap test on the text comes first (raw_event_rows_not_surely_older): a received_at that starts with a
    date (YYYY-MM-DD) five days or more before the cutoff's date is older
    than the cutoff whatever its offset (the parser accepts offsets of at
    most 99 hours), and is not parsed. What that test skips and the exact
    test would have read is only a reject with an old-looking date (e.g.
    hour 25 on an old day, or year 1970): loaded by the run that first sees
    it when that is a full build; arriving in a later load, it is counted
    missing by dq_raw_dm_events_all_loaded, which fails the build and asks
    for --full-refresh, so nothing is dropped silently.
-#}
{% macro raw_event_rows_to_read(cutoff) -%}
    {%- if cutoff is none -%}
        true
    {%- else -%}
        (
            {{ parse_utc_timestamp('received_at') }} >= {{ cutoff }}
            or {{ parse_utc_timestamp('received_at') }} is null
            or {{ is_implausible_timestamp(parse_utc_timestamp('received_at')) }}
        )
    {%- endif -%}
{%- endmacro %}


{#-
    The cheap test on the raw text that comes before raw_event_rows_to_read
    (see there): false for a received_at that sorts from '1000' up to (not
    including) the date five days before the cutoff's (YYYY-MM-DD), i.e. a
    text that starts with an earlier date; true otherwise (null, empty,
    leading blanks, other text) and when there is no cutoff. Plain
    comparisons of the raw column with constants, so that the scan applies
    them before any other column is read or cleaned (DuckDB pushes them
    into the Parquet reader).
-#}
{% macro raw_event_rows_not_surely_older(cutoff) -%}
    {%- if cutoff is none -%}
        true
    {%- else -%}
        {%- set floor_date = dbt.cast(dbt.cast(dbt.dateadd('day', -5, cutoff), 'date'), dbt.type_string()) -%}
        (
            received_at is null
            or received_at >= {{ floor_date }}
            or received_at < '1000'
        )
    {%- endif -%}
{%- endmacro %}


{#-
    A where-clause condition on a raw row that raw_event_rows_to_read
    selected: no row of this model (base_dm_platform__events) has its
    key_expr in raw_row_key yet (an incremental run appends only new keys);
    true when there is no cutoff. Only the loaded rows that the same window
    selects can hold it (their received_at is the same text, parsed the same
    way), so the anti-join reads those, not every loaded row.
-#}
{% macro not_loaded_yet(key_expr, cutoff) -%}
    {%- if cutoff is none -%}
        true
    {%- else -%}
        not exists (
            select 1 from {{ this }} as loaded
            where
                loaded.raw_row_key = {{ key_expr }}
                and (
                    loaded.received_at >= {{ cutoff }}
                    or loaded.received_at is null
                    or {{ is_implausible_timestamp('loaded.received_at') }}
                )
        )
    {%- endif -%}
{%- endmacro %}


{#-
    The config of an incremental model that rebuilds whole keys (event_id or
    thread_id, see delete_rebuilt_keys), and its cutoff: called at the top
    of the model as `{%- set cutoff = incremental_rebuild('thread_id',
    'last_received_at') -%}`. It declares the dependencies on the
    tables where the keys to rebuild are read: base_dm_platform__events,
    and int_dm_thread_touches for thread_id.
-#}
{% macro incremental_rebuild(key_column, cutoff_column) -%}
    {%- do ref('base_dm_platform__events') -%}
    {%- if key_column == 'thread_id' -%}
        {%- do ref('int_dm_thread_touches') -%}
    {%- endif -%}
    {%- do config(
        materialized=incremental_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rebuilt_keys('" ~ key_column ~ "', '" ~ cutoff_column ~ "') }}",
    ) -%}
    {{ return(incremental_cutoff(cutoff_column)) }}
{%- endmacro %}


{#-
    The rows of cte with copy_column: their number among the rows with the
    same hash_column (1 for a row without an identical twin; identical rows
    are interchangeable, so any order numbers them). DuckDB numbers only the
    repeated hashes (a window over every raw row was seconds at a year of
    events); Spark numbers every row in one window: the union of the two
    branches made its optimizer inline the fingerprint into a plan that ran
    out of memory.
-#}
{% macro number_identical_rows(cte, hash_column, copy_column) -%}
    {{ return(adapter.dispatch('number_identical_rows', 'dm_roi')(cte, hash_column, copy_column)) }}
{%- endmacro %}

{% macro default__number_identical_rows(cte, hash_column, copy_column) -%}
    {%- set repeated -%}
        (
            select {{ hash_column }} from {{ cte }}
            group by {{ hash_column }}
            having count(*) > 1
        )
    {%- endset -%}
    select
        {{ cte }}.*,
        1 as {{ copy_column }}
    from {{ cte }}
    left join {{ repeated }} as repeated_hashes
        on {{ cte }}.{{ hash_column }} = repeated_hashes.{{ hash_column }}
    where repeated_hashes.{{ hash_column }} is null

    union all

    select
        {{ cte }}.*,
        row_number() over (partition by {{ cte }}.{{ hash_column }} order by {{ cte }}.{{ hash_column }})
            as {{ copy_column }}
    from {{ cte }}
    inner join {{ repeated }} as repeated_hashes
        on {{ cte }}.{{ hash_column }} = repeated_hashes.{{ hash_column }}
{%- endmacro %}

{% macro spark__number_identical_rows(cte, hash_column, copy_column) -%}
    select
        {{ cte }}.*,
        row_number() over (partition by {{ hash_column }} order by {{ hash_column }}) as {{ copy_column }}
    from {{ cte }}
{%- endmacro %}


{#-
    Person-level incremental models (dq_outbound_messages): a row belongs
    to a person key (person_key_expr, over the columns of this model's
    table) and stores the fingerprint of its person
    (int_contacts_person_fingerprints) as person_fingerprint. A run deletes
    the rows whose person key no longer has that fingerprint (the person
    changed, merged, split or is gone: delete_stale_persons, a pre-hook),
    then appends the rows of every person key with no row left
    (persons_without_rows). No time column: what changed is found by
    content, so a late CRM record, an order or a new edge of the identity
    graph reaches exactly the persons it touches. Called at the top of the
    model as `{%- set incremental_run = incremental_by_person('...') -%}`;
    true on an incremental run.
-#}
{% macro incremental_by_person(person_key_expr) -%}
    {%- do ref('int_contacts_person_fingerprints') -%}
    {%- do config(
        materialized=incremental_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_stale_persons(\"" ~ person_key_expr ~ "\") }}",
    ) -%}
    {{ return(execute and this is not none and model.resource_type != 'unit_test' and is_incremental()) }}
{%- endmacro %}


{#-
    The pre-hook of incremental_by_person: deletes this model's rows whose
    person key (person_key_expr, its columns qualified by `stored.`) has
    another fingerprint now, or none. Renders nothing on a full build.
-#}
{% macro delete_stale_persons(person_key_expr) -%}
    {%- if execute and this is not none and model.resource_type != 'unit_test' and is_incremental() -%}
        delete from {{ this }} as stored
        where not exists (
            select 1 from {{ ref('int_contacts_person_fingerprints') }} as fingerprints
            where
                fingerprints.person_key = {{ person_key_expr }}
                and fingerprints.person_fingerprint = stored.person_fingerprint
        )
    {%- endif -%}
{%- endmacro %}


{#-
    A where-clause condition of a person-level incremental model
    (incremental_by_person): column is in the single-column CTE `keys_cte`
    (the threads or CRM records of the persons the run rebuilds) on an
    incremental run; true on a full build.
-#}
{% macro in_rebuilt_persons(incremental_run, column, keys_cte) -%}
    {%- if incremental_run -%}
        {{ column }} in (select * from {{ keys_cte }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
