""" "Is it real?": the noise tests of kpi_scorecard (macros/significance.sql,
int_kpi_noise_tests) against values computed by hand and by scipy.

1. The macros, rendered by dbt (`dbt show --inline`), on cases worked out
   by hand: the textbook Wilson interval of 0 of 10 (0, 0.27753), a change
   of 0 % to 0 % (p = 1), counts 4 -> 5 (z = 1/3) and 0 -> 9 (z = 3), no
   data (null).
2. Every row of int_kpi_noise_tests on the demo, recomputed from
   int_kpi_period_values with scipy: Wilson intervals from
   scipy.stats.binomtest(...).proportion_ci(method='wilson'), p-values from
   scipy.stats.norm on the z statistics of the spec's tests. The SQL uses
   an erfc approximation (absolute error < 1.5e-7): p-values agree within
   2e-7, intervals within 1e-12.
"""

from __future__ import annotations

import json
import math

import pytest
from scipy import stats

from conftest import copy_project, run_dbt

P_TOLERANCE = 2e-7


def two_sided_p(z: float) -> float:
    return 2 * stats.norm.sf(abs(z))


def test_macros_on_cases_worked_out_by_hand(tmp_path, demo_build):
    project_dir = copy_project(tmp_path / "project")
    cases = {
        "wilson_0_of_10_low": "{{ wilson_bound(0, 10, 'low') }}",
        "wilson_0_of_10_high": "{{ wilson_bound(0, 10, 'high') }}",
        "wilson_10_of_10_low": "{{ wilson_bound(10, 10, 'low') }}",
        "proportion_both_zero": "{{ two_proportion_p(0, 4, 0, 5) }}",
        "proportion_no_data": "{{ two_proportion_p(0, 0, 3, 5) }}",
        "count_4_to_5": "{{ poisson_count_p(4, 5) }}",
        "count_0_to_9": "{{ poisson_count_p(0, 9) }}",
        "count_0_to_0": "{{ poisson_count_p(0, 0) }}",
        "rate_no_exposure": "{{ poisson_rate_p(3, 0, 4, 10) }}",
    }
    query = "select " + ", ".join(f"{sql} as {name}" for name, sql in cases.items())
    result = run_dbt(
        project_dir, "show", "--inline", query, "--output", "json", "--quiet", warehouse=demo_build.warehouse
    )
    assert result.returncode == 0, result.output[-3000:]
    row = json.loads(result.output[result.output.index("{") :])["show"][0]

    assert row["wilson_0_of_10_low"] == 0.0
    # at 0 of n the Wilson bounds are 0 and z^2 / (n + z^2): 3.8415 / 13.8415 = 0.27753 (the textbook value)
    z2 = 1.959963984540054**2
    assert row["wilson_0_of_10_high"] == pytest.approx(z2 / (10 + z2), abs=1e-12)
    assert row["wilson_0_of_10_high"] == pytest.approx(0.27753, abs=5e-6)
    assert row["wilson_10_of_10_low"] == pytest.approx(10 / (10 + z2), abs=1e-12)
    assert row["proportion_both_zero"] == 1.0
    assert row["proportion_no_data"] is None
    assert row["count_4_to_5"] == pytest.approx(math.erfc((1 / 3) / math.sqrt(2)), abs=P_TOLERANCE)
    assert row["count_0_to_9"] == pytest.approx(0.0026998, abs=P_TOLERANCE)
    assert row["count_0_to_0"] == 1.0
    assert row["rate_no_exposure"] is None


