"""Native exports (issue 11): var raw_formats reads a raw table from a vendor's own file through
its adapter macro, and the view raw_files.<table> holds exactly the contract rows a person would
write by hand from that file. The samples are in tests/fixtures/native/ (HubSpot contacts with
labels and with internal names, a Shopify orders CSV export, Shopify Admin API orders NDJSON,
Instagram webhook deliveries + the automation's log).

One build of the scorecard from HubSpot + Shopify CSV + Instagram webhooks (fx rates and costs in
the contract format: they have no native format) and one run of the other two formats' views;
every assertion reads those two warehouses."""

from __future__ import annotations

import base64
import csv
import hashlib
import re
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, copy_project, run_dbt

NATIVE = PROJECT_ROOT / "tests" / "fixtures" / "native"
CONTRACT_FILES = ["raw_dm_events.csv", "raw_fx_rates.csv", "raw_automation_costs.csv"]
HUBSPOT_VARS = "hubspot_time_zone: Europe/Berlin, hubspot_lifecycle_stages: {'Churn risk': lost}"
INSTAGRAM = NATIVE / "instagram"
BOT_APP_ID = "1517776481860111"
# the Instagram sample is dirty on purpose: 5 of its 38 rows are rejects (a reaction, a handover
# back to the bot, two lines that are not JSON, a Messenger delivery), above the default
# reject_error_min_rows of 3, which would fail dq_rejects_share
INSTAGRAM_VARS = f"instagram_automation_app_id: '{BOT_APP_ID}', reject_error_min_rows: 6"


def raw_folder(
    folder: Path, *native_files: Path, contract: tuple[str, ...] = ("raw_orders", "raw_crm_contacts")
) -> Path:
    """A raw_path: the native files, the contract tables that have no native format, and (for a
    table read in the contract format) the demo seed."""
    folder.mkdir(parents=True)
    for name in CONTRACT_FILES:
        shutil.copy(NATIVE / "contract" / name, folder / name)
    for table in contract:
        shutil.copy(PROJECT_ROOT / "seeds" / f"{table}.csv", folder / f"{table}.csv")
    for path in native_files:
        shutil.copy(path, folder / path.name)
    return folder


def vars_arg(raw_path: Path, formats: str, extra: str = "") -> str:
    return "{raw_path: '" + str(raw_path) + "', raw_formats: {" + formats + "}" + (", " + extra if extra else "") + "}"


@pytest.fixture(scope="module")
def native_build(tmp_path_factory):
    """Everything built from HubSpot labels + the Shopify CSV export + Instagram webhooks and the
    automation log: models and data tests (the unit tests do not read raw data)."""
    root = tmp_path_factory.mktemp("native")
    raw_path = raw_folder(
        root / "raw",
        NATIVE / "hubspot_labels" / "hubspot_contacts.csv",
        NATIVE / "shopify_csv" / "shopify_orders.csv",
        INSTAGRAM / "instagram_webhooks.ndjson",
        INSTAGRAM / "automation_log.ndjson",
        contract=(),
    )
    project_dir = copy_project(root / "project")
    result = run_dbt(
        project_dir,
        "build",
        "--exclude",
        "resource_type:unit_test",
        "--vars",
        vars_arg(
            raw_path,
            "raw_orders: shopify_orders_csv, raw_crm_contacts: hubspot_contacts_csv, "
            "raw_dm_events: instagram_webhooks_ndjson",
            HUBSPOT_VARS + ", " + INSTAGRAM_VARS,
        ),
    )
    assert result.returncode == 0, result.output[-4000:]
    return result


@pytest.fixture(scope="module")
def other_formats(tmp_path_factory):
    """HubSpot with internal names + Shopify Admin API NDJSON: the views and the base models."""
    root = tmp_path_factory.mktemp("native_other")
    raw_path = raw_folder(
        root / "raw",
        NATIVE / "hubspot_internal" / "hubspot_contacts.csv",
        NATIVE / "shopify_api" / "shopify_orders.ndjson",
        contract=(),
    )
    project_dir = copy_project(root / "project")
    result = run_dbt(
        project_dir,
        "run",
        "--select",
        "base_crm__contacts",
        "base_shop__orders",
        "--vars",
        vars_arg(raw_path, "raw_orders: shopify_orders_ndjson, raw_crm_contacts: hubspot_contacts_csv"),
    )
    assert result.returncode == 0, result.output[-4000:]
    return result


