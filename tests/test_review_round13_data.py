"""Round 13 partner review of the data and information clauses (report 2-C, 2-F and 2-B).

Each test drafts the scenario sets, the examples, generated sets and sets changed to reach
another branch, and asserts the rule over every collaborative it reaches, not one document.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Paragraph, plain
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_ONLY, MOU_THEN, SHARED
from tests.test_money_review import schedule
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round9b_data import has_schedule
from tests.test_review_round12_board import planned

# The sub-clauses of the data protection clause that bind every party, an Observer included;
# the status clause cites them by these anchors.
COMPLIANCE = ("compliance", "security", "accuracy", "breach", "requests")
PARTY = re.compile(r"(?<!third )\bpart(?:y|ies)\b", re.IGNORECASE)


def observer_sets() -> list[tuple[str, LoadedAnswers]]:
    """Collaboration agreements with an Observer, over each controller model and kind of data."""
    sets = [
        ("shared", changed(SHARED)),
        ("shared-joint-direct-care", changed(SHARED, data={
            "kinds": "identifiable_direct_care", "controller_model": "joint",
            "legal_gateway": "direct_care", "dpia": "before_go_live"})),
        ("shared-pseudonymised-s251", changed(SHARED, data={
            "kinds": "pseudonymised", "controller_model": "independent",
            "legal_gateway": "s251", "dpia": "before_go_live"})),
        ("shared-anonymised", changed(SHARED, data={"kinds": "anonymised"})),
    ] + sets_of("collaboration_agreement", 60)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")
            and any(m.member_class == "observer" for m in la.answers.members)]


def data_sub_clauses(loaded: LoadedAnswers, kind: str = "collaboration_agreement"
                     ) -> list[tuple[str, str, str]]:
    """(anchor of the sub-clause, number, words) of each paragraph of the data clause; a
    lettered paragraph carries the anchor of its sub-clause."""
    document = built(loaded, kind)
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    clause = next(c for c in document.clauses if c.id == "data-protection")
    rows, anchor = [], ""
    for block in clause.blocks:
        if isinstance(block, Paragraph):
            if block.level <= 1:
                anchor = block.label or ""
            rows.append((anchor, block.number or "",
                         " ".join(plain(block.inlines, document.targets, schedules).split())))
    return rows


# ------------------------------------------------------------- 1 (C1, D3) the Members, not parties


def test_1_the_case_is_reached() -> None:
    assert len(observer_sets()) >= 4


@pytest.mark.parametrize("name,loaded", observer_sets(), ids=ids_of)
def test_1_roles_duties_and_flows_speak_of_the_members(name: str, loaded: LoadedAnswers) -> None:
    """Where an Observer is a party, a data sub-clause that creates a role, a duty or a flow
    (controller model, shared list, DPIA, direct-care disclosure) names the Members, so that an
    Observer is never a controller, never does a DPIA and never receives identifiable data."""
    rows = data_sub_clauses(loaded)
    roles = [(a, n, t) for a, n, t in rows if a not in COMPLIANCE]
    assert roles, name
    for anchor, number, text in roles:
        assert not PARTY.search(text), (name, anchor, number, text)


BINDING_MOUS = [
    (f"mou-only-binding-{kinds}", changed(MOU_ONLY, mou_binding=True, data={
        "kinds": kinds, "legal_gateway": gateway, "dpia": "before_go_live",
        "controller_model": model}))
    for kinds, gateway, model in (("pseudonymised", "s251", "independent"),
                                  ("identifiable_direct_care", "direct_care", "joint"))]


@pytest.mark.parametrize("name,loaded", BINDING_MOUS, ids=ids_of)
def test_1_a_binding_memorandum_with_an_observer_speaks_of_the_members(
        name: str, loaded: LoadedAnswers) -> None:
    rows = data_sub_clauses(loaded, "mou")
    roles = [(a, n, t) for a, n, t in rows if a not in COMPLIANCE]
    assert roles and {"compliance", "requests"} <= {a for a, _, _ in rows}, name
    for anchor, number, text in roles:
        assert not PARTY.search(text), (name, anchor, number, text)


@pytest.mark.parametrize("name,loaded", observer_sets(), ids=ids_of)
def test_1_the_compliance_sub_clauses_keep_their_anchors(name: str, loaded: LoadedAnswers
                                                         ) -> None:
    """The status clause cites the sub-clauses that bind an Observer by anchor: they exist."""
    anchors = {a for a, _, _ in data_sub_clauses(loaded)}
    assert {"compliance", "security", "breach", "requests"} <= anchors, (name, anchors)


# ------------------------------------------------ 2 (F2) the data schedule follows the data clause


def schedule_sets() -> list[tuple[str, LoadedAnswers]]:
    """Collaboration agreements that share data, over each kind of data and gateway."""
    sets = [
        ("mou-then", changed(MOU_THEN)),
        ("mou-then-anonymised", changed(MOU_THEN, data={"kinds": "anonymised"})),
        ("mou-then-identifiable", changed(MOU_THEN, data={"kinds": "identifiable_direct_care",
                                                          "legal_gateway": "direct_care"})),
        ("shared-pseudonymised-s251", changed(SHARED, data={
            "kinds": "pseudonymised", "controller_model": "independent",
            "legal_gateway": "s251", "dpia": "before_go_live"})),
        ("joint-pseudonymised", changed(JOINT, data={"kinds": "pseudonymised",
                                                     "legal_gateway": "s251"})),
    ] + sets_of("collaboration_agreement", 60)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")]


def flows_of(loaded: LoadedAnswers) -> tuple[dict[str, str], dict[str, str]] | None:
    """(rows of the agreement's data schedule, anchors of the data clause), or None."""
    document = built(loaded, "collaboration_agreement")
    if not has_schedule(document):
        return None
    rows = {}
    for line in schedule(document, "data-sharing").splitlines():
        matter, _, arrangement = line.partition(" | ")
        rows[matter] = arrangement
    clause = {a: t for a, _, t in data_sub_clauses(loaded)}
    return rows, clause


def test_2_the_cases_are_reached() -> None:
    reached = [flows_of(la) for _, la in schedule_sets()]
    assert any(r and "shared-list" in r[1] for r in reached)
    assert any(r and "individual-care" in r[1] for r in reached)


@pytest.mark.parametrize("name,loaded", schedule_sets(), ids=ids_of)
def test_2_each_flow_of_the_clause_has_its_row(name: str, loaded: LoadedAnswers) -> None:
    """A one-off care disclosure and a shared list each get a row with controller and gateway;
    the controllers row is qualified where the shared list may change the model."""
    found = flows_of(loaded)
    if found is None:
        return
    rows, clause = found
    flows = [m for m in rows if m.startswith("Flow: ")]
    assert flows, (name, list(rows))
    if "individual-care" in clause:
        care = rows.get("Flow: one-off disclosures for individual care", "")
        assert "separate controller" in care and "implied" in care, (name, care)
    if "shared-list" in clause:
        listed = [rows[m] for m in flows if m.startswith("Flow: the shared ")]
        assert listed and "Article 26" in listed[0] and "Article 28" in listed[0], (name, rows)
        assert "except as the arrangement" in rows["Controllers"], (name, rows["Controllers"])
        assert "except as the arrangement" in clause["controllers"].split(". ")[0], name


@pytest.mark.parametrize("name,loaded", [(n, la) for n, la in schedule_sets()
                                         if la.answers.data.legal_gateway == "s251"
                                         and la.answers.data.kinds == "pseudonymised"],
                         ids=ids_of)
def test_2_an_unneeded_s251_gateway_is_not_printed_as_the_legal_basis(
        name: str, loaded: LoadedAnswers) -> None:
    found = flows_of(loaded)
    assert found, name
    rows, _ = found
    basis = rows["Legal basis for sharing confidential patient information"]
    # round 13c: the answered gateway is kept as one side of a bracketed choice
    assert basis.startswith("[section 251 support"), name
    assert "[no section 251 support is needed because" in basis, name
    note = " ".join((built(loaded, "collaboration_agreement").clauses[0].note or "").split())
    assert "no flow in this agreement may need that support" in " ".join(
        " ".join((s.note or "").split()) for s in built(loaded, "collaboration_agreement").schedules
    ) or "no flow in this agreement may need that support" in note, name


# ---------------------------------------------- 3 (F4) commercialisation described once


def ip_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [(n, la) for n, la in sets_of("collaboration_agreement", 60)
            if planned(la, "collaboration_agreement")]
    sets += [(f"mou-then-{rule}", changed(MOU_THEN, ip={"commercialisation": rule}))
             for rule in ("unanimous_approval", "revenue_share")]
    return sets


@pytest.mark.parametrize("name,loaded", ip_sets(), ids=ids_of)
def test_3_commercialisation_is_described_once_and_cited(name: str, loaded: LoadedAnswers
                                                         ) -> None:
    """The uses that are commercialisation are listed in one sub-clause (the licence); the
    commercialisation sub-clause cites it instead of listing them again."""
    document = built(loaded, "collaboration_agreement")
    if not any(c.id == "ip-ownership" for c in document.clauses):
        return
    text = clause_text(document, "ip-ownership")
    assert text.count("licensing it for a fee or royalty") == 1, name
    assert text.count("is commercialisation and needs the approval") == 1, name
    licence = document.targets["ip-ownership.foreground-licence"].number
    if "may commercialise any Foreground IP" in text:
        assert f"(as clause {licence} describes commercialisation)" in text, name


# ---------------------------------------- 4 (report-B DSA) DSPT organisation codes are ODS codes


def dsa_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in [("dominant", changed(DOMINANT))]
            + sets_of("data_sharing", 60) if planned(la, "data_sharing")]


def test_4_the_case_is_reached() -> None:
    assert any(m.ods_code for _, la in dsa_sets() for m in la.answers.members)


@pytest.mark.parametrize("name,loaded", dsa_sets(), ids=ids_of)
def test_4_each_contact_row_gives_the_members_ods_code(name: str, loaded: LoadedAnswers
                                                       ) -> None:
    spec = schedule(built(loaded, "data_sharing"), "data-sharing")
    assert "[DSPT organisation code]" not in spec, name
    for m in loaded.answers.members:
        if m.member_class != "observer":
            assert f"{m.name} (DSPT organisation code {m.ods_code or '[●]'}) | " in spec, name