def scipy_expectation(test, x1, n1, x2, n2):
    """(ci_low, ci_high, p) of one KPI's change, computed independently of the SQL."""
    ci_low = ci_high = p = None
    if test == "proportion":
        if n2:
            interval = stats.binomtest(int(x2), int(n2)).proportion_ci(confidence_level=0.95, method="wilson")
            ci_low, ci_high = interval.low, interval.high
        if n1 is not None and n1 and n2:
            pooled = (x1 + x2) / (n1 + n2)
            if pooled in (0, 1):
                p = 1.0
            else:
                z = (x2 / n2 - x1 / n1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
                p = two_sided_p(z)
    elif test == "count" and x1 is not None:
        p = 1.0 if x1 + x2 == 0 else two_sided_p((x2 - x1) / math.sqrt(x1 + x2))
    elif test == "rate_per_exposure" and n1 is not None and n1 and n2:
        if x1 + x2 == 0:
            p = 1.0
        else:
            rate = (x1 + x2) / (n1 + n2)
            p = two_sided_p((x2 / n2 - x1 / n1) / math.sqrt(rate * (1 / n1 + 1 / n2)))
    return ci_low, ci_high, p


def test_every_demo_row_agrees_with_scipy(demo_build):
    registry_inputs = {
        # kpi -> (numerator, denominator) as in kpi_registry(); counts test the KPI itself
        "first_message_open_rate": ("sessions_with_first_message_read", "sessions_with_outbound_message"),
        "first_message_dropoff_rate": ("sessions_dropped_after_first_message", "sessions_with_outbound_message"),
        "lead_capture_rate": ("sessions_with_consented_lead", "sessions_started"),
        "dm_to_sale_rate": ("sold_sessions", "sessions_started"),
        "lead_to_customer_rate": ("converted_leads", "sessions_with_consented_lead"),
        "frt_under_60s_rate": ("sessions_answered_within_60s", "sessions_with_outbound_message"),
        "self_serve_rate": ("self_served_sessions", "sessions_started"),
        "handoff_rate": ("handed_off_sessions", "sessions_started"),
        "opt_out_rate": ("opted_out_sessions", "sessions_started"),
        "button_ctr": ("button_clicks", "messages_with_buttons"),
        "link_ctr": ("link_clicks", "messages_with_link"),
    }
    counts = ["sessions_started", "comment_to_dm_starts", "story_reply_starts", "keyword_starts", "ad_starts"]
    counts += ["direct_starts", "attributed_orders"]
    checked = 0
    for kpi, columns in [*registry_inputs.items(), *[(kpi, (kpi, None)) for kpi in counts]]:
        numerator, denominator = columns
        exposure = f"{{side}}.{denominator}" if denominator else "null"
        rows = demo_build.query(
            f"select t.noise_test, t.ci_low, t.ci_high, t.change_p_value, t.is_change_significant, "
            f"p.{numerator}, {exposure.format(side='p')}, c.{numerator}, {exposure.format(side='c')} "
            "from intermediate.int_kpi_noise_tests t "
            "join intermediate.int_kpi_period_values c "
            "  on c.period_grain = t.period_grain and c.period_start = t.period_start "
            "left join intermediate.int_kpi_period_values p "
            "  on p.period_grain = c.period_grain and p.period_start = c.previous_period_start "
            f"where t.kpi = '{kpi}'"
        )
        assert rows, kpi
        for test, ci_low, ci_high, p_value, significant, x1, n1, x2, n2 in rows:
            expected_low, expected_high, expected_p = scipy_expectation(test, x1, n1, x2, n2)
            assert (ci_low is None) == (expected_low is None), (kpi, ci_low, expected_low)
            if expected_low is not None:
                assert ci_low == pytest.approx(expected_low, abs=1e-12)
                assert ci_high == pytest.approx(expected_high, abs=1e-12)
            assert (p_value is None) == (expected_p is None), (kpi, p_value, expected_p)
            if expected_p is not None:
                assert p_value == pytest.approx(expected_p, abs=P_TOLERANCE), (kpi, x1, n1, x2, n2)
                assert significant == (p_value < 0.05)
            checked += 1
    periods = demo_build.query("select count(*) from intermediate.int_reporting_periods")[0][0]
    assert checked == 18 * periods  # every tested KPI in every period
    untested = demo_build.query(
        "select distinct noise_test, change_p_value from intermediate.int_kpi_noise_tests "
        "where kpi in ('revenue_per_chat', 'aov', 'roi', 'median_first_response_seconds')"
    )
    assert untested == [(None, None)]


def test_scorecard_why_says_beyond_or_within_noise(demo_build):
    rows = dict(
        demo_build.query(
            "select kpi, why from marts.kpi_scorecard where period_grain = 'month' "
            "and period_start = date '2026-10-01' and kpi in ('lead_capture_rate', 'ad_starts', 'revenue_per_chat')"
        )
    )
    assert rows["lead_capture_rate"].endswith("; beyond noise (p < 0.001).")
    assert rows["ad_starts"].endswith("; within noise (p = 0.746).")
    assert rows["revenue_per_chat"].endswith("; not tested for noise.")