CONTACT_COLUMNS = (
    "contact_id, created_at, updated_at, first_name, last_name, ig_handle, ig_user_id, email, phone, "
    "source, lifecycle_status, owner, consent_at, consent_source, opted_out, opted_out_at"
)

# Hand-checked from tests/fixtures/native/hubspot_labels/hubspot_contacts.csv, read in Europe/Berlin
# (CEST, +02:00, until 2026-10-25; CET, +01:00, after).
HUBSPOT_LABELS_ROWS = [
    (
        "51234567801",
        "2026-10-02T16:40:12Z",
        "2026-10-20T07:00:00Z",
        "Camille",
        "Moreau",
        "@Camille.Fleurs",
        "6914523486573240",
        "camille.moreau@example.com",
        "+33 6 12 34 56 78",
        "website",
        "won",
        "Ana Lopez",
        "2026-10-02T16:40:12Z",
        "hubspot_legal_basis",
        "false",
        None,
    ),
    (
        "51234567802",
        "2026-10-05T09:03:00Z",
        "2026-10-26T08:00:00Z",
        "Jonas",
        "Weber",
        "jonas_weber",
        "7023451234567891",
        "JONAS.WEBER@example.de",
        "0151 23456789",
        "ad",
        "qualified",
        "Ana Lopez",
        None,
        None,
        "true",
        None,
    ),
    (
        "51234567803",
        "2026-10-08T06:15:00Z",
        "2026-10-09T08:30:00Z",
        "Aylin",
        "Demir",
        None,
        None,
        "aylin.demir@example.com",
        "(415) 555-0100",
        "direct",
        "lost",
        None,
        None,
        None,
        "false",
        None,
    ),
    (
        "51234567804",
        "2026-10-10T10:00:00Z",
        "2026-10-11T10:00:00Z",
        "Priya",
        "Shah",
        None,
        None,
        "priya.shah@example.com",
        None,
        "website",
        "Nurture",
        None,
        "2026-10-10T10:00:00Z",
        "hubspot_legal_basis",
        "false",
        None,
    ),
    (
        "51234567805",
        "2026-10-12T14:45:30Z",
        "2026-10-29T16:00:00Z",
        "Tom",
        "Fischer",
        None,
        None,
        "tom.fischer@example.com",
        None,
        "website",
        "lost",
        "Ana Lopez",
        None,
        None,
        "false",
        None,
    ),
    (
        "51234567806",
        "07/10/2026 10:00",
        "2026-10-27T09:00:00Z",
        "Lena",
        "Koch",
        None,
        None,
        "lena.koch@example.com",
        None,
        "import",
        "new",
        None,
        None,
        None,
        "false",
        None,
    ),
]

# tests/fixtures/native/hubspot_internal/hubspot_contacts.csv, read in UTC (the default)
HUBSPOT_INTERNAL_ROWS = [
    (
        "51234567811",
        "2026-10-03T09:12:45Z",
        "2026-10-04T07:00:00.000Z",
        "Marta",
        "Silva",
        "marta.flores",
        "6923456789012345",
        "marta.silva@example.com",
        "+351 912 345 678",
        "ad",
        "qualified",
        "75012345",
        "2026-10-03T09:12:45Z",
        "hubspot_legal_basis",
        "false",
        None,
    ),
    (
        "51234567812",
        "2026-10-06T14:00:00Z",
        "2026-10-06T15:30:00Z",
        "Noah",
        "Berg",
        None,
        None,
        "noah.berg@example.com",
        None,
        "website",
        "won",
        "75012345",
        None,
        None,
        "true",
        None,
    ),
    (
        "51234567813",
        "2026-10-07T10:00:00Z",
        "2026-10-07T10:05:00Z",
        "Ines",
        "Ruiz",
        None,
        None,
        "ines.ruiz@example.com",
        None,
        "direct",
        "1090847123",
        None,
        None,
        None,
        "false",
        None,
    ),
    (
        "51234567814",
        "2026-10-09T18:20:00Z",
        "2026-10-10T09:00:00Z",
        "Omar",
        "Haddad",
        None,
        None,
        "omar.haddad@example.com",
        None,
        "import",
        "lost",
        None,
        None,
        None,
        "false",
        None,
    ),
]

