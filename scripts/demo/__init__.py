"""Deterministic demo data for the dm_roi dbt project: "Bloom & Stem", an independent florist.

Run ``python3 scripts/generate_demo_data.py`` (from any directory; ``make seed-data``). It overwrites
the five raw seeds in ``seeds/`` (raw_dm_events, raw_crm_contacts, raw_orders, raw_fx_rates,
raw_automation_costs), re-reads the files it wrote, recomputes the targets with the models' rules,
fails if anything is off, and prints a summary. Python 3.11 standard library only; one
``random.Random`` with a fixed seed, no clock, no set or hash ordering: two runs give byte-identical
files.

The package, in the order a run uses it (``main.py``)
-----------------------------------------------------
* ``story.py``: the story as constants (dates, targets, flow content, probabilities, texts, costs).
* ``world.py``: ``World``, the state of a run (the random generator ``Dice`` and the lists being built).
* ``people.py``: persons and their unique emails, phones, handles.
* ``sessions.py``: one DM session played step by step (``Thread``, ``Session``, ``simulate``).
* ``threads.py``: the plan of all sessions, organic chats, links with broken UTMs.
* ``dm_orders.py``: the DM orders that make revenue per chat exact; ``orders.py``: the ``Order``,
  amounts, UTMs and the shop's ordinary orders; ``fx.py``: the rates.
* ``crm.py``: the CRM records. ``write.py``: rows, the event file's mess, the CSVs.
* ``check.py``: the models' rules re-implemented, one small check per rule; ``summary.py``: the
  printed summary.

The story
---------
Bloom & Stem answers Instagram DMs with an automation tool, in three flows (``flow_name``):
``autumn_bouquets`` (mostly comment-to-DM on posts), ``gift_bundle`` (ads, keywords) and
``wedding_consult`` (story replies, keywords, direct; often handed to a florist). Entry points:
comment_to_dm (most), story_reply, keyword, ad, direct. Two months, all times UTC.

* September 2026 (flow version 1): a long hook, then discovery > premium > offer > bundle > checkout.
  ``offer`` is a dead offer ("5% off orders over $150"): most sessions that reach it stop there.
  40% of sessions show no customer activity after the first bot message.
  Revenue per chat = $3.10 exactly.
* October 2026 (version 2, for triggers from 2026-10-01T00:00Z): the offer is gone, the hook is
  short (first-message drop-off 20%) and the winning ``bundle`` comes right after the hook (or
  discovery > premium for those who ask for something else). Revenue per chat = $6.40 exactly.
* The bot answers a trigger in 2-40 s (about 3% slow answers of 61-420 s). Steps that show a product
  send ``https://bloomandstem.example/products/<slug>?utm_source=dm&utm_medium=chat``
  ``&utm_campaign=<flow_name>&utm_content=<flow_step>``; checkout asks for an email and/or phone
  (``lead_submitted`` with consent true/false and notice version v2 in September, v3 in October),
  sends the checkout link, and the bot resolves. Some sessions are handed to a florist (bot
  ``handoff``, an agent ``message_out`` minutes later, resolved by the agent); a few customers write
  STOP (``message_in`` + ``opt_out``) and never get a bot message again. Organic chats: threads with
  no trigger, and messages more than 24 h after a session's last event, answered by agents only.
  No bot message goes out more than 24 h after the customer's last event. Some threads re-trigger
  (a new session; 8 of them within 24 h of the previous one); two threads change handle.
* Orders: DM buyers order 10 min - 5 days after their last link click, with their session's flow as
  utm_campaign, using the lead's email / phone or the email of their older CRM record, in any case
  or spacing (the order links to the thread through the lead, or through the older record's handle).
  A few DM orders have no session to go to (utm_unmatched), a few non-DM orders come from people who
  clicked a DM link in the previous days (assisted), and most orders are ordinary web / POS sales.
  CRM records come from the DM tool (ig_user_id, handle, first-touch dm/chat UTMs, flow_path such as
  ``discovery>premium>offer``, consent from the lead), the website, a 2025 import and the shop till.
* Costs: a $99 tool subscription each month, a $1,200 setup and a EUR 450 agency line in September,
  a $250 agency line in October, $300 of click-to-DM ads each month.

The accounting (done exactly as the models do it, and re-checked on the written files)
-------------------------------------------------------------------------------------
* sessions(M) = distinct valid ``trigger`` event_ids (duplicates removed keeping the earliest
  received_at; contract-breaking rows excluded; enums trimmed and lowercased) whose occurred_at in
  UTC falls in month M.
* attributed_revenue(M) = over valid orders whose created_at in UTC falls in M, with
  financial_status (trimmed, lowercased) paid / partially_refunded / refunded and an empty
  cancelled_at, whose order UTMs have source dm and medium chat (order UTMs = the saved utm_* columns
  when any is non-empty, else the query string of landing_site; names case-insensitive, values
  URL-decoded, trimmed, lowercased; the two sets never mixed): the sum of
  (total_price - refunded_amount) x rate_to_reporting (the rate of the order's UTC date or the latest
  earlier one; USD at 1). Matched and utm_unmatched orders both count.
* All other DM orders are made first. EUR / GBP DM orders convert to whole cents: the rate rows they
  use are rounded to a multiple of 0.0050 and their net amount to a multiple that makes
  net x rate exact. Then one final USD DM order per month gets net = target x sessions - the rest,
  so revenue / sessions is 3.10 and 6.40 with no remainder. The check recomputes both from the CSVs.
* Sizes: a few thousand events; about 260 CRM records and a little over 200 orders, so that the two
  deliberate rejects of each of these tables stay under 1% of its rows.

Deliberate mess (all valid once cleaned as the contract says; counted in the summary)
--------------------------------------------------------------------------------------
raw_dm_events: duplicate deliveries of an event_id (identical rows, and copies with a later
received_at; three of them are triggers); offsets Z, +00:00, +02:00, -04:00 and +05:30, many changing
the date, and three triggers whose local date is in the other month (2026-09-30T23:30:00-04:00 is an
October session, 2026-10-01T01:15:00+02:00 and 2026-10-01T03:50:00+05:30 are September sessions);
rows ordered by received_at (not occurred_at) with a back-filled batch of 45 rows at the end, so most
sessions are out of order in the file; handles with '@', MixedCase, empty on a few rows, and two
threads whose handle changes; lead emails with spaces and capitals; phones in national and
international formats; five outbound links with a misspelled ``utm_campain`` (2), no utm_medium (2) or
no utm_campaign (1), and their clicks; two links to instagram.com (they do not leave Instagram);
enums with stray spaces or capitals (`` Message_Out``, ``Trigger ``, ``Bot``, ``Comment_To_DM ``).
raw_crm_contacts: the same email in different case or with spaces on two records of one person (DM
record + older website / import record); two persons split across three records each (A-B share an
email, B-C share a phone; A's French national phone ``06 12 34 56 78`` does not match the
international forms); the hub email info@bloomandstem.example on 24 records (8 CRM + 16 POS orders);
consent_at in the future (2), consent_at before the person's first record (2); opted_out true with
no opted_out_at (2); enum mess (``Qualified ``, ``WON``, ``Website ``, ``DM``).
raw_orders: UTMs only in landing_site (saved columns empty) with mixed-case names and values
(``UTM_Source=DM``), URL-encoding (``autumn%5Fbouquets``, ``chat%20``) and extra parameters; saved
values in mixed case (``DM``, `` dm``, ``Chat``, ``Gift_Bundle``); a DM landing_site overridden by a
saved instagram set (not DM); USD, EUR and GBP, with DM orders on days that have no rate (they fall
back to the previous day); orders with no email and no phone; partially refunded, refunded,
pending, voided and cancelled orders; statuses like ``PAID `` and `` Paid``. DM orders of note:
two orders at the month boundary (2026-10-01T00:35:00+02:00 is September revenue,
2026-09-30T22:40:00-04:00 is October revenue), a fully refunded DM order (net 0, not an order),
pending / voided / cancelled DM orders (not eligible), and four utm_unmatched ones: no email and no
phone, a session 9+ days old, a landing_site with ``utm_campain`` (so no utm_campaign), a forwarded
link bought by someone who never wrote to the shop.
raw_fx_rates: EUR and GBP daily with missing days; no USD rows. raw_automation_costs: one EUR line,
one ``Tool_Subscription``.

Deliberate contract-breaking rows (the models reject them; they count in nothing above)
--------------------------------------------------------------------------------------
raw_dm_events: two ``reaction`` events (unknown event_type), one message_read with occurred_at
``not-a-date``, one message_read with an empty event_id.
raw_crm_contacts: one record with an empty contact_id, one with lifecycle_status ``vip``.
raw_orders: one order with a negative total_price (a till correction), one web order in CHF (a
currency with no rate at all; not DM).
raw_fx_rates: one GBP row with a negative rate, on a day that has no other GBP rate.
raw_automation_costs: none. The exact ids are printed in the summary.
"""
