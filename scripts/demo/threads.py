"""The DM world: the plan of the two months' sessions, who writes (new threads, re-triggers, handle
changes), the organic chats agents answer, and the few outbound links with broken UTMs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .people import make_person, new_handle
from .sessions import Session, open_thread, simulate
from .story import AGENTS, DATA_START, EVENT_END, FLOW_BY_ENTRY, ORDER_END, ORGANIC_QA, RELAUNCH
from .world import World, month_of

SESSIONS_PER_MONTH = ((9, 150), (10, 160))
HOUR_WEIGHTS = [3, 3, 2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 7, 7, 7, 6, 5, 4, 3]
HOOK_DROP_SHARE = ((9, 0.40), (10, 0.20))  # exact first-message drop-off per planned month
# sessions whose trigger's local date is in the other month, and the two boundary buyers:
# (trigger time in UTC, force, offset of the trigger's occurred_at, label)
EDGE_SESSIONS = [
    (datetime(2026, 10, 1, 3, 30, tzinfo=UTC), None, "-04:00", "edge_oct_local_sep"),
    (datetime(2026, 9, 30, 23, 15, tzinfo=UTC), None, "+02:00", "edge_sep_local_oct"),
    (datetime(2026, 9, 30, 22, 20, tzinfo=UTC), "buy_oct", "+05:30", "edge_sep_local_oct_buyer"),
    (datetime(2026, 9, 30, 17, 5, tzinfo=UTC), "buy_sep", None, "sep_buyer_order_local_oct"),
]


def plan_sessions(rng):
    """When each session starts, which are forced buyers or month-boundary edges, which re-trigger a
    recent thread and which drop off after the hook."""
    plans = []
    for month, n in SESSIONS_PER_MONTH:
        for _ in range(n):
            day = rng.randint(1, 30)
            hour = rng.pick(list(enumerate(HOUR_WEIGHTS)))
            start = datetime(2026, month, day, hour, rng.randint(0, 59), rng.randint(0, 59), tzinfo=UTC)
            if start < DATA_START:
                start += timedelta(hours=2)
            plans.append(dict(start=start, force=None, offset=None, retrigger=False))
    for start, force, offset, label in EDGE_SESSIONS:
        plans.append(dict(start=start, force=force, offset=offset, retrigger=False, label=label))
    plans.sort(key=lambda d: d["start"])
    regular = [i for i, d in enumerate(plans) if d["force"] is None and d["offset"] is None]
    for i in rng.sample(regular, 8):
        plans[i]["retrigger"] = True
    # exact hook drop-off shares per month (planned month; the sessions the edges add are close)
    for month, share in HOOK_DROP_SHARE:
        idx = [i for i, d in enumerate(plans) if d["force"] is None and month_of(d["start"]) == month]
        for i in rng.sample(idx, round(len(idx) * share)):
            plans[i]["hook_drop"] = True
    return plans


def build_dm(w: World):
    """Play every planned session, on a new thread or on an earlier one (a re-trigger)."""
    rng = w.rng
    handle_changes = 0
    for plan in plan_sessions(rng):
        start = plan["start"]
        thread = None
        cands = []
        if plan["retrigger"]:
            cands = [
                th
                for th in w.threads
                if th.opted_out_at is None and start - timedelta(hours=20) <= th.last_t <= start - timedelta(minutes=30)
            ]
        elif plan["force"] is None and plan["offset"] is None and rng.random() < 0.17:
            cands = [th for th in w.threads if th.opted_out_at is None and th.last_t <= start - timedelta(hours=2)]
        if cands:
            thread = rng.choice(cands)
            if handle_changes < 2 and len(thread.sessions) >= 1 and rng.random() < 0.2:
                thread.old_handles.append(thread.handle)
                thread.handle = new_handle(w, thread.person.first, thread.person.last)
                thread.handle_changed_at = start
                handle_changes += 1
        else:
            person = make_person(w, "dm", country="US" if plan["force"] else None, handle=True)
            if rng.random() < 0.2:
                person.pre_record = rng.pick([("website", 75), ("import", 25)])
            thread = open_thread(w, person)
        entry = rng.pick([("comment_to_dm", 55), ("story_reply", 18), ("keyword", 12), ("ad", 10), ("direct", 5)])
        if thread.sessions and rng.random() < 0.4:
            flow = thread.sessions[-1].flow
        else:
            flow = rng.pick(FLOW_BY_ENTRY[entry])
        if plan["force"]:
            entry, flow = "comment_to_dm", "autumn_bouquets"
        version = 1 if start < RELAUNCH else 2
        sess = Session(
            len(w.sessions) + 1, start, thread, entry, flow, version, plan.get("hook_drop", False), plan["force"]
        )
        sess.trigger_offset = plan["offset"]
        sess.label = plan.get("label")
        sess.retrigger = plan["retrigger"] and bool(cands)
        simulate(rng, sess)
        thread.sessions.append(sess)
        thread.person.sessions.append(sess)
        thread.last_t = sess.last_t
        w.sessions.append(sess)
    for s in w.sessions:
        w.events.extend(s.events)


def organic_event(th, t, etype, actor, **kw):
    """An event of an organic chat: in a thread, outside any flow and session."""
    return dict(t=t, tid=th.tid, etype=etype, actor=actor, **kw, flow="", sess=None)


def organic_opening(rng, th, t_in, questions, reply_delays):
    """A customer's question and an agent's answer: (events, agent, time of the answer).
    ``reply_delays`` as ``Dice.delay`` takes them."""
    agent = rng.choice(AGENTS)
    question, answer = rng.choice(questions)
    evs = [organic_event(th, t_in, "message_in", "contact", text=question)]
    reply = t_in + rng.delay(reply_delays)
    evs.append(organic_event(th, reply, "message_out", "agent", agent=agent, text=answer))
    return evs, agent, reply


def build_organic(w: World):
    """Organic chats: no trigger, agents only (they have 7 days, the bot never writes here). Returns
    the number of follow-ups written more than 24 h after a session."""
    rng = w.rng
    n_follow = 0
    candidates = [th for th in w.threads if th.opted_out_at is None]
    rng.shuffle(candidates)
    for th in candidates:
        if n_follow >= 18:
            break
        s = th.sessions[0]
        nxt = th.sessions[1].start if len(th.sessions) > 1 else EVENT_END
        t_in = s.last_t + timedelta(hours=rng.uniform(25, 80))
        if t_in + timedelta(hours=30) >= nxt:
            continue
        evs, agent, reply = organic_opening(rng, th, t_in, ORGANIC_QA, [((300, 7200), 60), ((7200, 93600), 40)])
        if rng.random() < 0.5:
            evs.append(organic_event(th, reply + rng.secs(600, 7200), "resolved", "agent", agent=agent))
        th.organic.extend(evs)
        w.events.extend(evs)
        n_follow += 1
    # threads that never had an automated session
    for _k in range(12):
        th = open_thread(w, make_person(w, "organic", handle=True))
        t_in = datetime(
            2026,
            rng.choice([9, 10]),
            rng.randint(1, 28),
            rng.randint(8, 22),
            rng.randint(0, 59),
            rng.randint(0, 59),
            tzinfo=UTC,
        )
        delays = [((300, 7200), 50), ((7200, 30 * 3600), 50)]
        evs, agent, reply = organic_opening(rng, th, t_in, ORGANIC_QA[1:], delays)
        if rng.random() < 0.6:
            back = reply + rng.secs(120, 3600)
            evs.append(organic_event(th, back, "message_in", "contact", text="Perfect, thanks!"))
            evs.append(organic_event(th, back + rng.secs(60, 1800), "resolved", "agent", agent=agent))
        th.organic.extend(evs)
        th.last_t = evs[-1]["t"]
        w.events.extend(evs)
    return n_follow


def break_links(w: World):
    """Misspelled / missing UTM parameters on a few outbound links (and their clicks), and two links to
    the shop's own Instagram post (they need no UTMs)."""
    rng = w.rng
    kinds = ["campain", "campain", "no_medium", "no_medium", "no_campaign"]
    pool = [
        s
        for s in w.sessions
        if s.link_clicks
        and s.force is None
        and s.lead is not None
        and s.lead["email"]
        and s.link_clicks[-1]["t"] < ORDER_END - timedelta(days=2)
    ]
    rng.shuffle(pool)
    used = []
    for kind in kinds:
        need_click = kind in ("campain", "no_medium") and len([b for b in w.broken_links if b[0] == kind]) == 0
        sess = None
        for s in pool:
            if s in used:
                continue
            sess = s
            break
        if not need_click:
            others = [s for s in w.sessions if s.link_msgs and not s.link_clicks and s not in used and s.force is None]
            sess = rng.choice(others)
        used.append(sess)
        msg = sess.link_clicks[-1] if need_click else sess.link_msgs[-1]
        old = msg["url"]
        if kind == "campain":
            new = old.replace("utm_campaign=", "utm_campain=")
        elif kind == "no_medium":
            new = old.replace("&utm_medium=chat", "")
        else:
            new = old.replace(f"&utm_campaign={sess.flow}", "")
        target_msg = None
        for ev in sess.events:
            if ev.get("url") == old:
                ev["url"] = new
                if ev["etype"] == "message_out":
                    target_msg = ev
        click = None
        for c in sess.link_clicks:
            if c["url"] == new:
                click = c
        sess.broken = kind
        w.broken_links.append((kind, target_msg, click, sess))
    closers = [
        ev
        for ev in w.events
        if ev["etype"] == "message_out" and ev["actor"] == "bot" and ev["text"].startswith("No problem!")
    ]
    for ev in rng.sample(closers, 2):
        ev["text"] = "No problem! Our latest arrangements are on this post:"
        ev["url"] = "https://www.instagram.com/p/BloomStemAutumn26/"
