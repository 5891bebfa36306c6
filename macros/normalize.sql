{#-
    Normalisation rules of the identity and attribution specs, written once
    and used by every staging model. They are portable: the only
    warehouse-specific pieces are the dispatched primitives of
    sql_functions.sql. Each rule is pinned by unit tests on the staging
    models (see models/staging/**/*.yml, unit_tests).
-#}

{# Blank-safe text: trimmed, '' becomes null. #}
{% macro clean_text(expr) -%}
    nullif(trim({{ expr }}), '')
{%- endmacro %}


{# Enum values are trimmed and lowercased before they are checked. #}
{% macro normalize_enum(expr) -%}
    nullif(lower(trim({{ expr }})), '')
{%- endmacro %}


{# ISO 4217 codes: trimmed, uppercase. #}
{% macro normalize_currency(expr) -%}
    nullif(upper(trim({{ expr }})), '')
{%- endmacro %}


{#
    Invisible characters out of an identifier: Unicode format characters
    (zero-width space and joiners, bidi marks, word joiner, soft hyphen,
    byte-order mark: category Cf) are removed and no-break spaces become
    spaces, so a handle or email pasted with them is the same customer.
#}
{% macro strip_invisible(expr) -%}
    {{ regex_replace_all(regex_replace_all(expr, '\\p{Cf}', ''), '[\\x{00A0}\\x{2007}\\x{202F}]', ' ') }}
{%- endmacro %}


{# Emails: invisible characters out, trimmed, spaces removed (also inside), lowercase. #}
{% macro normalize_email(expr) -%}
    nullif(lower(replace(trim({{ strip_invisible(expr) }}), ' ', '')), '')
{%- endmacro %}


{# Instagram handles: invisible characters out, trimmed, lowercase, no leading '@'. #}
{% macro normalize_handle(expr) -%}
    nullif(lower({{ regex_replace_all('trim(' ~ strip_invisible(expr) ~ ')', '^@+', '') }}), '')
{%- endmacro %}


{#
    Phones to E.164 ('+' and 8-15 digits). Keep the digits; a leading '+' or
    '00' means international; a number of national_number_digits plus the
    default code's digits that starts with the default code keeps it;
    otherwise drop one leading trunk '0' and prepend
    default_country_calling_code. Anything outside 8-15 digits is null
    (staging keeps the raw value, so invalid phones can be counted).
#}
{% macro normalize_phone(expr) -%}
    {%- set code = var('default_country_calling_code') | string -%}
    {%- set full_length = (var('national_number_digits') | int) + (code | length) -%}
    {%- set digits = regex_replace_all(expr, '[^0-9]', '') -%}
    {%- set e164_digits -%}
        case
            when trim({{ expr }}) like '+%' then {{ digits }}
            when {{ digits }} like '00%' then substring({{ digits }}, 3)
            when length({{ digits }}) = {{ full_length }} and {{ digits }} like '{{ code }}%' then {{ digits }}
            when {{ digits }} like '0%' then '{{ code }}' || substring({{ digits }}, 2)
            else '{{ code }}' || {{ digits }}
        end
    {%- endset -%}
    case
        when length({{ e164_digits }}) between 8 and 15 then '+' || {{ e164_digits }}
    end
{%- endmacro %}


{#
    One UTM parameter of a URL or a path with a query string. The parameter
    name is matched case-insensitively and exactly: a misspelled key
    (utm_campain) is a missing parameter, which the UTM-completeness tests
    report. The value is URL-decoded, trimmed and lowercased; empty is null.
#}
{% macro url_parameter(url_expr, parameter_name) -%}
    nullif(lower(trim({{ url_decode(regex_extract(url_expr, '(?i)[?&]' ~ parameter_name ~ '=([^&#]*)', 1)) }})), '')
{%- endmacro %}


{# A UTM value saved in its own column: trimmed, lowercased, empty is null. #}
{% macro normalize_utm(expr) -%}
    nullif(lower(trim({{ expr }})), '')
{%- endmacro %}


{#
    Booleans exported as text. true/false, t/f, 1/0, yes/no in any case;
    empty is null. Anything else is null as well: callers compare against
    the raw value to tell an invalid boolean from an empty one.
#}
{% macro parse_boolean(expr) -%}
    case
        when lower(trim({{ expr }})) in ('{{ var("boolean_true_values") | join("', '") }}') then true
        when lower(trim({{ expr }})) in ('{{ var("boolean_false_values") | join("', '") }}') then false
    end
{%- endmacro %}


{# Amounts exported as text, as exact decimals; null when not a number. #}
{% macro parse_amount(expr) -%}
    {{ dbt.safe_cast('nullif(trim(' ~ expr ~ "), '')", 'decimal(38, 6)') }}
{%- endmacro %}


{# Exchange rates exported as text, as exact decimals. #}
{% macro parse_rate(expr) -%}
    {{ dbt.safe_cast('nullif(trim(' ~ expr ~ "), '')", 'decimal(38, 10)') }}
{%- endmacro %}
