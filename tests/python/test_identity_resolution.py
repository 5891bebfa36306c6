"""Identity resolution against a real DuckDB build, on small hand-written graphs.

int_identity_components runs connected components as SQL rounds (a Jinja
loop of statements), which dbt unit tests cannot execute. So the algorithm
is proven here instead: the project is built twice (--select the identity
models and what they need) on seeds written by hand, with these graphs side
by side in one warehouse:

- a chain of 30 records, each linked only to the next (alternating email
  and phone, across CRM records, DM threads and orders);
- a star: six records sharing one phone;
- two components that must stay apart;
- a hub (an email on 21 orders, above the threshold of 20) that links
  nothing, next to a phone shared by exactly 20 records, which links;
- transitivity across every identifier type and normalisation
  (email, phone, handle, ig_user_id);
- a lead without consent, which still links; an email on a non-lead event,
  which does not; an order without email or phone (a person of its own).

Every person is checked against a union-find computed here in Python, and
the merge audit must reproduce every person from its rows alone.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DbtResult, copy_project, run_dbt, write_seed

THRESHOLD = 20  # identity_max_records_per_identifier in dbt_project.yml
CHAIN_LENGTH = 30
SEEDS = ["raw_dm_events", "raw_crm_contacts", "raw_orders", "raw_fx_rates", "raw_automation_costs"]
IDENTITY_MODELS = [
    "int_identity_nodes",
    "int_identity_identifiers",
    "int_identity_hubs",
    "int_identity_edges",
    "int_identity_components",
    "int_identity_person_map",
    "int_identity_merge_audit",
]
BUILD_ARGS = [
    "build",
    "--select",
    "+int_identity_merge_audit",
    "+int_identity_person_map",
    "path:models/intermediate/identity",
    "path:tests/identity",
    # only the tests of the identity models (staging has its own suite)
    "--indirect-selection",
    "empty",
]
CREATED = "2026-03-02T10:00:00+00:00"


def seed_columns(project_dir: Path) -> dict[str, list[str]]:
    """Contract columns of each raw seed, in order, from seeds/_seeds.yml."""
    with open(project_dir / "seeds" / "_seeds.yml") as handle:
        seeds = yaml.safe_load(handle)["seeds"]
    return {seed["name"]: list(seed["config"]["column_types"]) for seed in seeds}


class Graph:
    """Raw rows of the test graphs, and the persons they must resolve to."""

    def __init__(self) -> None:
        self.contacts: list[dict] = []
        self.events: list[dict] = []
        self.orders: list[dict] = []
        self.expected: dict[str, set[str]] = {}  # scenario name -> node keys of one person

    def contact(self, contact_id: str, **identifiers: str) -> str:
        self.contacts.append(
            {
                "contact_id": contact_id,
                "created_at": CREATED,
                "updated_at": CREATED,
                "lifecycle_status": "new",
                "opted_out": "false",
                **identifiers,
            }
        )
        return f"crm_contact:{contact_id}"

    def thread(self, thread_id: str, ig_user_id: str, ig_handle: str = "", **lead: str) -> str:
        """A DM thread: a trigger, and a lead_submitted when lead fields are given."""
        base = {
            "thread_id": thread_id,
            "ig_user_id": ig_user_id,
            "ig_handle": ig_handle,
            "occurred_at": CREATED,
            "received_at": CREATED,
        }
        self.events.append(
            {
                **base,
                "event_id": f"{thread_id}_trigger",
                "event_type": "trigger",
                "actor": "contact",
                "entry_point": "keyword",
                "flow_name": "test_flow",
            }
        )
        if lead:
            self.events.append(
                {
                    **base,
                    "event_id": f"{thread_id}_lead",
                    "event_type": "lead_submitted",
                    "actor": "contact",
                    "flow_name": "test_flow",
                    **lead,
                }
            )
        return f"dm_thread:{thread_id}"

    def order(self, order_id: str, **customer: str) -> str:
        self.orders.append(
            {
                "order_id": order_id,
                "created_at": CREATED,
                "currency": "USD",
                "subtotal": "10.00",
                "total_price": "10.00",
                "refunded_amount": "0",
                "financial_status": "paid",
                **customer,
            }
        )
        return f"order:{order_id}"


def build_graph() -> Graph:
    graph = Graph()

    # 1. Chain: record i shares one identifier with record i + 1 only (email, then phone, ...).
    chain = []
    for position in range(1, CHAIN_LENGTH + 1):
        previous_link, next_link = position - 1, position
        identifiers = {}
        for link in (previous_link, next_link):
            if 1 <= link < CHAIN_LENGTH:
                if link % 2:
                    identifiers["email"] = f"chain{link:02d}@example.com"
                else:
                    identifiers["phone"] = f"+1 415 555 {link:04d}"
        # ids descend along the chain, so the smallest key sits at the far end
        suffix = f"{CHAIN_LENGTH + 1 - position:02d}"
        kind = position % 3
        if kind == 0:
            chain.append(graph.contact(f"chain_c{suffix}", **identifiers))
        elif kind == 1:
            chain.append(graph.thread(f"chain_t{suffix}", f"chain_ig{suffix}", **identifiers))
        else:
            chain.append(
                graph.order(
                    f"chain_o{suffix}",
                    customer_email=identifiers.get("email", ""),
                    customer_phone=identifiers.get("phone", ""),
                )
            )
    graph.expected["chain"] = set(chain)

    # 2. Star: six records hold one phone (in several formats); one thread shares a handle with a spoke.
    star = [
        graph.contact("star_c1", phone="+14155550777", ig_handle="@Star.Handle"),
        graph.contact("star_c2", phone="(415) 555-0777"),
        graph.contact("star_c3", phone="0014155550777"),
        graph.order("star_o1", customer_phone="415.555.0777"),
        graph.order("star_o2", customer_phone="1 415 555 0777"),
        graph.thread("star_t1", "star_ig1", phone="+1 (415) 555 0777"),
        graph.thread("star_t2", "star_ig2", ig_handle="star.handle"),
    ]
    graph.expected["star"] = set(star)

    # 3. Two components that must stay apart.
    graph.expected["apart_a"] = {
        graph.contact("apart_a1", email="a@apart.example"),
        graph.order("apart_a2", customer_email=" A@Apart.Example "),
    }
    graph.expected["apart_b"] = {
        graph.contact("apart_b1", email="b@apart.example"),
        graph.order("apart_b2", customer_email="b@apart.example"),
    }

    # 4. Hub: 21 orders share info@ (above the threshold): they link nothing, each is its own person.
    for number in range(1, THRESHOLD + 2):
        graph.expected[f"hub_{number}"] = {graph.order(f"hub_o{number:02d}", customer_email="info@shop.example")}
    # ... while a phone held by exactly 20 records is not a hub: they are one person.
    graph.expected["at_threshold"] = {
        graph.contact(f"threshold_c{number:02d}", phone="+44 20 7946 0000") for number in range(1, THRESHOLD + 1)
    }
    # A record holding a hub value and a normal one links through the normal one only.
    graph.expected["hub_and_email"] = {
        graph.contact("hubmix_c1", email="info@shop.example", phone="+33 6 12 34 56 78"),
        graph.order("hubmix_o1", customer_phone="0033612345678"),
    }

    # 5. Transitivity across every identifier type: A-B email, B-C phone, C-D handle, D-E ig_user_id.
    graph.expected["transitive"] = {
        graph.contact("trans_a", email="Trans@Example.com"),
        graph.order("trans_b", customer_email="trans@example.com", customer_phone="+1 212 555 0100"),
        graph.contact("trans_c", phone="(212) 555-0100", ig_handle="@Trans_Handle"),
        graph.thread("trans_d", "ig_trans", ig_handle="trans_handle"),
        graph.contact("trans_e", ig_user_id="ig_trans"),
    }

    # 6. A lead without consent still links; an email on a non-lead event does not.
    graph.expected["lead_without_consent"] = {
        graph.contact("consent_c1", email="noconsent@example.com"),
        graph.thread("consent_t1", "ig_consent", email="noconsent@example.com", consent="false"),
    }
    not_lead = graph.thread("notlead_t1", "ig_notlead")
    graph.events.append(
        {
            "event_id": "notlead_t1_message",
            "thread_id": "notlead_t1",
            "ig_user_id": "ig_notlead",
            "event_type": "message_in",
            "actor": "contact",
            "occurred_at": CREATED,
            "received_at": CREATED,
            "email": "notlead@example.com",
            "message_text": "my email is notlead@example.com",
        }
    )
    graph.expected["not_a_lead"] = {not_lead}
    graph.expected["not_a_lead_contact"] = {graph.contact("notlead_c1", email="notlead@example.com")}

    # 7. An order with no email and no phone is a person of its own.
    graph.expected["anonymous_order"] = {graph.order("anon_o1")}
    return graph


def write_graph(project_dir: Path, graph: Graph, shuffle_seed: int | None = None) -> None:
    columns = seed_columns(project_dir)
    tables = {
        "raw_crm_contacts": list(graph.contacts),
        "raw_dm_events": list(graph.events),
        "raw_orders": list(graph.orders),
        "raw_fx_rates": [],
        "raw_automation_costs": [],
    }
    for table in SEEDS:
        rows = tables[table]
        if shuffle_seed is not None:
            random.Random(shuffle_seed).shuffle(rows)
        write_seed(project_dir, table, rows, columns[table])


def person_id(root_node_key: str) -> str:
    return "p_" + hashlib.md5(root_node_key.encode()).hexdigest()


def partition(pairs) -> dict[str, frozenset[str]]:
    """Union-find over (node, linked node) pairs: node -> the set of its component."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for node, linked in pairs:
        parent[find(node)] = find(linked)
    groups: dict[str, set[str]] = {}
    for node in list(parent):
        groups.setdefault(find(node), set()).add(node)
    return {node: frozenset(group) for group in groups.values() for node in group}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_graph()


