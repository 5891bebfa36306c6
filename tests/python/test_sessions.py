"""Sessions built end to end from raw DM rows (seed -> staging -> sessions).

The dbt unit tests of models/intermediate/sessions/*.yml pin each rule on
the model's direct input. This test proves what they cannot: duplicate
deliveries of raw events (identical, or re-delivered later), shuffled rows
and mixed UTC offsets in the raw file change nothing in the sessions.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import copy_project, run_dbt, write_seed

RAW_EVENTS = [
    # Shuffled on purpose; e1, e2, e4 and e6 are delivered more than once.
    {
        "event_id": "e6",
        "thread_id": "t1",
        "ig_user_id": "u1",
        "actor": "contact",
        "event_type": "message_in",
        "occurred_at": "2026-09-02T10:02:00Z",
        "received_at": "2026-09-02T10:02:01Z",
    },
    {
        "event_id": "e2",
        "thread_id": "t1",
        "ig_user_id": "u1",
        "actor": "bot",
        "event_type": "message_out",
        "flow_name": "autumn_bouquets",
        "flow_step": "hook",
        "buttons": "See the range|Find a gift",
        "occurred_at": "2026-09-01T10:00:30Z",
        "received_at": "2026-09-01T10:00:31Z",
    },
    {
        "event_id": "e1",
        "thread_id": "t1",
        "ig_user_id": "u1",
        "actor": "contact",
        "event_type": "trigger",
        "entry_point": "comment_to_dm",
        "source_media_id": "m1",
        "flow_name": "autumn_bouquets",
        "occurred_at": "2026-09-01T10:00:00Z",
        "received_at": "2026-09-01T10:00:01Z",
    },
    {
        "event_id": "e6",
        "thread_id": "t1",
        "ig_user_id": "u1",
        "actor": "contact",
        "event_type": "message_in",
        "occurred_at": "2026-09-02T10:02:00Z",
        "received_at": "2026-09-02T12:00:00Z",
    },
    {
        "event_id": "e3",
        "thread_id": "t1",
        "ig_user_id": "u1",
        "actor": "contact",
        "event_type": "button_click",
        "flow_name": "autumn_bouquets",
        "flow_step": "discovery",
        "button_label": "Find a gift",
        "occurred_at": "2026-09-01T11:01:00+01:00",
        "received_at": "2026-09-01T10:01:02Z",
    },
    {
        "event_id": "e1",
        "thread_id": "t1",
        "ig_user_id": "u1",
        "actor": "contact",
        "event_type": "trigger",
        "entry_point": "comment_to_dm",
        "source_media_id": "m1",
        "flow_name": "autumn_bouquets",
        "occurred_at": "2026-09-01T10:00:00Z",
        "received_at": "2026-09-01T11:00:00Z",
    },
    {
        "event_id": "e4",
        "thread_id": "t1",
        "ig_user_id": "u1",
        "actor": "contact",
        "event_type": "message_read",
        "occurred_at": "2026-09-01T06:01:30-04:00",
        "received_at": "2026-09-01T10:01:31Z",
    },
    {
        "event_id": "e5",
        "thread_id": "t1",
        "ig_user_id": "u1",
        "actor": "contact",
        "event_type": "lead_submitted",
        "flow_name": "autumn_bouquets",
        "flow_step": "offer",
        "email": " Ann@Example.com ",
        "consent": "true",
        "occurred_at": "2026-09-01T10:02:00Z",
        "received_at": "2026-09-01T10:02:01Z",
    },
    {
        "event_id": "e2",
        "thread_id": "t1",
        "ig_user_id": "u1",
        "actor": "bot",
        "event_type": "message_out",
        "flow_name": "autumn_bouquets",
        "flow_step": "hook",
        "buttons": "See the range|Find a gift",
        "occurred_at": "2026-09-01T10:00:30Z",
        "received_at": "2026-09-01T10:30:00Z",
    },
    {
        "event_id": "e4",
        "thread_id": "t1",
        "ig_user_id": "u1",
        "actor": "contact",
        "event_type": "message_read",
        "occurred_at": "2026-09-01T06:01:30-04:00",
        "received_at": "2026-09-01T10:01:31Z",
    },
    {
        "event_id": "e1",
        "thread_id": "t1",
        "ig_user_id": "u1",
        "actor": "contact",
        "event_type": "trigger",
        "entry_point": "comment_to_dm",
        "source_media_id": "m1",
        "flow_name": "autumn_bouquets",
        "occurred_at": "2026-09-01T10:00:00Z",
        "received_at": "2026-09-01T10:00:01Z",
    },
]


@pytest.fixture(scope="module")
def sessions_build(tmp_path_factory):
    project_dir = copy_project(tmp_path_factory.mktemp("sessions") / "project")
    write_seed(project_dir, "raw_dm_events", RAW_EVENTS)
    result = run_dbt(
        project_dir,
        "build",
        "--select",
        "+int_dm_session_steps",
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
    )
    assert result.returncode == 0, result.output[-4000:]
    return result


def test_duplicate_deliveries_do_not_create_events_or_sessions(sessions_build):
    events = sessions_build.query(
        "select event_id, delivery_count, session_number, event_number "
        "from intermediate.int_dm_events_sessionized order by thread_id, session_number, event_number"
    )
    assert events == [
        ("e1", 3, 1, 1),
        ("e2", 2, 1, 2),
        ("e3", 1, 1, 3),
        ("e4", 2, 1, 4),
        ("e5", 1, 1, 5),
        ("e6", 2, 2, 1),
    ]


def test_sessions_from_raw_rows(sessions_build):
    sessions = sessions_build.query_df("select * from intermediate.int_dm_sessions order by session_number").to_dict(
        "records"
    )
    assert len(sessions) == 2
    automated, organic = sessions

    assert automated["session_type"] == "automated"
    assert automated["start_reason"] == "trigger"
    assert automated["flow_name"] == "autumn_bouquets"
    assert automated["entry_point"] == "comment_to_dm"
    assert automated["events"] == 5
    assert automated["outbound_messages"] == 1
    assert automated["messages_with_buttons"] == 1
    assert automated["button_clicks"] == 1
    assert automated["read_receipts"] == 1
    assert automated["first_response_seconds"] == 30
    assert bool(automated["is_answered_within_60s"])
    assert bool(automated["is_first_message_read"])
    assert bool(automated["has_customer_activity_after_first_message"])
    assert bool(automated["has_lead_with_consent"])
    assert automated["lead_email"] == "ann@example.com"
    assert automated["steps_reached"] == 3
    assert automated["last_step"] == "offer"

    # e6 comes exactly 24 h after e5: a new, organic session.
    assert organic["session_type"] == "organic"
    assert organic["start_reason"] == "timeout"
    assert organic["events"] == 1
    assert pd.isna(organic["flow_name"])


def test_session_steps_from_raw_rows(sessions_build):
    steps = sessions_build.query(
        "select flow_step, step_number, is_last_step from intermediate.int_dm_session_steps order by step_number"
    )
    assert steps == [("hook", 1, False), ("discovery", 2, False), ("offer", 3, True)]
