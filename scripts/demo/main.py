"""One run: build the story in a fixed order, write the five seeds, re-read and check them, print the
summary. The order of the steps is the order of the random draws; do not reorder them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from scripts.datagen.contract import COST_COLUMNS, CRM_COLUMNS, ELIGIBLE, EVENT_COLUMNS, FX_COLUMNS, ORDER_COLUMNS

from .check import recompute, story_holds
from .crm import build_crm
from .dm_orders import DmOrderPlan, dm_orders_of, settle_amounts
from .fx import build_fx, fx_rows, round_rates_for
from .orders import build_ordinary_orders
from .people import build_non_dm_people
from .story import COST_ROWS
from .summary import print_summary
from .threads import break_links, build_dm, build_organic
from .world import World
from .write import add_event_mess, render_crm, render_events, render_orders, write_csv

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


def won_by_person(w: World):
    """Attach each order to its person; the persons with an eligible order are 'won' (CRM lifecycle)."""
    status_by_person = {}
    for o in w.orders:
        if o.person is not None:
            o.person.orders.append(o)
            if o.status in ELIGIBLE and o.cancelled_t is None and not o.kind.startswith("reject"):
                status_by_person[o.person.pid] = "won"
    return status_by_person


def main(seeds_dir: Path = SEEDS_DIR):
    seeds_dir.mkdir(parents=True, exist_ok=True)
    w = World.new()
    build_non_dm_people(w)
    build_dm(w)
    n_follow = build_organic(w)
    break_links(w)

    # sessions per month, by the trigger's UTC time (what the models count)
    plan = DmOrderPlan(w, Counter(s.start.month for s in w.sessions)).build()
    finals = plan.finals
    build_ordinary_orders(w)

    # fx, then exact amounts for the DM orders
    dm_orders = dm_orders_of(w, finals)
    rates, bad_fx, fallback_orders = build_fx(
        w.rng, [o for o in dm_orders if o not in finals.values()], [o for o in w.orders if o not in dm_orders]
    )
    round_rates_for(rates, dm_orders)
    settle_amounts(w, plan, dm_orders, rates)
    chains = build_crm(w, won_by_person(w))

    # ---- render and write
    ev_rows = add_event_mess(w, render_events(w))
    crm_rows = render_crm(w)
    ord_rows = render_orders(w)
    write_csv(seeds_dir, "raw_dm_events", EVENT_COLUMNS, ev_rows)
    write_csv(seeds_dir, "raw_crm_contacts", CRM_COLUMNS, crm_rows)
    write_csv(seeds_dir, "raw_orders", ORDER_COLUMNS, ord_rows)
    write_csv(seeds_dir, "raw_fx_rates", FX_COLUMNS, fx_rows(w, rates, bad_fx))
    write_csv(seeds_dir, "raw_automation_costs", COST_COLUMNS, COST_ROWS)

    # ---- check with the models' rules and print the summary
    res = recompute(seeds_dir)
    print_summary(w, res, finals, n_follow, fallback_orders, chains)
    if not story_holds(res):
        raise SystemExit("CHECK FAILED")
    print("\nAll checks passed.")
