"""One DM session, played step by step: the flow's messages, the customer's reads, taps, clicks and
lead, a handoff to a florist, an opt-out. ``Thread`` is the customer's conversation (one per person),
``Session`` one automated run of a flow in it.

Events are dicts (``t``, ``tid``, ``etype``, ``actor``, ``flow``, ``sess`` and the columns they fill);
``scripts/demo/write.py`` turns them into rows.
"""

from __future__ import annotations

from datetime import timedelta

from scripts.datagen import mess
from scripts.datagen.mess import messy_email

from .people import fmt_phone, linkable_phone_kind, random_email_style
from .story import (
    AGENT_NAMES,
    AGENT_QA,
    AGENTS,
    ALT_SEQUENCE,
    CONTENT,
    MEDIA,
    PROBS,
    SEQUENCE,
    SHOP,
    TRIGGER_TEXT,
    WEDDING_HUMAN,
)
from .world import World


class Thread:
    def __init__(self, tid, person, ig_user_id, handle_style):
        self.tid = tid
        self.person = person
        self.ig_user_id = ig_user_id
        self.handle_style = handle_style
        self.handle = person.handle
        self.old_handles = []
        self.last_t = None
        self.opted_out_at = None
        self.sessions = []
        self.organic = []
        self.handle_changed_at = None

    def handle_at(self, t):
        """The handle as seen at time t (two threads change handle between sessions)."""
        if self.handle_changed_at is not None and t < self.handle_changed_at:
            return self.old_handles[0]
        return self.handle


def open_thread(w: World, person):
    """A new DM thread for a person: the next id, an unused Instagram user id, a handle style."""
    ig_user_id = "178414" + f"{w.ig_ids.pop():011d}"
    handle_style = w.rng.pick([("plain", 50), ("at", 20), ("camel", 15), ("atcamel", 15)])
    thread = Thread(f"thr_{len(w.threads) + 1:04d}", person, ig_user_id, handle_style)
    person.thread = thread
    w.threads.append(thread)
    return thread


class Session:
    def __init__(self, idx, start, thread, entry, flow, version, hook_drop, force=None):
        self.idx = idx
        self.start = start
        self.thread = thread
        self.person = thread.person
        self.entry = entry
        self.flow = flow
        self.version = version
        self.hook_drop = hook_drop
        self.force = force
        self.events = []
        self.steps = []
        self.link_msgs = []  # event dicts of message_out with a link
        self.link_clicks = []  # event dicts of link_click
        self.lead = None  # the lead_submitted event dict
        self.handoff = False
        self.resolved_by = None
        self.opted_out = False
        self.broken = None
        self.last_t = start
        self.trigger_offset = None

    # -- event factory
    def add(self, t, etype, actor, **kw):
        if self.events and t <= self.events[-1]["t"]:
            t = self.events[-1]["t"] + timedelta(seconds=1)
        ev = dict(t=t, tid=self.thread.tid, etype=etype, actor=actor, flow=self.flow, sess=self)
        ev.update(kw)
        self.events.append(ev)
        self.last_t = t
        return ev


def product_url(slug, flow, step):
    return mess.product_url(SHOP, slug, flow, step)


def decide(rng, sess, step):
    """The outcome of a step: drop, optout, human, decline or cont (one draw; forced sessions continue)."""
    if sess.force:
        return "cont"
    probs = dict(PROBS[sess.version][step])
    if sess.flow == "wedding_consult" and (sess.version, step) in WEDDING_HUMAN:
        probs["human"] = WEDDING_HUMAN[(sess.version, step)]
    r = rng.random()
    for outcome in ("drop", "optout", "human", "decline"):
        pr = probs.get(outcome, 0)
        if r < pr:
            return outcome
        r -= pr
    return "cont"


def read_lag(rng, sess=None):
    """How long the customer takes to read a message."""
    if sess is not None and sess.force:
        return rng.secs(2, 40)
    return rng.delay([((2, 60), 60), ((60, 900), 30), ((900, 10800), 10)])


