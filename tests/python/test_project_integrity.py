"""Guards on the project's own structure, proved to bite.

dq_rejects unions the rejects models listed in the macro rejects_models();
the test dq_rejects_covers_every_rejects_model compares that list with the
dbt graph. A new *_rejects model that is not in the list must make the test
fail, naming it (checked on the compiled test: the query selects one row per
forgotten model, so it fails whenever the name is there).
"""

from __future__ import annotations

from pathlib import Path

from conftest import copy_project, run_dbt

NEW_REJECTS_MODEL = """
select
    cast('raw_orders' as varchar) as raw_table,
    cast('o1' as varchar) as record_id,
    cast('test' as varchar) as reject_reason
where 1 = 0
"""


def compiled_guard(project_dir: Path) -> str:
    result = run_dbt(project_dir, "compile", "--select", "dq_rejects_covers_every_rejects_model")
    assert result.returncode == 0, result.output[-3000:]
    compiled = list((project_dir / "target" / "compiled").rglob("dq_rejects_covers_every_rejects_model.sql"))
    assert len(compiled) == 1
    return compiled[0].read_text()


def test_a_rejects_model_left_out_of_dq_rejects_is_named(tmp_path):
    project_dir = copy_project(tmp_path / "project")
    assert "stg_shop__extra_rejects" not in compiled_guard(project_dir)

    (project_dir / "models" / "staging" / "shop" / "stg_shop__extra_rejects.sql").write_text(NEW_REJECTS_MODEL)
    assert "'stg_shop__extra_rejects'" in compiled_guard(project_dir)
