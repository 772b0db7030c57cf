"""A healthcare partner's cross-area review of the money, clinical and data clauses, as rules of
the clause library: one formula for the Reserved Matters, no insurance duty for a kind of member
the collaborative lacks, drafting notes only for the models it has, and "prevails" said only by
the order of precedence.

Each test drafts whole packs with `drafting assemble` (drafting notes included) from the bundled
examples, the scenario answer sets and variations of them, and reads the Word files.
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import load_answers

from tests.test_governance_review import ALL, DOMINANT, JOINT, NORTH_EAST, SHARED, WEST, _sets
from tests.test_review_round5_governance import draft  # noqa: F401  (fixture)
from tests.test_review_round5_governance import notes_naming_absent

EVERY_MATTER = ["admit_member", "expel_member", "amend_agreement", "annual_budget",
                "risk_share_changes", "ip_commercialisation", "service_reconfiguration",
                "dissolution"]


def _reserving(**governance: object) -> dict[str, object]:
    return {"governance": {"reserved_matters": EVERY_MATTER, **governance}}


# every matter reserved, under each legal form of the board and each commercialisation rule
RESERVED_SETS = [
    (DOMINANT, _reserving()),
    (DOMINANT, {**_reserving(), "membership": {"joining": "majority"}}),
    (JOINT, {**_reserving(), "ip": {"commercialisation": "revenue_share"}}),
    (SHARED, {**_reserving(), "ip": {"commercialisation": "nhs_ip_guidance"},
              "membership": {"joining": "criteria"}}),
    (NORTH_EAST, {**_reserving(), "membership": {"joining": "unanimous"}}),
    (WEST, {**_reserving(), "membership": {"joining": "majority"}}),
]
MENTION = re.compile(r"[ia]s one of the Reserved Matters(?P<rest>.{0,60})")
MONEY_TITLES = ("Financial arrangements", "Joining the collaborative",
                "Risk share and gain share", "Intellectual property")
FORMULA = re.compile(r", decided only as clause \d+\.\d+ provides")


class TestOneReservedMatterFormula:
    @pytest.mark.parametrize(("path", "changes"), _sets(RESERVED_SETS))
    def test_every_mention_uses_the_one_formula(self, draft, path, changes) -> None:
        pack = draft(path, **changes)
        agreement = pack["collaboration-agreement.docx"]
        mentions = [m for title in MONEY_TITLES
                    for m in MENTION.finditer(agreement.clause(title))]
        assert len(mentions) >= 4  # the budget, admission, risk share and commercialisation
        for found in mentions:
            assert FORMULA.match(found.group("rest")), found.group(0)
        assert "approves it as one of the Reserved Matters" not in agreement.text
        assert "given as one of the Reserved Matters" not in agreement.text
        for name, doc in pack.docs.items():
            # a reserved admission is never said to be a majority decision
            assert "majority of the Voting Members approved as one" not in doc.text, name
            if name.startswith("accession-deed"):
                assert "as one of the Reserved Matters" in doc.clause("Joining the collaborative") \
                    or "as one of the Reserved Matters" in doc.text, name


# --------------------------------------------------------------------------- Y2 insurance

def _non_nhs(pack_answers) -> bool:
    return any(m.kind not in ("nhs_trust", "nhs_foundation_trust")
               and m.member_class != "observer" for m in pack_answers.members)


AGREEMENTS = [p for p in ALL if "collaboration_agreement" in load_answers(p).answers.documents]


class TestInsuranceOfNonNhsMembers:
    @pytest.mark.parametrize("path", AGREEMENTS, ids=lambda p: p.stem)
    def test_the_duty_is_said_only_with_such_a_member(self, draft, path) -> None:
        from tests.test_governance_review import answers_of
        pack = draft(path)
        # round 11: an all-NHS agreement heads the clause "Liability and NHS Resolution cover"
        clause = (pack["collaboration-agreement.docx"].clause("Liability, indemnity and insurance")
                  or pack["collaboration-agreement.docx"].clause(
                      "Liability and NHS Resolution cover"))
        assert clause
        # round 12: the insurance duty is set out in lettered paragraphs, and a local authority's
        # own insurance or self-insurance is a parenthesis before "must"
        said = re.search(r"Each Member that is not an NHS Member( \(a local authority Member may "
                         r"instead rely on its own insurance or self-insurance arrangements\))? "
                         r"must take out and maintain", clause)
        assert bool(said) == _non_nhs(answers_of(path)), path.stem
        if said:
            council = any(m.kind == "local_authority" for m in answers_of(path).members)
            assert bool(said.group(1)) == council, path.stem

    def test_an_all_nhs_collaborative_has_no_such_duty(self, draft) -> None:
        from tests.test_governance_review import answers_of
        every_nhs = [p for p in ALL if not _non_nhs(answers_of(p))
                     and "collaboration_agreement" in answers_of(p).documents]
        assert every_nhs  # at least one set has only NHS members and an agreement
        # round 11: the heading of an all-NHS agreement's clause names NHS Resolution cover
        clause = draft(every_nhs[0])["collaboration-agreement.docx"].clause(
            "Liability and NHS Resolution cover")
        assert "Each NHS Member must remain a member" in clause
        assert "that is not an NHS Member" not in clause  # round 12: "must" may follow later
        assert "Any other Member that is eligible" not in clause


# --------------------------------------------------------------------------- Y3 notes by model

MONEY_IDS = {"finance", "joining", "risk-gain-share", "ip-ownership", "ad-accession",
             "liability-insurance", "staffing", "banking-covenants", "sc-status",
             "clinical-model", "data-protection", "dsa-security-retention",
             "financial-framework"}


class TestNotesFollowTheModel:
    def test_a_note_names_no_model_or_member_kind_the_collaborative_lacks(self) -> None:
        notes_read, wrong = notes_naming_absent(
            MONEY_IDS, ("lead provider", "head contract", "covenant member", "risk share"))
        assert notes_read > 100
        assert not wrong, "\n".join(sorted(set(wrong)))


# --------------------------------------------------------------------------- Y4 prevails

PRECEDENCE_TITLES = {"interpretation", "constitution and authority"}


class TestOnlyThePrecedenceClausePrevails:
    @pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
    def test_prevails_only_in_the_order_of_precedence(self, draft, path) -> None:
        pack = draft(path)
        for name, doc in pack.docs.items():
            for title, text in doc.parts.items():
                if title not in PRECEDENCE_TITLES:
                    assert "prevail" not in text, (name, title)
            for note in pack.notes[name]:
                assert "clause prevails" not in note, name