@pytest.fixture(scope="module")
def identity_build(tmp_path_factory, graph):
    project_dir = copy_project(tmp_path_factory.mktemp("identity") / "project")
    write_graph(project_dir, graph)
    result = run_dbt(project_dir, *BUILD_ARGS)
    assert result.returncode == 0, result.output[-6000:]
    return result


def persons(build) -> dict[str, frozenset[str]]:
    """node_key -> the node keys of its person, as the warehouse says."""
    rows = build.query("select node_key, person_id from intermediate.int_identity_person_map")
    by_person: dict[str, set[str]] = {}
    for node_key, pid in rows:
        by_person.setdefault(pid, set()).add(node_key)
    return {node: frozenset(nodes) for nodes in by_person.values() for node in nodes}


def test_every_scenario_resolves_to_exactly_its_expected_person(identity_build, graph):
    resolved = persons(identity_build)
    all_expected = set().union(*graph.expected.values())
    assert set(resolved) == all_expected, "every record is a node of the person map, and nothing else"
    for scenario, nodes in graph.expected.items():
        some_node = next(iter(nodes))
        assert resolved[some_node] == nodes, scenario


def test_chain_of_records_each_linked_to_the_next_is_one_person(identity_build, graph):
    chain = graph.expected["chain"]
    assert len(chain) == CHAIN_LENGTH
    ((person_count, node_count, rounds),) = identity_build.query(
        f"""
        select count(distinct person_map.person_id), count(*), max(components.settled_in_round)
        from intermediate.int_identity_person_map as person_map
        inner join intermediate.int_identity_components as components
            on person_map.node_key = components.node_key
        where person_map.node_key in ({", ".join(f"'{node}'" for node in chain)})
        """
    )
    assert (person_count, node_count) == (1, CHAIN_LENGTH)
    # pointer jumping: rounds grow with log2 of the chain length, not with its length
    assert rounds <= 8, rounds
    (edge_count,) = identity_build.query(
        "select count(*) from intermediate.int_identity_edges where identifier_value like 'chain%' "
        "or identifier_value like '+141555500%'"
    )[0]
    assert edge_count == CHAIN_LENGTH - 1


