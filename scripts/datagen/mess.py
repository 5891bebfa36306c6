"""Renderings of the mess the raw contract lists, defined once for both generators.

Standard library only (the demo generator runs with plain ``python3``). Each rendering is a small table
(a template or a style) plus a scalar renderer; the vectorised generator compiles the same tables into
DuckDB SQL (``scripts/datagen/generate.py``), so the demo and the large data render a phone, an email,
a handle or a timestamp the same way:

- timestamps: ISO-8601 with one of the offsets of ``contract.OFFSET_MINUTES`` (``fmt_ts``);
- phones: national and international templates per country (``PHONE_FORMATS``, ``render_phone``);
- emails: case and space styles (``EMAIL_STYLES``, ``messy_email``);
- handles: with or without ``@``, MixedCase (``HANDLE_STYLES``, ``render_handle``);
- links: the DM link convention (``product_url``) and the shop's ``landing_site`` (``dm_landing``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qsl, urlsplit

from .contract import OFFSET_MINUTES

CENT = Decimal("0.01")

# ----------------------------------------------------------------------------- timestamps


def fmt_ts(dt, off="Z"):
    """An aware datetime as ISO-8601 text, to the second, with the offset named by ``off``."""
    dt = dt.astimezone(UTC).replace(microsecond=0)
    if off == "Z":
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return dt.astimezone(timezone(timedelta(minutes=OFFSET_MINUTES[off]))).isoformat()


# ----------------------------------------------------------------------------- text helpers


def money(x):
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


def m2(d):
    return f"{d.quantize(CENT)}"


def ascii_name(s):
    """A name as the ASCII lowercase token of emails and handles ("Léa" -> "lea")."""
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


def camel(text):
    """MixedCase: the first character and every character after '.' or '_' in upper case."""
    out, up = [], True
    for ch in text:
        out.append(ch.upper() if up else ch)
        up = ch in "._"
    return "".join(out)


def capitalize(text):
    return text.capitalize()


# Case transformations the styles below name ("same" leaves the text as it is).
CASES = {
    "same": lambda s: s,
    "lower": str.lower,
    "upper": str.upper,
    "camel": camel,
    "capitalize": capitalize,
}

# ----------------------------------------------------------------------------- handles

# style -> (prefix, case of the handle)
HANDLE_STYLES = {
    "plain": ("", "same"),
    "at": ("@", "same"),
    "camel": ("", "camel"),
    "atcamel": ("@", "camel"),
}


def render_handle(handle, style):
    prefix, case = HANDLE_STYLES.get(style, HANDLE_STYLES["atcamel"])
    return prefix + CASES[case](handle)


# ----------------------------------------------------------------------------- emails

# style -> (prefix, case of the local part, case of the domain, suffix)
EMAIL_STYLES = {
    "clean": ("", "same", "same", ""),
    "title": ("", "camel", "capitalize", ""),
    "upper": ("", "upper", "upper", ""),
    "lead_space": ("  ", "same", "same", ""),
    "trail_space": ("", "camel", "same", " "),
    "both": (" ", "capitalize", "lower", " "),
}
MESSY_EMAIL_STYLES = ["title", "upper", "lead_space", "trail_space", "both"]


def messy_email(email, style):
    """The email as a customer or a clerk typed it; it normalises back to ``email``."""
    local, domain = email.split("@")
    prefix, local_case, domain_case, suffix = EMAIL_STYLES.get(style, EMAIL_STYLES["both"])
    return prefix + CASES[local_case](local) + "@" + CASES[domain_case](domain) + suffix


# ----------------------------------------------------------------------------- phones

# country -> format -> template over the national significant number n: {n} or a slice {n[a:b]}.
# All of them normalise to the person's E.164 number except the FR / UK "national" ones, which the
# models read with the default calling code (+1): the contract's "06 12 34 56 78" that does not match.
PHONE_FORMATS = {
    "US": {
        "paren": "({n[0:3]}) {n[3:6]}-{n[6:]}",
        "dot": "{n[0:3]}.{n[3:6]}.{n[6:]}",
        "intl": "+1 {n[0:3]} {n[3:6]} {n[6:]}",
        "intl_dash": "+1 {n[0:3]}-{n[3:6]}-{n[6:]}",
        "dash": "{n[0:3]}-{n[3:6]}-{n[6:]}",
        "e164": "+1{n}",
        "one": "1-{n[0:3]}-{n[3:6]}-{n[6:]}",
        "plain": "{n}",
    },
    "FR": {
        "intl": "+33 {n[0:1]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:9]}",
        "00": "0033{n}",
        "e164": "+33{n}",
        "national": "0{n[0:1]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:9]}",
    },
    "UK": {
        "intl": "+44 {n[0:4]} {n[4:]}",
        "00": "0044{n}",
        "e164": "+44{n}",
        "national": "0{n[0:4]} {n[4:]}",
    },
    "CH": {"intl": "+41 {n[0:2]} {n[2:5]} {n[5:7]} {n[7:]}"},
}
# Formats that normalise to the person's own E.164 number, per country.
LINKABLE_PHONE_FORMATS = {
    "US": ["paren", "dot", "intl", "intl_dash", "dash", "e164", "one", "plain"],
    "FR": ["intl", "00", "e164"],
    "UK": ["intl", "00", "e164"],
    "CH": ["intl"],
}
_SLOT = re.compile(r"\{n(?:\[(\d*):(\d*)\])?\}")


def template_parts(template):
    """A phone template as a list of literal strings and (start, end) slices (end None: to the end)."""
    parts, pos = [], 0
    for m in _SLOT.finditer(template):
        if m.start() > pos:
            parts.append(template[pos : m.start()])
        if m.group(1) is None:
            parts.append((0, None))
        else:
            start = int(m.group(1) or 0)
            parts.append((start, int(m.group(2)) if m.group(2) else None))
        pos = m.end()
    if pos < len(template):
        parts.append(template[pos:])
    return parts


def render_phone(country, national, kind):
    """The national significant number ``national`` of ``country`` in format ``kind``."""
    formats = PHONE_FORMATS[country]
    template = formats[kind] if len(formats) > 1 else next(iter(formats.values()))
    out = []
    for part in template_parts(template):
        out.append(part if isinstance(part, str) else national[part[0] : part[1]])
    return "".join(out)


# ----------------------------------------------------------------------------- links

PRODUCT_URL = "{shop}/products/{slug}?utm_source=dm&utm_medium=chat&utm_campaign={flow}&utm_content={step}"
# landing_site mess: parameter names and values in mixed case, URL-encoding, an extra parameter
LANDING_MIXED_KEYS = {"utm_source": "UTM_Source", "utm_medium": "utm_Medium"}
LANDING_MIXED_VALUES = {"dm": "DM", "chat": "Chat"}
LANDING_EXTRA = "fbclid=PAZXh0bgNhZW0CMTEAAaZ"


def product_url(shop, slug, flow, step):
    """The DM link convention: utm_source=dm, utm_medium=chat, utm_campaign=<flow>, utm_content=<step>."""
    return PRODUCT_URL.format(shop=shop, slug=slug, flow=flow, step=step)


def dm_landing(url, style):
    """landing_site of an order bought from a DM link: path + query, messy in ``style``."""
    parts = urlsplit(url)
    path, query = parts.path, parts.query
    if style == "plain":
        return f"{path}?{query}"
    out = []
    for k, v in parse_qsl(query, keep_blank_values=True):
        if style == "mixed":
            k2, v2 = LANDING_MIXED_KEYS.get(k, k), LANDING_MIXED_VALUES.get(v, v)
        elif style == "encoded":
            k2 = k
            if k == "utm_campaign":
                v2 = v.replace("_", "%5F")
            else:
                v2 = v + "%20" if k == "utm_medium" else v
        else:
            k2, v2 = k, v
        out.append(f"{k2}={v2}")
    if style == "fbclid":
        out.append(LANDING_EXTRA)
    return f"{path}?{'&'.join(out)}"