def simulate(rng, sess):
    """Play one session of the flow from its trigger, appending its events to ``sess.events``."""
    p = sess.person
    v = sess.version
    flow = sess.flow
    t = sess.start
    media = ""
    if (sess.entry, flow) in MEDIA:
        media = rng.choice(MEDIA[(sess.entry, flow)])
    text = rng.choice(TRIGGER_TEXT[sess.entry])
    if sess.entry == "keyword":
        text = {"gift_bundle": "GIFT", "wedding_consult": "WEDDING"}.get(flow, "BOUQUET")
        if rng.random() < 0.3:
            text = text.capitalize()
    sess.add(
        t,
        "trigger",
        "contact",
        entry=sess.entry,
        media=media,
        step=rng.choice(["", "trigger"]),
        text=text,
        off=sess.trigger_offset,
    )
    # first response: a few seconds, a few slow ones
    if rng.random() < 0.035:
        t = t + rng.secs(61, 420)
    else:
        t = t + timedelta(seconds=int(rng.triangular(2, 40, 6)))
    seq = SEQUENCE[v]
    i = 0
    last_slug = None
    while True:
        step = seq[i]
        if step == "checkout":
            checkout(rng, sess, t, last_slug)
            return
        cfg = CONTENT[v][flow][step]
        url = product_url(cfg["slug"], flow, step) if cfg.get("slug") else ""
        if cfg.get("slug"):
            last_slug = cfg["slug"]
        msg_text = cfg["text"].format(first=p.first)
        out = sess.add(t, "message_out", "bot", step=step, text=msg_text, buttons="|".join(cfg["buttons"]), url=url)
        sess.steps.append(step)
        if url:
            sess.link_msgs.append(out)
        t = out["t"]
        if step == "hook":
            outcome = "drop" if sess.hook_drop else decide(rng, sess, step)
        else:
            outcome = decide(rng, sess, step)
        if outcome == "drop":
            if rng.random() < (0.45 if step == "hook" else 0.6):
                sess.add(t + read_lag(rng, sess), "message_read", "contact")
            return
        base = t
        if rng.random() < 0.9 or sess.force:
            base = sess.add(t + read_lag(rng, sess), "message_read", "contact")["t"]
        else:
            base = t + rng.secs(5, 600)
        if outcome == "optout":
            tt = sess.add(base + rng.secs(3, 120), "message_in", "contact", text=rng.choice(["STOP", "stop", "Stop"]))[
                "t"
            ]
            sess.add(tt + rng.secs(1, 3), "opt_out", "contact")
            sess.opted_out = True
            sess.thread.opted_out_at = sess.last_t
            return
        if outcome == "human":
            if cfg.get("human"):
                tt = sess.add(base + rng.secs(3, 90), "button_click", "contact", step=step, label=cfg["human"])["t"]
            else:
                tt = sess.add(
                    base + rng.secs(10, 180),
                    "message_in",
                    "contact",
                    text=rng.choice(
                        ["Can I talk to a real person?", "Can someone call me?", "I have a question about delivery"]
                    ),
                )["t"]
            agent_part(rng, sess, tt + rng.secs(1, 3))
            return
        if outcome == "decline":
            tt = sess.add(base + rng.secs(3, 90), "button_click", "contact", step=step, label=cfg["decline"])["t"]
            tt = sess.add(
                tt + rng.secs(1, 3),
                "message_out",
                "bot",
                step=step,
                text="No problem! Happy browsing, we are here if you need us.",
            )["t"]
            sess.add(tt + rng.secs(20, 300), "resolved", "bot")
            sess.resolved_by = "bot"
            return
        # continue
        if url and (sess.force or rng.random() < PROBS[v][step].get("link", 0)):
            click = sess.add(base + rng.secs(5, 600), "link_click", "contact", step=step, url=url)
            sess.link_clicks.append(click)
            base = click["t"] + rng.secs(30, 900)
        label = rng.choice(cfg["cont"])
        if step == "hook" and v == 2 and cfg.get("alt") and not sess.force and rng.random() < PROBS[2]["hook"]["alt"]:
            label = cfg["alt"]
            seq = ALT_SEQUENCE
        if step == "hook" and rng.random() < 0.06 and not sess.force:
            tt = sess.add(
                base + rng.secs(5, 120),
                "message_in",
                "contact",
                text=rng.choice(["price?", "Do you deliver on Sundays?", "yes", "what do you have?"]),
            )["t"]
        else:
            tt = sess.add(base + rng.secs(2, 90), "button_click", "contact", step=step, label=label)["t"]
        t = tt + rng.secs(1, 4)
        i = seq.index(step) + 1


