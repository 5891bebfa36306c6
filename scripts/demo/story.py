"""The story of the demo, as constants: dates, targets, the shop, the three flows and their content,
the probabilities of each step's outcomes, the texts customers and agents write, the costs.

Pure data, no randomness: changing a value here changes the story (and the seeds), nothing else.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

SEED = 20260901  # the one random.Random of a run (scripts/demo/world.py)

TARGET_RPC = {9: Decimal("3.10"), 10: Decimal("6.40")}
RELAUNCH = datetime(2026, 10, 1, tzinfo=UTC)
DATA_START = datetime(2026, 9, 1, 0, 30, tzinfo=UTC)
ORDER_END = datetime(2026, 10, 31, 20, 0, tzinfo=UTC)
EVENT_END = datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
SHOP = "https://bloomandstem.example"
HUB_EMAIL = "info@bloomandstem.example"

FLOWS = ["autumn_bouquets", "gift_bundle", "wedding_consult"]
AGENTS = ["agt_chloe", "agt_marco", "agt_ines"]
AGENT_NAMES = {"agt_chloe": "Chloe", "agt_marco": "Marco", "agt_ines": "Ines"}

# the exchange rate a DM order's basket is sized with before the fx table exists (the real rate comes later)
NOMINAL = {"USD": Decimal("1"), "EUR": Decimal("1.165"), "GBP": Decimal("1.34")}

# ----------------------------------------------------------------------------- flow content

LONG_HOOK = {
    "autumn_bouquets": (
        "Hi {first}! Thank you so much for your message about our autumn collection. At Bloom & Stem every "
        "bouquet is hand-tied in our studio the morning it ships, with seasonal stems from local growers: "
        "dahlias, chrysanthemums, rose hips and dried grasses. We deliver the same day in the city and the "
        "next day nationwide, and we can add a handwritten card, a candle or a vase. Would you like to "
        "see the autumn range, find a gift, or just have a look around?"
    ),
    "gift_bundle": (
        "Hello {first}! Thanks for getting in touch with Bloom & Stem. Looking for a gift? We put together "
        "gift bundles with a seasonal bouquet, a treat from our neighbours at the bakery, a soy candle and "
        "a handwritten card, all delivered in our signature box. Tell us who it is for and your budget and "
        "we will suggest the right one, or you can browse everything we have. What would you like to do?"
    ),
    "wedding_consult": (
        "Congratulations {first}! We would love to help with your wedding flowers. Bloom & Stem designs "
        "bridal bouquets, buttonholes, ceremony arches and table centrepieces, and every wedding starts "
        "with a free consultation with one of our florists. Tell us a little about your date and your "
        "style and we will send you our lookbook and pricing guide. When is the big day?"
    ),
}

CONTENT = {
    1: {
        "autumn_bouquets": {
            "hook": dict(
                text=LONG_HOOK["autumn_bouquets"],
                buttons=["See the range", "Find a gift", "Just browsing"],
                cont=["See the range", "Find a gift"],
                decline="Just browsing",
            ),
            "discovery": dict(
                text="Lovely! What is the occasion?",
                buttons=["Birthday", "Thank you", "Just because"],
                cont=["Birthday", "Thank you", "Just because"],
            ),
            "premium": dict(
                text="Our premium autumn bouquets start at $65: dahlias, rose hips and dried "
                "grasses, hand-tied this morning.",
                buttons=["Show me more", "Talk to a florist"],
                cont=["Show me more"],
                human="Talk to a florist",
                slug="autumn-premium-bouquet",
            ),
            "offer": dict(
                text="Special offer: 5% off your next order over $150 with code AUTUMN5, valid for 48 hours.",
                buttons=["Claim offer", "No thanks"],
                cont=["Claim offer"],
                decline="No thanks",
            ),
            "bundle": dict(
                text="Our bestseller: the Autumn Bundle, a medium bouquet, a soy candle and a "
                "handwritten card for $79.",
                buttons=["Reserve delivery", "Not now"],
                cont=["Reserve delivery"],
                decline="Not now",
                slug="autumn-bundle",
            ),
        },
        "gift_bundle": {
            "hook": dict(
                text=LONG_HOOK["gift_bundle"],
                buttons=["Find a gift", "Browse all", "Just looking"],
                cont=["Find a gift", "Browse all"],
                decline="Just looking",
            ),
            "discovery": dict(
                text="Who is the lucky one?",
                buttons=["Partner", "Friend", "Family", "Colleague"],
                cont=["Partner", "Friend", "Family", "Colleague"],
            ),
            "premium": dict(
                text="For something special: the Luxe Gift Box, a large bouquet, a vase and chocolates.",
                buttons=["Show me more", "Talk to a florist"],
                cont=["Show me more"],
                human="Talk to a florist",
                slug="luxe-gift-box",
            ),
            "offer": dict(
                text="Offer of the week: a free greeting card with any order over $120.",
                buttons=["Claim offer", "No thanks"],
                cont=["Claim offer"],
                decline="No thanks",
            ),
            "bundle": dict(
                text="Most popular: the Gift Bundle, bouquet + candle + card, $69.",
                buttons=["Reserve delivery", "Not now"],
                cont=["Reserve delivery"],
                decline="Not now",
                slug="gift-bundle",
            ),
        },
        "wedding_consult": {
            "hook": dict(
                text=LONG_HOOK["wedding_consult"],
                buttons=["This year", "Next year", "Just dreaming"],
                cont=["This year", "Next year"],
                decline="Just dreaming",
            ),
            "discovery": dict(
                text="Which style do you love?",
                buttons=["Romantic", "Wild meadow", "Modern"],
                cont=["Romantic", "Wild meadow", "Modern"],
            ),
            "premium": dict(
                text="Here is our wedding lookbook with prices.",
                buttons=["Show me packages", "Book a consult"],
                cont=["Show me packages"],
                human="Book a consult",
                slug="wedding-lookbook",
            ),
            "offer": dict(
                text="Book before September 30 and get 5% off your centrepieces.",
                buttons=["Claim offer", "No thanks"],
                cont=["Claim offer"],
                decline="No thanks",
            ),
            "bundle": dict(
                text="Our Bridal Bundle: bouquet, 4 buttonholes and 2 centrepieces from $390. "
                "A deposit holds your date.",
                buttons=["Reserve my date", "Not now"],
                cont=["Reserve my date"],
                decline="Not now",
                slug="bridal-bundle-deposit",
            ),
        },
    },
    2: {
        "autumn_bouquets": {
            "hook": dict(
                text="Hi {first}! Our autumn bouquets are in. Want to see the bestselling Autumn Bundle ($79)?",
                buttons=["Show me", "Other bouquets", "Not now"],
                cont=["Show me"],
                alt="Other bouquets",
                decline="Not now",
            ),
            "bundle": dict(
                text="The Autumn Bundle: medium bouquet, soy candle and handwritten card, $79, delivered tomorrow.",
                buttons=["Reserve delivery", "Talk to a florist"],
                cont=["Reserve delivery"],
                human="Talk to a florist",
                slug="autumn-bundle",
            ),
            "discovery": dict(
                text="What is the occasion?",
                buttons=["Birthday", "Thank you", "Just because"],
                cont=["Birthday", "Thank you", "Just because"],
            ),
            "premium": dict(
                text="Our premium autumn bouquets start at $65.",
                buttons=["Reserve delivery", "Talk to a florist"],
                cont=["Reserve delivery"],
                human="Talk to a florist",
                slug="autumn-premium-bouquet",
            ),
        },
        "gift_bundle": {
            "hook": dict(
                text="Hi {first}! Looking for a gift? Our Gift Bundle (bouquet + candle + card) is "
                "$69 with free delivery this week.",
                buttons=["Show me", "Other gifts", "Not now"],
                cont=["Show me"],
                alt="Other gifts",
                decline="Not now",
            ),
            "bundle": dict(
                text="The Gift Bundle, delivered in our signature box, $69.",
                buttons=["Reserve delivery", "Talk to a florist"],
                cont=["Reserve delivery"],
                human="Talk to a florist",
                slug="gift-bundle",
            ),
            "discovery": dict(
                text="Who is it for?",
                buttons=["Partner", "Friend", "Family", "Colleague"],
                cont=["Partner", "Friend", "Family", "Colleague"],
            ),
            "premium": dict(
                text="For something special: the Luxe Gift Box.",
                buttons=["Reserve delivery", "Talk to a florist"],
                cont=["Reserve delivery"],
                human="Talk to a florist",
                slug="luxe-gift-box",
            ),
        },
        "wedding_consult": {
            "hook": dict(
                text="Congratulations {first}! Want our Bridal Bundle and a free consult with a florist?",
                buttons=["Yes please", "Just browsing"],
                cont=["Yes please"],
                decline="Just browsing",
            ),
            "bundle": dict(
                text="The Bridal Bundle: bouquet, 4 buttonholes and 2 centrepieces from $390. A "
                "deposit holds your date.",
                buttons=["Reserve my date", "Book a consult"],
                cont=["Reserve my date"],
                human="Book a consult",
                slug="bridal-bundle-deposit",
            ),
        },
    },
}
SEQUENCE = {1: ["hook", "discovery", "premium", "offer", "bundle", "checkout"], 2: ["hook", "bundle", "checkout"]}
ALT_SEQUENCE = ["hook", "discovery", "premium", "checkout"]

PROBS = {
    1: {
        "hook": dict(optout=0.02, decline=0.06),
        "discovery": dict(drop=0.08, human=0.02),
        "premium": dict(drop=0.10, human=0.05, link=0.40),
        "offer": dict(drop=0.50, decline=0.10, optout=0.02),
        "bundle": dict(drop=0.10, decline=0.04, link=0.80),
        "checkout": dict(drop=0.08),
    },
    2: {
        "hook": dict(optout=0.015, decline=0.05, alt=0.25),
        "bundle": dict(drop=0.12, optout=0.015, human=0.04, link=0.75),
        "discovery": dict(drop=0.08),
        "premium": dict(drop=0.10, human=0.05, link=0.50),
        "checkout": dict(drop=0.08),
    },
}
WEDDING_HUMAN = {(1, "premium"): 0.45, (2, "bundle"): 0.40}

TRIGGER_TEXT = {
    "comment_to_dm": [
        "Love these! How much?",
        "AUTUMN",
        "price please",
        "So pretty, do you deliver?",
        "Want!",
        "info",
        "Gorgeous colours",
        "BOUQUET",
    ],
    "story_reply": ["So pretty!", "Do you do weddings?", "Need this", "Wow", "How much is this one?"],
    "keyword": ["BOUQUET", "GIFT", "WEDDING", "bouquet", "Gift"],
    "ad": [""],
    "direct": ["Hi! Do you do wedding flowers?", "Hello, I need a gift for Friday", "Hi there"],
}
MEDIA = {
    ("comment_to_dm", "autumn_bouquets"): ["17954210000000101", "17954210000000102", "17954210000000117"],
    ("comment_to_dm", "gift_bundle"): ["17954210000000204", "17954210000000211"],
    ("comment_to_dm", "wedding_consult"): ["17954210000000306"],
    ("story_reply", "autumn_bouquets"): ["18021330000000401", "18021330000000402"],
    ("story_reply", "gift_bundle"): ["18021330000000503"],
    ("story_reply", "wedding_consult"): ["18021330000000601", "18021330000000604"],
    ("ad", "autumn_bouquets"): ["23851120000000701"],
    ("ad", "gift_bundle"): ["23851120000000802", "23851120000000803"],
    ("ad", "wedding_consult"): ["23851120000000901"],
}

FLOW_BY_ENTRY = {
    "comment_to_dm": [("autumn_bouquets", 62), ("gift_bundle", 26), ("wedding_consult", 12)],
    "story_reply": [("wedding_consult", 40), ("autumn_bouquets", 40), ("gift_bundle", 20)],
    "keyword": [("gift_bundle", 50), ("wedding_consult", 30), ("autumn_bouquets", 20)],
    "ad": [("gift_bundle", 70), ("autumn_bouquets", 30)],
    "direct": [("wedding_consult", 50), ("gift_bundle", 50)],
}

# ----------------------------------------------------------------------------- what people write

AGENT_QA = {
    True: [
        (
            "We are thinking June next year, around 80 guests",
            "Lovely! I will prepare a proposal and send it to you this week.",
        ),
        (
            "Can you do something in burgundy and blush?",
            "Absolutely, burgundy and blush is one of our favourite palettes.",
        ),
        ("Do you deliver to the venue?", "Yes, delivery and set-up at the venue are included."),
        ("How much is a bridal bouquet on its own?", "Bridal bouquets start at $180, I can send you examples."),
    ],
    False: [
        (
            "What would a bouquet for my mum cost?",
            "Our bouquets start at $45; for a mum I would suggest the Autumn Bundle at $79.",
        ),
        ("Is Saturday delivery possible?", "Yes, we deliver on Saturdays until 2 pm."),
        ("Can I add a vase?", "Of course, a glass vase is $15 extra."),
        ("Do you have anything without lilies? My cat...", "Yes, all our autumn bouquets are lily-free."),
    ],
}
ORGANIC_QA = [
    ("The flowers arrived, they are gorgeous!", "Thank you, that made our day!"),
    ("Do you deliver on Sundays?", "Yes, we deliver 7 days a week."),
    ("Can I change the delivery address of my order?", "Of course, send me the new address and I will update it."),
    ("Thank you so much!!", "You are welcome, enjoy your flowers!"),
    ("Are you open on Monday?", "We are open 9 to 6 on Monday."),
    ("Do you have sunflowers this week?", "We do, until Saturday!"),
]


# ----------------------------------------------------------------------------- costs (raw_automation_costs, as written)

COST_ROWS = [
    dict(
        cost_month="2026-09-01",
        cost_type="tool_subscription",
        amount="99.00",
        currency="USD",
        note="DM automation platform, Pro plan",
    ),
    dict(
        cost_month="2026-09-01",
        cost_type="setup",
        amount="1200.00",
        currency="USD",
        note="Flow build and launch (one-off)",
    ),
    dict(
        cost_month="2026-09-01",
        cost_type="agency",
        amount="450.00",
        currency="EUR",
        note="Copywriting agency (Paris): hooks and offers",
    ),
    dict(
        cost_month="2026-09-01",
        cost_type="ads",
        amount="300.00",
        currency="USD",
        note="Click-to-DM ads, autumn launch",
    ),
    dict(
        cost_month="2026-10-01",
        cost_type="Tool_Subscription",
        amount="99.00",
        currency="USD",
        note="DM automation platform, Pro plan",
    ),
    dict(
        cost_month="2026-10-01",
        cost_type="agency",
        amount="250.00",
        currency="USD",
        note="Monthly optimisation: hook rewrite, bundle moved up, offer removed",
    ),
    dict(cost_month="2026-10-01", cost_type="ads", amount="300.00", currency="USD", note="Click-to-DM ads"),
]
