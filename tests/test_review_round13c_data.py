"""Round 13c (data): the answered gateway, the DPIA's owner and date, and mandated returns.

Each test asserts one reader's rule over several answer sets, on the built documents.
"""

from __future__ import annotations

import pytest

from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, MOU_THEN, SHARED
from tests.test_partner_review import changed
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round12_board import planned
from tests.test_review_round13_data import data_sub_clauses, flows_of, schedule_sets

# ------------------------------------ 1 (F2.3) the answered gateway is never overridden


def s251_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in schedule_sets()
            if la.answers.data.legal_gateway == "s251" and la.answers.data.kinds == "pseudonymised"]


def test_1_the_case_is_reached() -> None:
    assert len(s251_sets()) >= 2


@pytest.mark.parametrize("name,loaded", s251_sets(), ids=ids_of)
def test_1_an_answered_s251_gateway_is_a_bracketed_choice(name: str, loaded: LoadedAnswers
                                                           ) -> None:
    """The schedule offers the answered gateway and the library's view as a choice; the data
    clause's sentence that no support is needed is a bracketed proposal too."""
    found = flows_of(loaded)
    assert found, name
    rows, clause = found
    basis = rows["Legal basis for sharing confidential patient information"]
    assert "[section 251 support (NHS Act 2006), Confidentiality Advisory Group reference [●]]" \
        in basis, (name, basis)
    assert "/ [no section 251 support is needed because" in basis, (name, basis)
    assert not basis.startswith("No section 251"), name
    assert "[Sharing data in pseudonymised form" in clause["gateway"], (name, clause["gateway"])


@pytest.mark.parametrize("name,loaded", [(n, la) for n, la in schedule_sets()
                                         if la.answers.data.kinds
                                         in ("pseudonymised", "anonymised")], ids=ids_of)
def test_1_the_headline_data_row_names_the_identifiable_flows(name: str, loaded: LoadedAnswers
                                                               ) -> None:
    found = flows_of(loaded)
    if found is None:
        return
    rows, _ = found
    identifiable = [m for m in rows if m.startswith("Flow: ") and "Identifiable" in rows[m]]
    if not identifiable:
        return
    headline = rows["Data shared"]
    assert "identifiable patient data only in" in headline, (name, headline)
    assert not headline.endswith("only"), name
    if any(m.startswith("Flow: the shared ") for m in identifiable):
        assert "the shared " in headline, (name, headline)


# ------------------------------- 2 (B1.3, B3.1) the DPIA before go-live has an owner and a date


def dpia_sets() -> list[tuple[str, str, LoadedAnswers]]:
    """(name, kind of document, answers) where a DPIA must precede go-live."""
    sets = [("dominant", changed(DOMINANT, data={"dpia": "before_go_live"})),
            ("mou-then", changed(MOU_THEN, data={"dpia": "before_go_live"})),
            ("shared", changed(SHARED, data={"kinds": "pseudonymised", "legal_gateway": "s251",
                                             "controller_model": "independent",
                                             "dpia": "before_go_live"}))]
    found = []
    for name, la in sets + sets_of("collaboration_agreement", 30):
        if not (la.answers.data.dpia == "before_go_live" and la.answers.data.kinds != "anonymised"):
            continue
        for kind in ("collaboration_agreement", "data_sharing", "sub_contract"):
            if planned(la, kind):
                found.append((f"{name}-{kind}", kind, la))
    return found


def test_2_the_cases_are_reached() -> None:
    kinds = {k for _, k, _ in dpia_sets()}
    assert kinds == {"collaboration_agreement", "data_sharing", "sub_contract"}


@pytest.mark.parametrize("name,kind,loaded", dpia_sets(), ids=lambda v: v if isinstance(v, str)
                         else "")
def test_2_the_dpia_has_an_owner_a_date_and_spares_statutory_flows(
        name: str, kind: str, loaded: LoadedAnswers) -> None:
    text = " ".join(t for a, _, t in data_sub_clauses(loaded, kind) if a == "dpia")
    assert text, name
    assert "The Lead Provider leads" in text or "] leads a DPIA" in text, (name, text)
    if kind == "sub_contract":
        # round 23: the sub-contract uses the agreement's date, not a second blank
        assert "and it is completed by the date that clause" in text and "[●]" not in text, \
            (name, text)
    else:
        assert "completed by [●], a date before the" in text, (name, text)
    # round 19: no legal duty requires one member to give another identifiable information
    # about an incident, so incident reporting is no longer an example of a statutory flow
    assert "safeguarding" in text and "the reporting of an incident" not in text, (name, text)
    assert "never waits for it" in text, (name, text)
