{#-
    Content fingerprints: how a daily run finds the persons whose data
    changed without a time column to compare (DECISIONLOG "Daily runs",
    person-level models).

    row_hash(exprs): a 64-bit hash of a list of SQL expressions (nulls
    included, position matters).
    set_fingerprint(expr): an aggregate of such hashes that stands for the
    multiset of rows it reads: the sum, exact (DuckDB sums 64-bit hashes
    into a 128-bit integer; Spark sums them as decimal(38,0), so neither
    wraps nor fails on overflow). A row added, removed, changed or repeated
    changes the sum, but for a chance of 2^-64.
-#}
{% macro row_hash(exprs) -%}
    {{ return(adapter.dispatch('row_hash', 'dm_roi')(exprs)) }}
{%- endmacro %}

{% macro default__row_hash(exprs) -%}
    hash({{ exprs | join(', ') }})
{%- endmacro %}

{% macro spark__row_hash(exprs) -%}
    {#- xxhash64 skips nulls: each value is tagged with its position and a null marker -#}
    xxhash64(
        {%- for expr in exprs %}
        coalesce(concat('{{ loop.index }}:', cast({{ expr }} as string)), '{{ loop.index }}~')
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{% macro set_fingerprint(expr) -%}
    {{ return(adapter.dispatch('set_fingerprint', 'dm_roi')(expr)) }}
{%- endmacro %}

{% macro default__set_fingerprint(expr) -%}
    cast(sum({{ expr }}) as hugeint)
{%- endmacro %}

{% macro spark__set_fingerprint(expr) -%}
    sum(cast({{ expr }} as decimal(38, 0)))
{%- endmacro %}


{#- whole_row_hash(tag, alias): row_hash of a tag and every column of the row of `alias` (a table alias of the FROM clause). -#}
{% macro whole_row_hash(tag, alias) -%}
    {{ return(adapter.dispatch('whole_row_hash', 'dm_roi')(tag, alias)) }}
{%- endmacro %}

{% macro default__whole_row_hash(tag, alias) -%}
    hash('{{ tag }}', {{ alias }})
{%- endmacro %}

{% macro spark__whole_row_hash(tag, alias) -%}
    xxhash64('{{ tag }}', struct({{ alias }}.*))
{%- endmacro %}
