"""Native exports (issue 11): var raw_formats reads a raw table from a vendor's own file through
its adapter macro, and the view raw_files.<table> holds exactly the contract rows a person would
write by hand from that file. The samples are in tests/fixtures/native/ (HubSpot contacts with
labels and with internal names, a Shopify orders CSV export, Shopify Admin API orders NDJSON).

One build of the scorecard from HubSpot + Shopify CSV (the events, fx rates and costs in the
contract format: they have no native adapter yet) and one run of the other two formats' views;
every assertion reads those two warehouses."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, copy_project, run_dbt

NATIVE = PROJECT_ROOT / "tests" / "fixtures" / "native"
CONTRACT_FILES = ["raw_dm_events.csv", "raw_fx_rates.csv", "raw_automation_costs.csv"]
HUBSPOT_VARS = "hubspot_time_zone: Europe/Berlin, hubspot_lifecycle_stages: {'Churn risk': lost}"


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
    """Everything built from HubSpot labels + the Shopify CSV export: models and data tests (the
    unit tests do not read raw data)."""
    root = tmp_path_factory.mktemp("native")
    raw_path = raw_folder(
        root / "raw",
        NATIVE / "hubspot_labels" / "hubspot_contacts.csv",
        NATIVE / "shopify_csv" / "shopify_orders.csv",
        contract=(),
    )
    project_dir = copy_project(root / "project")
    result = run_dbt(
        project_dir,
        "build",
        "--exclude",
        "resource_type:unit_test",
        "--vars",
        vars_arg(raw_path, "raw_orders: shopify_orders_csv, raw_crm_contacts: hubspot_contacts_csv", HUBSPOT_VARS),
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


def test_scorecard_from_native_exports(native_build):
    """#1001 (69.90 EUR) and #1002 (120.00 - 30.00 refunded EUR) carry the DM UTMs of Note
    Attributes and follow the two automated sessions of their persons (the lead's email links the
    Shopify order and the HubSpot record to the DM thread): 159.90 EUR x 1.10 = 175.89 USD over 2
    sessions. #1006 is refunded and cancelled, #1003 authorized (pending), #1005 expired (voided):
    none counts."""
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
    assert float(values["revenue_per_chat"]) == pytest.approx(87.945)
    assert values["sessions_started"] == 2
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
