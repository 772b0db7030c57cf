"""A healthcare partner's ninth review of the MOU, as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
MOUs (and, where the clause is shared, the agreements and sub-contracts) of the bundled
examples, the scenario answer sets, variations of them and generated collaboratives as
`drafting lint` drafts them, and reads the text a lawyer would read. The ids are the review's
(report, document, finding).
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import MOU_ONLY, clause_text
from tests.test_review_round5_mou import MERSEY, built
from tests.test_review_round7_mou import competition_sets, mou_sets

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;:])\s+", text) if s]


# --------------------------------------------------------------------------- 4 (E1.3) + 6 (E2.2)


class TestE13CompetitionRestrictsNeverObliges:
    @pytest.mark.parametrize("name,kind,loaded", competition_sets(), **IDS)
    def test_no_duty_to_open_the_books_and_no_statement_that_the_members_compete(
            self, name: str, kind: str, loaded: LoadedAnswers) -> None:
        text = clause_text(built(loaded, kind), "competition-information-barrier")
        assert "opens its books" not in text, (name, kind)
        assert not re.search(r"The Members compete\b", text), (name, kind)
        if "cost information" in text:
            assert re.search(r"A Member that shares its cost information with the others .{0,80}"
                             r"shares only the costs, income and activity", text), (name, kind)

    @pytest.mark.parametrize("name,kind,loaded", competition_sets(), **IDS)
    def test_the_provider_selection_regime_is_a_defined_term(
            self, name: str, kind: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, kind)
        text = clause_text(doc, "competition-information-barrier")
        assert "Provider Selection Regime" not in text, (name, kind)
        if "PSR Regulations" in text:
            assert "\u201cPSR Regulations\u201d means the Health Care Services (Provider Selection " \
                   "Regime) Regulations 2023" in clause_text(doc, "definitions"), (name, kind)

    @pytest.mark.parametrize("name,kind,loaded", competition_sets(), **IDS)
    def test_staff_are_briefed_before_they_take_part(
            self, name: str, kind: str, loaded: LoadedAnswers) -> None:
        text = clause_text(built(loaded, kind), "competition-information-barrier")
        assert "have been trained" not in text, (name, kind)
        assert "are briefed on Competition Law before they take part" in text, (name, kind)

    @pytest.mark.parametrize("name,kind,loaded", competition_sets(), **IDS)
    def test_the_joint_bid_carve_out_is_stated_once_and_governs_every_limb(
            self, name: str, kind: str, loaded: LoadedAnswers) -> None:
        text = clause_text(built(loaded, kind), "competition-information-barrier")
        assert len(re.findall(r"joint bid or consortium arrangement that", text)) == 1, (name, kind)
        if "no party may agree or co-ordinate with another party" in text:
            # the carve-out follows the list of limbs and names the sub-clause they are in
            last_limb = text.index("a refusal to deal with any other provider")
            carve = re.search(r"Nothing in clause (\d+\.\d+) prevents the parties concerned from "
                              r"agreeing or co-ordinating any of the matters it lists within a "
                              r"joint bid or consortium arrangement", text)
            assert carve and carve.start() > last_limb, (name, kind)
            limbs = text[text.index("no party may agree or co-ordinate"):last_limb]
            assert "joint bid" not in limbs, (name, kind)