ORDER_COLUMNS = (
    "order_id, created_at, customer_email, customer_phone, currency, subtotal, discount_total, shipping_total, "
    "tax_total, total_price, financial_status, refunded_amount, cancelled_at, landing_site, utm_source, "
    "utm_medium, utm_campaign, utm_content, source_name"
)

# tests/fixtures/native/shopify_csv/shopify_orders.csv: 10 line-item rows, 7 orders
SHOPIFY_CSV_ROWS = [
    (
        "#1001",
        "2026-10-07T09:50:26+02:00",
        "camille.moreau@example.com",
        None,
        "EUR",
        "64.00",
        "0.00",
        "5.90",
        "11.65",
        "69.90",
        "paid",
        "0.00",
        None,
        None,
        "dm",
        "chat",
        "autumn_bouquets",
        None,
        "web",
    ),
    (
        "#1002",
        "2026-10-12T20:15:03+02:00",
        "jonas.weber@example.de",
        "+49 151 23456789",
        "EUR",
        "110.00",
        "0.00",
        "10.00",
        "20.00",
        "120.00",
        "partially_refunded",
        "30.00",
        None,
        None,
        "DM",
        "Chat",
        "Autumn_Bouquets",
        None,
        "web",
    ),
    (
        "#1003",
        "2026-10-15T08:01:44-04:00",
        "aylin.demir@example.com",
        None,
        "USD",
        "35.00",
        "0.00",
        "0.00",
        "3.06",
        "38.06",
        "pending",
        "0.00",
        None,
        None,
        None,
        None,
        None,
        None,
        "pos",
    ),
    (
        "#1004",
        "2026-10-20T14:00:00+02:00",
        "priya.shah@example.com",
        None,
        "EUR",
        "80.00",
        "0.00",
        "0.00",
        "13.33",
        "80.00",
        "partially_paid",
        "0.00",
        None,
        None,
        "dm",
        "chat",
        "autumn_bouquets",
        None,
        "web",
    ),
    (
        "#1005",
        "2026-10-28T10:00:00+01:00",
        "tom.fischer@example.com",
        None,
        "EUR",
        "25.00",
        "0.00",
        "4.90",
        "4.98",
        "29.90",
        "voided",
        "0.00",
        None,
        None,
        None,
        None,
        None,
        None,
        "web",
    ),
    (
        "#1006",
        "2026-10-29T18:30:00+01:00",
        "camille.moreau@example.com",
        None,
        "EUR",
        "45.00",
        "5.00",
        "0.00",
        "7.50",
        "45.00",
        "refunded",
        "45.00",
        "2026-10-30T12:00:00+01:00",
        None,
        "dm",
        "chat",
        "autumn_bouquets",
        None,
        "web",
    ),
    (
        "#1007",
        "2026-10-31T11:11:11+00:00",
        None,
        "+44 7700 900123",
        "GBP",
        "30.00",
        "0.00",
        "0.00",
        "5.00",
        "30.00",
        "paid",
        "0.00",
        None,
        None,
        None,
        None,
        None,
        None,
        "web",
    ),
]

