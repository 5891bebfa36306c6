

{#-
    person_map_nodes(node_type, id_column): the select of the person of every
    node of one type, from a CTE named person_map (int_identity_person_map)
    of the calling model: node_id renamed id_column, and person_id.
-#}
{% macro person_map_nodes(node_type, id_column) -%}
    select
        node_id as {{ id_column }},
        person_id

    from person_map
    where node_type = '{{ node_type }}'
{%- endmacro %}
