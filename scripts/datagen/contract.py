"""The raw contract as data: table and column names, enums, shared vocabulary, and the staging rules.

Standard library only: the demo generator (``scripts/demo``, plain ``python3``) and the vectorised generator
(``scripts/datagen/generate.py``) both import it. The column lists are the contract's (README, "raw
contract"; ``macros/raw_contract.sql`` holds the same lists for the models), in contract order.

The second half re-implements, in Python, the few staging rules the generators use to check what they
wrote (``macros/normalize.sql`` is the reference): timestamps with an explicit offset, trimmed and
lowercased enums, phones to E.164, handles without ``@``, UTM parameters of a URL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

# ----------------------------------------------------------------------------- tables and columns

EVENT_COLUMNS = [
    "event_id", "occurred_at", "received_at", "thread_id", "ig_user_id", "ig_handle", "actor",
    "agent_id", "event_type", "entry_point", "source_media_id", "flow_name", "flow_step",
    "message_text", "buttons", "button_label", "link_url", "email", "phone", "consent",
    "consent_text_version",
]  # fmt: skip
CRM_COLUMNS = [
    "contact_id", "created_at", "updated_at", "first_name", "last_name", "ig_handle", "ig_user_id",
    "email", "phone", "preferred_channel", "source", "campaign", "utm_source", "utm_medium",
    "utm_campaign", "product_interest", "budget", "timeline", "last_action", "lifecycle_status",
    "owner", "next_step", "flow_path", "consent_at", "consent_source", "opted_out", "opted_out_at",
]  # fmt: skip
ORDER_COLUMNS = [
    "order_id", "created_at", "customer_email", "customer_phone", "currency", "subtotal",
    "discount_total", "shipping_total", "tax_total", "total_price", "financial_status",
    "refunded_amount", "cancelled_at", "landing_site", "utm_source", "utm_medium", "utm_campaign",
    "utm_content", "source_name",
]  # fmt: skip
FX_COLUMNS = ["rate_date", "currency", "rate_to_reporting"]
COST_COLUMNS = ["cost_month", "cost_type", "amount", "currency", "note"]

TABLES = {
    "raw_dm_events": EVENT_COLUMNS,
    "raw_crm_contacts": CRM_COLUMNS,
    "raw_orders": ORDER_COLUMNS,
    "raw_fx_rates": FX_COLUMNS,
    "raw_automation_costs": COST_COLUMNS,
}

# ----------------------------------------------------------------------------- enums

EVENT_TYPES = ["trigger", "message_in", "message_out", "message_read", "button_click",
               "link_click", "lead_submitted", "handoff", "resolved", "opt_out"]  # fmt: skip
ACTORS = ["contact", "bot", "agent"]
ENTRY_POINTS = ["comment_to_dm", "story_reply", "keyword", "ad", "direct"]
CHANNELS = ["dm", "email", "sms", "phone"]
CRM_SOURCES = ENTRY_POINTS + ["website", "import", "pos"]
LIFECYCLES = ["new", "qualified", "won", "lost"]
STATUSES = ["pending", "paid", "partially_refunded", "refunded", "voided"]
ELIGIBLE = ["paid", "partially_refunded", "refunded"]
COST_TYPES = ["tool_subscription", "setup", "agency", "ads", "other"]

# Valid renderings of enum values with stray spaces and capitals (staging trims and lowercases them).
EVENT_TYPE_MESS = {
    "message_out": [" Message_Out", "message_out ", "MESSAGE_OUT"],
    "trigger": ["Trigger ", " trigger"],
}
ENTRY_POINT_MESS = {"comment_to_dm": "Comment_To_DM ", "story_reply": " story_reply", "keyword": "Keyword",
                    "ad": "AD", "direct": "Direct "}  # fmt: skip
ACTOR_MESS = {"bot": ["Bot", " bot"], "contact": ["Contact "]}
LIFECYCLE_MESS = {
    "new": " New",
    "qualified": "Qualified ",
    "won": "WON",
    "lost": "Lost",
}
CRM_SOURCE_MESS = {"website": "Website ", "import": "IMPORT", "pos": " POS"}

# UTC offsets the exports use, as minutes east of UTC ("Z" and "+00:00" are both UTC).
OFFSET_MINUTES = {"Z": 0, "+00:00": 0, "+02:00": 120, "-04:00": -240, "+05:30": 330}

# ----------------------------------------------------------------------------- shared vocabulary

FIRST = {
    "US": ["Emma", "Olivia", "Ava", "Sophia", "Mia", "Harper", "Ella", "Grace", "Chloe", "Lily", "Zoe",
           "Nora", "Hannah", "Leah", "Ruby", "Jack", "Noah", "Liam", "Ethan", "Mason", "Lucas", "Owen",
           "Caleb", "Ryan", "Nathan", "Maya", "Aria", "Jade", "Sadie", "Ben", "Daniel", "Sam", "Tyler",
           "Priya", "Aisha", "Mei", "Sofia", "Elena", "Rosa", "Megan", "Kayla", "Jordan", "Taylor"],
    "FR": ["Camille", "Léa", "Manon", "Chloé", "Inès", "Juliette", "Louise", "Clara", "Hugo", "Louis",
           "Jules", "Arthur", "Margaux", "Élise", "Zoé", "Anaïs", "Théo", "Lucie"],
    "UK": ["Amelia", "Isla", "Poppy", "Freya", "Oliver", "George", "Harry", "Alfie", "Imogen", "Evie",
           "Charlotte", "Rosie"],
}  # fmt: skip
LAST = {
    "US": ["Johnson", "Carter", "Nguyen", "Patel", "Garcia", "Kim", "Brooks", "Rivera", "Foster", "Hayes",
           "Reed", "Price", "Bennett", "Coleman", "Ward", "Diaz", "Morgan", "Russell", "Sanders", "Perry",
           "Long", "Flores", "Hughes", "Myers", "Ford", "Hamilton", "Graham", "Wallace", "West", "Cole",
           "Reyes", "Stone", "Chen", "Park", "Shah", "Lopez", "Ortiz", "Murphy", "Fisher", "Bailey"],
    "FR": ["Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Leroy",
           "Roux", "Fournier", "Girard", "Bonnet", "Lambert", "Fontaine", "Rousseau", "Blanc", "Faure",
           "Mercier", "Chevalier"],
    "UK": ["Smith", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Roberts", "Walker", "Wright",
           "Thompson", "Edwards", "Green", "Hall", "Wood"],
}  # fmt: skip
DOMAINS = {
    "US": ["example.com", "example.net", "example.org", "mail.example"],
    "FR": ["example.fr", "example.com", "mail.example"],
    "UK": ["example.co.uk", "example.com"],
    "CH": ["example.ch"],
}
CURRENCY_BY_COUNTRY = {"US": "USD", "FR": "EUR", "UK": "GBP", "CH": "CHF"}

# ----------------------------------------------------------------------------- the staging rules


def parse_ts(s):
    """ISO-8601 text with an explicit offset -> aware UTC datetime; anything else -> None."""
    s = (s or "").strip()
    if not s:
        return None
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    if dt.tzinfo is None:
        return None
    return dt.astimezone(UTC)


def clean(v):
    """Enums and UTM values: trimmed, lowercased."""
    return (v or "").strip().lower()


def norm_email(v):
    """Emails: trimmed, every space removed, lowercased."""
    return (v or "").strip().replace(" ", "").lower()


def norm_phone(raw, default_code="1", national_digits=10):
    """Phones to E.164 digits (no '+'), '' when outside 8-15 digits (macro normalize_phone)."""
    s = (raw or "").strip()
    digits = "".join(ch for ch in s if ch.isdigit())
    if not digits:
        return ""
    if s.startswith("+"):
        num = digits
    elif digits.startswith("00"):
        num = digits[2:]
    elif len(digits) == national_digits + len(default_code) and digits.startswith(default_code):
        num = digits
    else:
        num = default_code + digits.removeprefix("0")
    return num if 8 <= len(num) <= 15 else ""


def norm_handle(h):
    """Handles: trimmed, lowercased, no leading '@'."""
    return clean(h).lstrip("@")


def url_utms(url):
    """UTM (and other) parameters of a URL or path: names lowercased, values trimmed and lowercased."""
    q = urlsplit(url).query if "?" in url else ""
    out = {}
    for k, v in parse_qsl(q, keep_blank_values=True):
        k = k.strip().lower()
        if k not in out:
            out[k] = v.strip().lower()
    return out