# tests/fixtures/native/shopify_api/shopify_orders.ndjson: 7 lines, #1002 twice (created, then
# refunded: the later version stands), line 5 not JSON
SHOPIFY_API_ROWS = [
    (
        "#1001",
        "2026-10-07T09:50:26+02:00",
        "camille.moreau@example.com",
        None,
        "EUR",
        "64.00",
        "0.00",
        "5.90",
        "11.65",
        "69.90",
        "paid",
        "0.000000",
        None,
        "/products/autumn-bouquet?utm_source=dm&utm_medium=chat&utm_campaign=autumn_bouquets",
        None,
        None,
        None,
        None,
        "web",
    ),
    (
        "#1002",
        "2026-10-12T20:15:03+02:00",
        "jonas.weber@example.de",
        "+4915123456789",
        "EUR",
        "110.00",
        "0.00",
        "10.00",
        "20.00",
        "120.00",
        "partially_refunded",
        "30.000000",
        None,
        "/collections/autumn",
        "DM",
        "Chat",
        "Autumn_Bouquets",
        None,
        "web",
    ),
    (
        "#1003",
        "2026-10-15T08:01:44-04:00",
        "aylin.demir@example.com",
        None,
        "USD",
        "35.00",
        "0.00",
        "0.00",
        "3.06",
        "38.06",
        "pending",
        "0.000000",
        None,
        None,
        None,
        None,
        None,
        None,
        "pos",
    ),
    (
        "#1006",
        "2026-10-29T18:30:00+01:00",
        "camille.moreau@example.com",
        None,
        "EUR",
        "45.00",
        "5.00",
        "0.00",
        "7.50",
        "45.00",
        "refunded",
        "45.000000",
        "2026-10-30T12:00:00+01:00",
        "/products/dried-grass?utm_source=instagram&utm_medium=social",
        "dm",
        "chat",
        "autumn_bouquets",
        None,
        "web",
    ),
    (
        "#1007",
        "2026-10-31T11:11:11+00:00",
        None,
        "+44 7700 900123",
        "GBP",
        "30.00",
        "0.00",
        "0.00",
        "5.00",
        "30.00",
        "voided",
        "0.000000",
        None,
        None,
        None,
        None,
        None,
        None,
        "shopify_draft_order",
    ),
    ("shopify_orders.ndjson:5", "invalid JSON on line 5 of shopify_orders.ndjson", *([None] * 17)),
]


def test_hubspot_labels_give_the_hand_checked_contract_rows(native_build):
    rows = native_build.query(f"select {CONTACT_COLUMNS} from raw_files.raw_crm_contacts order by contact_id")
    assert rows == HUBSPOT_LABELS_ROWS
    types = native_build.query(
        "select distinct data_type from information_schema.columns "
        "where table_schema = 'raw_files' and table_name in ('raw_crm_contacts', 'raw_orders')"
    )
    assert types == [("VARCHAR",)]


def test_hubspot_internal_names_give_the_hand_checked_contract_rows(other_formats):
    rows = other_formats.query(f"select {CONTACT_COLUMNS} from raw_files.raw_crm_contacts order by contact_id")
    assert rows == HUBSPOT_INTERNAL_ROWS