def test_components_match_a_union_find_over_the_linking_identifiers(identity_build):
    """Exactness on everything built: same partition as a union-find over the non-hub identifiers."""
    holders = identity_build.query(
        """
        select identifiers.identifier_type || ':' || identifiers.identifier_value, identifiers.node_key
        from intermediate.int_identity_identifiers as identifiers
        left join intermediate.int_identity_hubs as hubs
            on identifiers.identifier_type = hubs.identifier_type
            and identifiers.identifier_value = hubs.identifier_value
        where hubs.identifier_key is null
        """
    )
    nodes = [node for (node,) in identity_build.query("select node_key from intermediate.int_identity_nodes")]
    pairs = [(node, node) for node in nodes] + [(node, "value " + key) for key, node in holders]
    reference = {
        node: group - {item for item in group if item.startswith("value ")}
        for node, group in partition(pairs).items()
        if not node.startswith("value ")
    }
    assert persons(identity_build) == reference


def test_star_is_k_minus_one_edges_to_its_smallest_node(identity_build, graph):
    rows = identity_build.query(
        "select node_key, anchor_node_key from intermediate.int_identity_edges "
        "where identifier_type = 'phone' and identifier_value = '+14155550777' order by node_key"
    )
    holders = sorted(graph.expected["star"] - {"dm_thread:star_t2"})
    assert len(rows) == len(holders) - 1
    assert {anchor for _, anchor in rows} == {holders[0]}
    assert [node for node, _ in rows] == holders[1:]