def checkout(rng, sess, t, slug):
    """The checkout step: ask for an email / phone, the lead, the checkout link, resolved by the bot."""
    p = sess.person
    v = sess.version
    ask = sess.add(
        t,
        "message_out",
        "bot",
        step="checkout",
        text="Great choice! Leave your email or phone number and we will hold a delivery slot for you.",
    )
    sess.steps.append("checkout")
    t = ask["t"]
    if not sess.force and rng.random() < PROBS[v]["checkout"]["drop"]:
        if rng.random() < 0.6:
            sess.add(t + read_lag(rng, sess), "message_read", "contact")
        return
    base = sess.add(t + rng.secs(2, 90), "message_read", "contact")["t"]
    what = "email" if sess.force else rng.pick([("email", 55), ("both", 30), ("phone", 15)])
    email = phone = ""
    if what in ("email", "both"):
        email = messy_email(p.email, random_email_style(rng, 0.3))
    if what in ("phone", "both"):
        phone = fmt_phone(p, linkable_phone_kind(rng, p))
    consent = "true" if (sess.force or rng.random() < 0.88) else "false"
    lead = sess.add(
        base + rng.secs(20, 240),
        "lead_submitted",
        "contact",
        step="checkout",
        email=email,
        phone=phone,
        consent=consent,
        ctv="v2" if v == 1 else "v3",
    )
    sess.lead = lead
    url = product_url(slug or "autumn-bundle", sess.flow, "checkout")
    out = sess.add(
        lead["t"] + rng.secs(1, 3),
        "message_out",
        "bot",
        step="checkout",
        text=f"Thank you {p.first}! Your slot is held for 2 hours. Check out here:",
        url=url,
    )
    sess.link_msgs.append(out)
    resolved_t = out["t"] + rng.secs(60, 600)
    if sess.force or rng.random() < 0.8:
        rd = sess.add(out["t"] + rng.secs(2, 40), "message_read", "contact")
        click = sess.add(rd["t"] + rng.secs(3, 300), "link_click", "contact", step="checkout", url=url)
        sess.link_clicks.append(click)
        resolved_t = max(resolved_t, click["t"] + rng.secs(5, 60))
    sess.add(resolved_t, "resolved", "bot")
    sess.resolved_by = "bot"


def agent_part(rng, sess, t):
    """The bot hands the session to a florist, who answers minutes later and may resolve it."""
    p = sess.person
    sess.add(t, "handoff", "bot", text="Handed over to the florist team")
    sess.handoff = True
    agent = rng.choice(AGENTS)
    delay = rng.delay([((120, 2400), 70), ((2400, 10800), 25), ((10800, 32400), 5)])
    tt = sess.add(
        t + delay,
        "message_out",
        "agent",
        agent=agent,
        text=f"Hi {p.first}, it is {AGENT_NAMES[agent]} from the studio. How can I help?",
    )["t"]
    if rng.random() < 0.85:
        tt = sess.add(tt + read_lag(rng), "message_read", "contact")["t"]
    if rng.random() < 0.8:
        question, answer = rng.choice(AGENT_QA[sess.flow == "wedding_consult"])
        tt = sess.add(tt + rng.secs(30, 1800), "message_in", "contact", text=question)["t"]
        tt = sess.add(tt + rng.secs(60, 1200), "message_out", "agent", agent=agent, text=answer)["t"]
        if rng.random() < 0.85:
            sess.add(tt + rng.secs(300, 3600), "resolved", "agent", agent=agent)
            sess.resolved_by = "agent"