def test_shopify_csv_line_items_give_one_contract_row_per_order(native_build):
    with open(NATIVE / "shopify_csv" / "shopify_orders.csv", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 10
    assert native_build.query(f"select {ORDER_COLUMNS} from raw_files.raw_orders order by order_id") == SHOPIFY_CSV_ROWS


def test_shopify_api_ndjson_gives_the_latest_version_of_each_order(other_formats):
    rows = other_formats.query(f"select {ORDER_COLUMNS} from raw_files.raw_orders order by order_id")
    assert rows == [tuple(row) for row in SHOPIFY_API_ROWS]


def test_what_the_adapters_cannot_map_is_rejected_with_its_reason(native_build, other_formats):
    assert native_build.query(
        "select record_id, reject_reason from staging.stg_crm__contacts_rejects order by record_id"
    ) == [
        ("51234567804", "unknown lifecycle_status: nurture"),
        ("51234567806", "unparseable created_at: 07/10/2026 10:00"),
    ]
    assert native_build.query("select record_id, reject_reason from staging.stg_shop__orders_rejects") == [
        ("#1004", "unknown financial_status: partially_paid")
    ]
    assert other_formats.query(
        "select contact_id, reject_reason from staging.base_crm__contacts where reject_reason is not null"
    ) == [("51234567813", "unknown lifecycle_status: 1090847123")]
    assert other_formats.query(
        "select order_id, reject_reason from staging.base_shop__orders where reject_reason is not null"
    ) == [("shopify_orders.ndjson:5", "unparseable created_at: invalid JSON on line 5 of shopify_orders.ndjson")]
    assert native_build.query(
        "select record_id, reject_reason from staging.stg_dm_platform__events_rejects order by record_id"
    ) == [
        ("automation_log.ndjson:13", "unknown event_type: invalid json"),
        (
            instagram_id("ig-pass_thread_control-{md5:7023451234567891|2026-10-12T17:20:00.000Z|1517776481860111}"),
            "unknown event_type: handover back to the automation",
        ),
        (
            instagram_id("ig-reaction-{md5:7100000000000003|2026-10-14T10:01:00.000Z|{mid:3002}|react|love}"),
            "unknown event_type: reaction",
        ),
        ("instagram_webhooks.ndjson:18", "unknown event_type: invalid json"),
        ("instagram_webhooks.ndjson:22", "unknown event_type: delivery for object page"),
    ]


def test_scorecard_from_native_exports(native_build):
    """#1001 (69.90 EUR) and #1002 (120.00 - 30.00 refunded EUR) carry the DM UTMs of Note
    Attributes and follow the automated sessions of their persons (Camille's comment, Jonas's
    story reply; the lead's email in the automation log links the Shopify order and the HubSpot
    record to the Instagram thread): 159.90 EUR x 1.10 = 175.89 USD over the 8 automated sessions
    the webhooks and the log start in October (2 comments, a story reply, 2 ads, an ig.me link, 2
    keywords). #1006 is refunded and cancelled, #1003 authorized (pending), #1005 expired
    (voided): none counts."""
    orders = dict(
        native_build.query("select order_id, attribution_type from marts.fct_orders where attribution_type <> 'none'")
    )
    assert orders == {"#1001": "dm_attributed", "#1002": "dm_attributed"}, orders
    values = dict(
        native_build.query(
            "select kpi, value from marts.kpi_scorecard where period_grain = 'month' and period_start = '2026-10-01'"
        )
    )
    assert values["attributed_revenue"] == Decimal("175.89")
    assert float(values["revenue_per_chat"]) == pytest.approx(175.89 / 8)
    assert values["sessions_started"] == 8
    starts = {kpi: values[kpi] for kpi in ("comment_to_dm_starts", "story_reply_starts", "keyword_starts", "ad_starts")}
    assert starts == {"comment_to_dm_starts": 2, "story_reply_starts": 1, "keyword_starts": 2, "ad_starts": 2}
    # Jonas's thread: the inbox took it at 17:06 (take_thread_control), an agent answered at 17:08;
    # the spring_preview flow logged its own handoff
    assert values["handoff_rate"] == Decimal("0.25")
    assert values["median_handoff_response_seconds"] == 120
    # taps: the quick reply (step line's buttons) and the postback (the echo's generic template)
    assert values["button_ctr"] == 1
    contacts = native_build.query(
        "select primary_email, lifecycle_status, is_opted_out from marts.dim_contacts "
        "where primary_email in ('camille.moreau@example.com', 'jonas.weber@example.de') order by 1"
    )
    assert contacts == [("camille.moreau@example.com", "won", False), ("jonas.weber@example.de", "qualified", True)]


def test_a_header_the_adapter_needs_missing_stops_the_run_naming_file_and_headers(tmp_path):
    raw_path = raw_folder(tmp_path / "raw", contract=("raw_orders",))
    with open(NATIVE / "hubspot_labels" / "hubspot_contacts.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    dropped = ["Lifecycle Stage", "Unsubscribed from all email"]
    with open(raw_path / "hubspot_contacts.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c for c in rows[0] if c not in dropped], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    project_dir = copy_project(tmp_path / "project")
    result = run_dbt(
        project_dir,
        "run",
        "--select",
        "base_finance__fx_rates",
        "--vars",
        vars_arg(raw_path, "raw_crm_contacts: hubspot_contacts_csv, raw_fx_rates: contract"),
    )
    assert result.returncode != 0
    assert (
        f"raw_crm_contacts (hubspot_contacts_csv, {raw_path}/hubspot_contacts.csv) is missing header(s): "
        "Lifecycle Stage (or lifecyclestage), Unsubscribed from all email (or hs_email_optout)"
    ) in result.output
    # a format that does not exist for the table is named with the ones that do
    result = run_dbt(
        project_dir,
        "run",
        "--select",
        "base_finance__fx_rates",
        "--vars",
        vars_arg(raw_path, "raw_orders: hubspot_contacts_csv"),
    )
    assert result.returncode != 0
    assert (
        "var raw_formats: raw_orders cannot be read as 'hubspot_contacts_csv'; formats for it: "
        "contract, shopify_orders_csv, shopify_orders_ndjson"
    ) in result.output
    # Instagram echoes cannot tell the bot from an agent without the automation's app id
    result = run_dbt(
        project_dir,
        "run",
        "--select",
        "base_finance__fx_rates",
        "--vars",
        vars_arg(raw_path, "raw_dm_events: instagram_webhooks_ndjson"),
    )
    assert result.returncode != 0
    assert "set var instagram_automation_app_id to the app id of the automation" in result.output


# --- Instagram webhooks + automation log ------------------------------------------------------

MID_PREFIX = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAx"
LINK = (
    "https://bloomandstem.example/products/autumn-bouquet"
    "?utm_source=dm&utm_medium=chat&utm_campaign=autumn_bouquets&utm_content=hook"
)


def instagram_id(text: str) -> str:
    """Expands the placeholders of the hand-written expected table: {url} (the flow's link),
    {mid:N} (the fixture's message ids, base64 of ':N' after a common prefix) and {md5:...} (the
    documented derived id: md5 of the fields joined by '|', see docs/native_formats.md)."""
    text = text.replace("{url}", LINK)
    text = re.sub(
        r"\{mid:(\d+)\}", lambda m: MID_PREFIX + base64.b64encode(f":{m[1]}".encode()).decode().rstrip("="), text
    )
    return re.sub(r"\{md5:([^{}]*)\}", lambda m: hashlib.md5(m[1].encode()).hexdigest(), text)


def expected_instagram_table() -> tuple[list[str], list[tuple]]:
    """The header (the contract's 21 columns, in order) and the rows of the expected table."""
    with open(INSTAGRAM / "expected_raw_dm_events.csv", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [tuple(instagram_id(value) if value else None for value in row) for row in reader]
    return header, rows


def test_instagram_webhooks_and_log_give_the_hand_written_contract_rows(native_build):
    """Every line of tests/fixtures/native/instagram/*.ndjson as a person maps it by hand
    (expected_raw_dm_events.csv): the retried echo and the re-logged link click stay two rows
    each (staging keeps the earliest), the comment that started no flow gives no row, and each
    log trigger is merged into the webhook event that fired it (one row), except the keyword whose
    message the receiver missed."""
    header, expected = expected_instagram_table()
    contract = native_build.query(
        "select column_name from information_schema.columns "
        "where table_schema = 'raw_files' and table_name = 'raw_dm_events' order by ordinal_position"
    )
    assert [name for (name,) in contract] == header
    rows = native_build.query(f"select {', '.join(header)} from raw_files.raw_dm_events")
    assert Counter(rows) == Counter(expected)
    assert not [row for row in rows if row[0] == "17990000000000007"]  # the comment without a flow


def test_instagram_retries_collapse_to_the_earliest_delivery(native_build):
    """The bot's first echo to Camille was delivered twice (07:30:06, then a retry at 09:30:05),
    the link click logged twice: staging keeps one event each, at its earliest received_at."""
    echo = instagram_id("{mid:1001}")
    click = instagram_id("log-{md5:6914523486573240|link_click|2026-10-07T07:32:00Z|autumn_bouquets|hook|{url}||}")
    rows = native_build.query(
        "select event_id, delivery_count, strftime(received_at, '%H:%M:%S') from staging.stg_dm_platform__events "
        f"where event_id in ('{echo}', '{click}') order by occurred_at"
    )
    assert rows == [(echo, 2, "07:30:06"), (click, 2, "07:32:00")]