def test_hub_links_nothing_and_is_listed(identity_build):
    hubs = identity_build.query(
        "select identifier_key, node_count, crm_contact_count, order_count "
        "from intermediate.int_identity_hubs order by identifier_key"
    )
    assert hubs == [("email:info@shop.example", THRESHOLD + 2, 1, THRESHOLD + 1)]
    (hub_edges,) = identity_build.query(
        "select count(*) from intermediate.int_identity_edges where identifier_value = 'info@shop.example'"
    )[0]
    assert hub_edges == 0
    (threshold_edges,) = identity_build.query(
        "select count(*) from intermediate.int_identity_edges where identifier_value = '+442079460000'"
    )[0]
    assert threshold_edges == THRESHOLD - 1


def test_person_ids_are_the_md5_of_the_smallest_node_key(identity_build):
    rows = identity_build.query(
        "select node_key, person_id, person_root_node_key from intermediate.int_identity_person_map"
    )
    resolved = persons(identity_build)
    for node_key, pid, root in rows:
        assert root == min(resolved[node_key])
        assert pid == person_id(root)


def test_merge_audit_explains_every_person(identity_build):
    audit = identity_build.query(
        "select node_key, linked_node_key, identifier_type, identifier_value, person_id, merge_reason "
        "from intermediate.int_identity_merge_audit"
    )
    person_map = dict(identity_build.query("select node_key, person_id from intermediate.int_identity_person_map"))
    resolved = persons(identity_build)
    # the audit rows alone rebuild every multi-record person
    explained = partition((node, linked) for node, linked, *_ in audit)
    for node, group in resolved.items():
        assert explained.get(node, frozenset({node})) == group
    for node, linked, identifier_type, value, pid, reason in audit:
        assert person_map[node] == person_map[linked] == pid
        assert f"{node} and {linked} share {identifier_type} {value}" in reason
    by_pair = {(node, linked): (identifier_type, value) for node, linked, identifier_type, value, *_ in audit}
    assert by_pair[("dm_thread:trans_d", "crm_contact:trans_e")] == ("ig_user_id", "ig_trans")
    assert by_pair[("dm_thread:trans_d", "crm_contact:trans_c")] == ("handle", "trans_handle")
    assert by_pair[("dm_thread:consent_t1", "crm_contact:consent_c1")] == ("email", "noconsent@example.com")


def test_no_work_tables_are_left_behind(identity_build):
    leftovers = identity_build.query(
        "select table_name from information_schema.tables where table_name like '%\\_\\_cc\\_%' escape '\\'"
    )
    assert leftovers == []


def test_running_again_on_shuffled_input_gives_the_same_person_ids(identity_build, graph, tmp_path):
    """Run twice: a second build over the first warehouse, every seed shuffled, replaces every
    identity table in place with identical rows (ids do not depend on row order or history)."""
    project_dir = copy_project(tmp_path / "project")
    write_graph(project_dir, graph, shuffle_seed=7)
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(identity_build.warehouse, warehouse)
    second = run_dbt(
        project_dir,
        "build",
        "--select",
        "+int_identity_merge_audit",
        "+int_identity_person_map",
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
        warehouse=warehouse,
    )
    assert second.returncode == 0, second.output[-6000:]
    (first_order,) = identity_build.query("select string_agg(contact_id, ',') from raw.raw_crm_contacts")[0]
    (second_order,) = second.query("select string_agg(contact_id, ',') from raw.raw_crm_contacts")[0]
    assert first_order != second_order, "the second run reads the rows in another order"
    for sql in [
        "select node_key, person_id, person_root_node_key from intermediate.int_identity_person_map order by 1",
        "select * from intermediate.int_identity_components order by node_key",
        "select * from intermediate.int_identity_merge_audit order by edge_key",
        "select * from intermediate.int_identity_hubs order by identifier_key",
    ]:
        assert second.query(sql) == identity_build.query(sql), sql


def test_no_convergence_within_max_rounds_fails_loudly_and_cleans_up(identity_build, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(identity_build.warehouse, warehouse)
    before = identity_build.query("select count(*) from intermediate.int_identity_components")
    result = run_dbt(
        identity_build.project_dir,
        "run",
        "--select",
        "int_identity_components",
        "--vars",
        "{identity_max_rounds: 1}",
        warehouse=warehouse,
    )
    assert result.returncode != 0
    assert "did not converge in 1 rounds" in result.output
    with_failed_run = DbtResult(result.returncode, result.output, identity_build.project_dir, warehouse)
    assert with_failed_run.query("select count(*) from intermediate.int_identity_components") == before
    assert (
        with_failed_run.query(
            "select table_name from information_schema.tables where table_name like '%\\_\\_cc\\_%' escape '\\'"
        )
        == []
    )
