"""Lint-time stand-in for dbt's ``graph`` context (the project's nodes).

sqlfluff's jinja templater has no graph: the tests that read
``graph.nodes.values()`` (tests/data_quality/dq_rejects_covers_every_rejects_model.sql)
render over an empty one. dbt never imports this.
"""

nodes: dict = {}
