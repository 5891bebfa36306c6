{#-
    Connected components in SQL rounds: the `connected_components`
    materialization and the SQL of each step.

    The model's SQL returns the edges of an undirected graph as two columns,
    node_key and linked_node_key (strings). The materialization writes a
    table with one row per node that has at least one edge:
    node_key, root_node_key (the smallest node_key of its component, by
    plain string comparison) and settled_in_round.

    The nodes are numbered in node_key order first (row_number), so the
    rounds join and compare integers; the result is mapped back to keys.

    Algorithm: min-label hooking with pointer jumping (the "extended connect
    + shortcut" family analysed by Liu & Tarjan, Simple Concurrent Connected
    Components Algorithms, 2022), as a Jinja loop of SQL rounds run at
    execution time. Every node v has a label L(v), a node of its own
    component with L(v) <= v; initially the smallest of v and its
    neighbours. One round:
      1. hook:     for every edge (v, w) with L(w) < L(v), propose L(w) to v
                   and to the node L(v) (the root of v's tree moves too);
                   each node takes the smallest proposal, or keeps its label;
      2. shortcut: L(v) := L(L(v)) (pointer jumping: trees halve in depth);
      3. settle:   a label group {v : L(v) = x} is closed when L(x) = x and
                   every edge touching the group stays inside it. A closed
                   group is exactly a whole component whose smallest node is
                   x (it is closed under adjacency, and every label lies in
                   its node's component), and no later round could change it,
                   so it is written out and leaves the work set, edges and
                   all. Later rounds only touch components still open.
    The loop ends when no node is left open. If nothing changed in a
    round, every group is closed, so the loop always ends; it fails loudly
    after config max_rounds rounds instead of returning a partial answer.

    Portability: only create table as (dbt's create_table_as), drop and
    rename (adapter methods), count(*) through run_query, and one insert
    (dispatched below). No recursion, no warehouse-specific functions.
-#}

{% materialization connected_components, default %}

    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
    {%- set backup_relation_type = 'table' if existing_relation is none else existing_relation.type -%}
    {%- set backup_relation = make_backup_relation(target_relation, backup_relation_type) -%}
    {%- set max_rounds = config.get('max_rounds', 64) | int -%}
    {%- set grant_config = config.get('grants') -%}
    {%- set work = connected_components_work_relations(target_relation) -%}

    {{ drop_relation_if_exists(load_cached_relation(intermediate_relation)) }}
    {{ drop_relation_if_exists(load_cached_relation(backup_relation)) }}
    {% do connected_components_drop_work_relations(work) %}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {#- Round 0: number the nodes in node_key order, the edges in both directions, the first labels. -#}
    {% call statement('connected_components_numbers') -%}
        {{ create_table_as(False, work['numbers'], connected_components_numbers_sql(compiled_code)) }}
    {%- endcall %}
    {% call statement('connected_components_edges') -%}
        {{ create_table_as(False, work['edges_0'], connected_components_edges_sql(compiled_code, work['numbers'])) }}
    {%- endcall %}
    {% call statement('connected_components_labels') -%}
        {{ create_table_as(False, work['labels_0'], connected_components_initial_labels_sql(work['edges_0'])) }}
    {%- endcall %}
    {% call statement('connected_components_done') -%}
        {{ create_table_as(False, work['done'], connected_components_empty_done_sql(work['labels_0'])) }}
    {%- endcall %}

    {%- set state = namespace(open_nodes=connected_components_count(work['labels_0']), rounds=0) -%}
    {{ log(this.identifier ~ ': ' ~ state.open_nodes ~ ' linked nodes', info=False) }}

    {% for round_number in range(1, max_rounds + 1) if state.open_nodes > 0 %}
        {%- set previous = (round_number - 1) % 2 -%}
        {%- set current = round_number % 2 -%}
        {%- set labels = work['labels_' ~ previous] -%}
        {%- set edges = work['edges_' ~ previous] -%}

        {% call statement('connected_components_hook') -%}
            {{ create_table_as(False, work['hooked'], connected_components_hook_sql(labels, edges)) }}
        {%- endcall %}
        {% call statement('connected_components_open') -%}
            {{ create_table_as(False, work['open'], connected_components_open_labels_sql(work['hooked'], edges)) }}
        {%- endcall %}
        {% call statement('connected_components_settle') -%}
            {{ connected_components_append_sql(
                work['done'], connected_components_settled_sql(work['hooked'], work['open'], round_number)
            ) }}
        {%- endcall %}
        {% do adapter.drop_relation(labels) %}
        {% call statement('connected_components_next_labels') -%}
            {{ create_table_as(False, work['labels_' ~ current], connected_components_still_open_sql(work['hooked'], work['open'])) }}
        {%- endcall %}
        {% call statement('connected_components_next_edges') -%}
            {{ create_table_as(False, work['edges_' ~ current], connected_components_open_edges_sql(edges, work['labels_' ~ current])) }}
        {%- endcall %}
        {% do adapter.drop_relation(edges) %}
        {% do adapter.drop_relation(work['hooked']) %}
        {% do adapter.drop_relation(work['open']) %}

        {%- set state.rounds = round_number -%}
        {%- set state.open_nodes = connected_components_count(work['labels_' ~ current]) -%}
        {{ log(this.identifier ~ ': round ' ~ round_number ~ ', ' ~ state.open_nodes ~ ' nodes still open', info=False) }}
    {% endfor %}

    {% if state.open_nodes > 0 %}
        {% do connected_components_drop_work_relations(work) %}
        {{ exceptions.raise_compiler_error(
            this.identifier ~ ': connected components did not converge in ' ~ max_rounds ~ ' rounds ('
            ~ state.open_nodes ~ ' nodes still open). Raise the max_rounds config (var identity_max_rounds)'
            ~ ' only after checking the edges: on a correct graph the rounds grow with the logarithm of'
            ~ ' the longest chain.'
        ) }}
    {% endif %}

    {% call statement('main') -%}
        {{ create_table_as(False, intermediate_relation, connected_components_result_sql(work['done'], work['numbers'])) }}
    {%- endcall %}
    {% do connected_components_drop_work_relations(work) %}

    {% if existing_relation is not none %}
        {{ adapter.rename_relation(existing_relation, backup_relation) }}
    {% endif %}
    {{ adapter.rename_relation(intermediate_relation, target_relation) }}

    {{ log(this.identifier ~ ': converged in ' ~ state.rounds ~ ' round(s)', info=True) }}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) %}
    {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}
    {% do persist_docs(target_relation, model) %}

    {% do connected_components_commit() %}

    {{ drop_relation_if_exists(backup_relation) }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}


{#- The work tables of one model: fixed names, so a failed run's leftovers are found and dropped. -#}
{% macro connected_components_work_relations(target_relation) -%}
    {%- set work = {} -%}
    {%- for name in ['numbers', 'edges_0', 'edges_1', 'labels_0', 'labels_1', 'hooked', 'open', 'done'] -%}
        {%- do work.update({
            name: target_relation.incorporate(
                path={'identifier': target_relation.identifier ~ '__cc_' ~ name}, type='table'
            )
        }) -%}
    {%- endfor -%}
    {{ return(work) }}
{%- endmacro %}


{#- drop_relation is "drop table if exists": work tables are not in dbt's relation cache. -#}
{% macro connected_components_drop_work_relations(work) -%}
    {%- for name, relation in work.items() -%}
        {%- do adapter.drop_relation(relation) -%}
    {%- endfor -%}
{%- endmacro %}


{% macro connected_components_count(relation) -%}
    {%- set result = run_query('select count(*) as row_count from ' ~ relation) -%}
    {{ return(result.columns[0].values()[0] | int) }}
{%- endmacro %}


{#-
    Every node of the edges, numbered in node_key order: the rounds compare and join integers
    (several times faster than long string keys), and the smallest number of a component is
    its smallest node_key. The numbers live only inside one run.
-#}
{% macro connected_components_numbers_sql(edges_sql) -%}
    with

    input_edges as (

        select * from (
            {{ edges_sql }}
        ) as model_edges

    ),

    endpoints as (

        select node_key from input_edges
        union
        select linked_node_key as node_key from input_edges

    )

    select
        node_key,
        row_number() over (order by node_key) as node_number
    from endpoints
    where node_key is not null
{%- endmacro %}


{#- Both directions of every input edge, once, as node numbers; self-loops and nulls dropped. -#}
{% macro connected_components_edges_sql(edges_sql, numbers_relation) -%}
    with

    input_edges as (

        select * from (
            {{ edges_sql }}
        ) as model_edges

    ),

    numbered as (

        select
            node_numbers.node_number as node_key,
            linked_numbers.node_number as linked_node_key
        from input_edges
        inner join {{ numbers_relation }} as node_numbers
            on input_edges.node_key = node_numbers.node_key
        inner join {{ numbers_relation }} as linked_numbers
            on input_edges.linked_node_key = linked_numbers.node_key
        where input_edges.node_key <> input_edges.linked_node_key

    ),

    both_directions as (

        select
            node_key,
            linked_node_key
        from numbered
        union all
        select
            linked_node_key as node_key,
            node_key as linked_node_key
        from numbered

    )

    select distinct
        node_key,
        linked_node_key
    from both_directions
{%- endmacro %}


{#- Label 0: the smallest of a node and its neighbours. -#}
{% macro connected_components_initial_labels_sql(edges_relation) -%}
    select
        node_key,
        case
            when min(linked_node_key) < node_key then min(linked_node_key)
            else node_key
        end as label
    from {{ edges_relation }}
    group by node_key
{%- endmacro %}


{% macro connected_components_empty_done_sql(labels_relation) -%}
    select
        node_key,
        label,
        0 as settled_in_round
    from {{ labels_relation }}
    where 1 = 0
{%- endmacro %}


{#- One round: hook (node and its label's node take the smallest neighbour label), then one shortcut. -#}
{% macro connected_components_hook_sql(labels_relation, edges_relation) -%}
    with

    lower_neighbour_labels as (

        select
            edges.node_key,
            node_labels.label as node_label,
            linked_labels.label as linked_label
        from {{ edges_relation }} as edges
        inner join {{ labels_relation }} as node_labels
            on edges.node_key = node_labels.node_key
        inner join {{ labels_relation }} as linked_labels
            on edges.linked_node_key = linked_labels.node_key
        where linked_labels.label < node_labels.label

    ),

    proposals as (

        select
            node_key,
            label as proposed_label
        from {{ labels_relation }}
        union all
        select
            node_key,
            linked_label as proposed_label
        from lower_neighbour_labels
        union all
        select
            node_label as node_key,
            linked_label as proposed_label
        from lower_neighbour_labels

    ),

    hooked as (

        select
            node_key,
            min(proposed_label) as label
        from proposals
        group by node_key

    )

    select
        hooked.node_key,
        coalesce(parents.label, hooked.label) as label
    from hooked
    left join hooked as parents
        on hooked.label = parents.node_key
{%- endmacro %}


{#- Labels whose group is still open: an edge leaves the group, or its label node is not a root. -#}
{% macro connected_components_open_labels_sql(labels_relation, edges_relation) -%}
    with

    crossing_edges as (

        select node_labels.label
        from {{ edges_relation }} as edges
        inner join {{ labels_relation }} as node_labels
            on edges.node_key = node_labels.node_key
        inner join {{ labels_relation }} as linked_labels
            on edges.linked_node_key = linked_labels.node_key
        where node_labels.label <> linked_labels.label

    ),

    non_root_labels as (

        select parents.node_key as label
        from {{ labels_relation }} as parents
        where parents.label <> parents.node_key

    ),

    open_labels as (

        select label from crossing_edges
        union all
        select non_root_labels.label
        from non_root_labels
        inner join (select distinct label from {{ labels_relation }}) as used_labels
            on non_root_labels.label = used_labels.label

    )

    select distinct label
    from open_labels
{%- endmacro %}


{% macro connected_components_settled_sql(labels_relation, open_relation, round_number) -%}
    select
        labels.node_key,
        labels.label,
        {{ round_number }} as settled_in_round
    from {{ labels_relation }} as labels
    left join {{ open_relation }} as open_labels
        on labels.label = open_labels.label
    where open_labels.label is null
{%- endmacro %}


{% macro connected_components_still_open_sql(labels_relation, open_relation) -%}
    select
        labels.node_key,
        labels.label
    from {{ labels_relation }} as labels
    inner join {{ open_relation }} as open_labels
        on labels.label = open_labels.label
{%- endmacro %}


{#- Edges of open components (an edge never joins a closed group to an open one). -#}
{% macro connected_components_open_edges_sql(edges_relation, open_labels_relation) -%}
    select
        edges.node_key,
        edges.linked_node_key
    from {{ edges_relation }} as edges
    inner join {{ open_labels_relation }} as open_nodes
        on edges.node_key = open_nodes.node_key
{%- endmacro %}


{#- Back from numbers to keys: node_key, root_node_key (the smallest key of the component), settled_in_round. -#}
{% macro connected_components_result_sql(done_relation, numbers_relation) -%}
    select
        nodes.node_key,
        roots.node_key as root_node_key,
        done.settled_in_round
    from {{ done_relation }} as done
    inner join {{ numbers_relation }} as nodes
        on done.node_key = nodes.node_number
    inner join {{ numbers_relation }} as roots
        on done.label = roots.node_number
{%- endmacro %}


{#- Commit the open transaction (DuckDB); Spark has no transactions. -#}
{% macro connected_components_commit() -%}
    {{ return(adapter.dispatch('connected_components_commit', 'dm_roi')()) }}
{%- endmacro %}

{% macro default__connected_components_commit() -%}
    {%- do adapter.commit() -%}
{%- endmacro %}

{% macro spark__connected_components_commit() -%}
{%- endmacro %}


{#- Append the rows of a query to a table. -#}
{% macro connected_components_append_sql(relation, sql) -%}
    {{ return(adapter.dispatch('connected_components_append_sql', 'dm_roi')(relation, sql)) }}
{%- endmacro %}

{% macro default__connected_components_append_sql(relation, sql) -%}
    insert into {{ relation }} {{ sql }}
{%- endmacro %}

{% macro spark__connected_components_append_sql(relation, sql) -%}
    insert into table {{ relation }} {{ sql }}
{%- endmacro %}
