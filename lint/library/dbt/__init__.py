"""Lint-time stand-ins for dbt's cross-database macros (``dbt.hash`` ...).

sqlfluff's jinja templater exposes this package as ``dbt`` in the template
context (``library_path`` in .sqlfluff). Each function renders the SQL that
dbt-duckdb would render, close enough for layout and style rules. dbt itself
never imports this.
"""


def hash(field):  # noqa: A001 - mirrors dbt.hash
    return f"md5(cast({field} as varchar))"


def concat(fields):
    return " || ".join(fields)


def safe_cast(field, type_):
    return f"try_cast({field} as {type_})"


def cast(field, type_):
    return f"cast({field} as {type_})"


def type_string():
    return "varchar"


def type_timestamp():
    return "timestamp"


def type_numeric():
    return "numeric(28, 6)"


def type_int():
    return "integer"


def type_bigint():
    return "bigint"


def type_float():
    return "double"


def type_boolean():
    return "boolean"


def date_trunc(datepart, date):
    return f"date_trunc('{datepart}', {date})"


def dateadd(datepart, interval, from_date_or_timestamp):
    return f"date_add({from_date_or_timestamp}, interval ({interval}) {datepart})"


def datediff(first_date, second_date, datepart):
    return f"date_diff('{datepart}', {first_date}, {second_date})"


def current_timestamp():
    return "current_timestamp"


def string_literal(value):
    return f"'{value}'"


def split_part(string_text, delimiter_text, part_number):
    return f"split_part({string_text}, {delimiter_text}, {part_number})"


def length(expression):
    return f"length({expression})"


def listagg(measure, delimiter_text="','", order_by_clause=None, limit_num=None):
    order = f" {order_by_clause}" if order_by_clause else ""
    return f"string_agg({measure}, {delimiter_text}{order})"


def replace(field, old_chars, new_chars):
    return f"replace({field}, {old_chars}, {new_chars})"


def position(substring_text, string_text):
    return f"position({substring_text} in {string_text})"


def right(string_text, length_expression):
    return f"right({string_text}, {length_expression})"


def escape_single_quotes(expression):
    return expression.replace("'", "''")


def last_day(date, datepart):
    return f"last_day({date})"
