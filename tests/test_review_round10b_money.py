"""What the round-10 money areas handed to each other, as rules over many answer sets.

Each rule is drafted over the bundled examples, the scenario answer sets, variations of them and
generated collaboratives as `drafting lint` drafts them, and read as a lawyer reads the text.
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers, load_answers
from tests.review_sets import ALL
from tests.test_partner_review import DOMINANT, JOINT, SHARED, changed, clause_text
from tests.test_review_round5_mou import built, generated_of
from tests.test_review_round9_board import checklist
from tests.test_review_round9_money import agreements

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")
POOLED = ("shared_control_total", "lead_holds_budget")


def councils(loaded: LoadedAnswers) -> list[str]:
    """The local authorities inside the shared finances (not observers)."""
    a = loaded.answers
    if a.finance.model not in POOLED:
        return []
    return [m.name for m in a.members
            if m.kind == "local_authority" and m.member_class != "observer"]


# --------------------------------------------------------------------------- 1 s.75 and the share


def council_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [
        ("joint-pro-rata", changed(JOINT, finance={"deficit": "pro_rata", "loss_cap_percent": None})),
        ("joint-reinvest", changed(JOINT, finance={"surplus": "reinvest", "surplus_reinvest_percent": None})),
    ]
    return [(n, la) for n, la in agreements(extra, 120) if councils(la)]


class TestTheSection75AgreementConditionsOnlyTheCouncilsShare:
    @pytest.mark.parametrize("name,loaded", council_sets(), **IDS)
    def test_the_share_runs_from_the_date_of_the_section_75_agreement(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        cp = doc.targets["conditions-precedent.section-75"].number
        wording = ("is paid or received only from the date, and to the extent, of the agreement "
                   "under section 75 of the NHS Act")
        cited = f"referred to in clause {cp}, made on the heads of terms set out there"
        for clause_id in ("risk-gain-share", "finance"):
            text = clause_text(doc, clause_id)
            assert "takes effect" not in " ".join(
                s for s in re.split(r"(?<=[.;]) ", text) if "section 75" in s), (name, clause_id)
            if clause_id == "risk-gain-share" and "local-authority" not in {
                    k.split(".", 1)[1] for k in doc.targets if k.startswith("risk-gain-share.")}:
                continue
            assert wording in text, (name, clause_id)
            assert cited in text, (name, clause_id)

    def test_the_checklist_lists_the_councils_share_rule(self) -> None:
        doc = built(load_answers(JOINT), "collaboration_agreement")
        assert ("the share of Lincolnshire County Council paid or received only from the date, "
                "and to the extent, of its section 75 agreement, a condition of that share only"
                ) in checklist(doc)


# --------------------------------------------------------------------------- 2 open book


def open_book_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [(f"{p.stem}-full-open-book", changed(p, finance={"open_book": "full"}))
             for p in (JOINT, SHARED)]
    return [(n, la) for n, la in agreements(extra, 120) if la.answers.finance.open_book == "full"]


class TestFullOpenBookShowsTheRedactionRule:
    @pytest.mark.parametrize("name,loaded", open_book_sets(), **IDS)
    def test_the_open_book_clause_is_subject_to_the_sensitive_information_rule(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        finance = clause_text(doc, "finance")
        sensitive = doc.targets["reporting.sensitive"].number
        subject = f"Subject to clause {sensitive}"
        if "competition-information-barrier" in {c.id for c in doc.clauses}:
            subject += f" and clause {doc.targets['competition-information-barrier'].number}"
        assert re.search(re.escape(subject) + r" \([^)]*aggregated or redacted\), the Members "
                         r"operate open-book accounting", finance), name


# --------------------------------------------------------------------------- 3 accession figures


def accession_sets() -> list[tuple[str, LoadedAnswers]]:
    docs = ["collaboration_agreement", "committee_terms", "accession_deed"]
    extra = [("shared-accession", changed(SHARED, documents=docs)),
             ("joint-accession", changed(JOINT, documents=docs)),
             ("dominant-pro-rata", changed(DOMINANT, finance={"deficit": "pro_rata", "loss_cap_percent": None}))]
    sets = [(p.stem, load_answers(p)) for p in ALL] + extra + generated_of("accession_deed", 40)
    return [(n, la) for n, la in sets if "accession_deed" in la.answers.documents]


class TestAJoinersFiguresFollowTheAgreementsBasis:
    @pytest.mark.parametrize("name,loaded", accession_sets(), **IDS)
    def test_one_value_basis_and_the_covenant_row_in_the_schedule(
            self, name: str, loaded: LoadedAnswers) -> None:
        deed = built(loaded, "accession_deed")
        text = clause_text(deed, "ad-accession")
        assert "contracts with its commissioners" not in text, name
        if "New Member gives these figures" not in text:
            return
        if "the New Member gives these figures, which are entered in the schedules of the Agreement: the annual" in text:
            assert ("the annual value of the services it provides or arranges within the Services, "
                    "measured as the Agreement measures it for every Member") in text, name
        assert "[[" not in text, name
        if "Covenant Member" in text and "collaboration_agreement" in loaded.answers.documents:
            agreement = built(loaded, "collaboration_agreement")
            ff = re.escape(agreement.targets["sched:financial-framework"].number)
            assert re.search(rf"cap \([^)]*\), entered as its row in {ff} \(Financial framework\) "
                             r"of the Agreement: \[£●\]", text), name
