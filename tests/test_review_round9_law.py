"""The partner's round-9 findings on governing law, disputes, periods, precedence, conditions
precedent and the notes of the general clauses, as rules over many answer sets.

Each test drafts the bundled examples, the scenario answer sets, answer sets changed to reach
the case in question and generated collaboratives (as `drafting lint` drafts them), and reads
the text of the clauses and the drafting notes, so that a rule holds for every collaborative
and not one document.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text
from tests.test_review_round6_data import every_document
from tests.test_review_round6_gov import ids_of, sets_of

HSB_KINDS = {"nhs_trust", "nhs_foundation_trust", "icb", "nhs_england"}
OWN = ("interpretation", "status", "boilerplate", "dispute-resolution", "commencement-term",
       "conditions-precedent", "definitions")


def answer_sets(*kinds: str, limit: int = 20) -> list[tuple[str, LoadedAnswers]]:
    """Each answer set once, with the documents of `kinds` it drafts."""
    seen: dict[str, LoadedAnswers] = {}
    for kind in kinds:
        asked = "sub_contracts" if kind == "sub_contract" else kind  # one answer, a sub-contract each
        for name, loaded in sets_of(asked, limit):
            seen.setdefault(name, loaded)
    return list(seen.items())


def documents_of(loaded: LoadedAnswers, *kinds: str) -> list[tuple[str, Document]]:
    """Each document of `kinds` the answers draft, by kind (a sub-contract once per partner)."""
    return [(doc.kind, doc) for _, _, doc in every_document([("", loaded)], kinds)]


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;])\s+", " ".join(text.split()))


def checklist(document: Document) -> str:
    return " ".join((document.clauses[0].note or "").split())


def note_of(document: Document, clause_id: str) -> str:
    return " ".join(next((c.note or "" for c in document.clauses if c.id == clause_id), "").split())


# --------------------------------------------------------------------------- 1 law and routing

ROUTED = ("collaboration_agreement", "sub_contract", "mou")


class TestItem1GoverningLawPointsToTheOneRouteInTheDisputeClause:
    @pytest.mark.parametrize("name,loaded", answer_sets(*ROUTED), ids=ids_of)
    def test_law_only_names_the_law_and_the_dispute_clause_routes(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind, document in documents_of(loaded, *ROUTED):
            general = sentences(" ".join(clause_text(document, c) for c in ("status", "boilerplate")))
            at = next((i for i, s in enumerate(general)
                       if "governed by the law of England and Wales" in s), None)
            assert at is not None, (name, kind)
            after = " ".join(general[at:at + 2])
            # the law, then one sentence that only points to the dispute clause's route
            assert "courts of England and Wales have" not in after, (name, kind, after)
            assert "Health Service Body" not in after, (name, kind, after)
            assert re.search(r"[Cc]lause \d+(\.\d+)? says where a dispute", after), (name, kind, after)
            # the Secretary of State and the courts are named in the dispute clause only
            for clause_id in ("status", "boilerplate"):
                text = clause_text(document, clause_id)
                assert "Secretary of State" not in text, (name, kind, clause_id)
                assert "the courts of England and Wales" not in text, (name, kind, clause_id)
            disputes = clause_text(document, "dispute-resolution")
            # round 10c (B1.5): a sub-contract between two NHS bodies has no court limb
            nhs = ("nhs_trust", "nhs_foundation_trust")
            plain_nhs = kind == "sub_contract" and "is an NHS contract within the meaning" \
                in disputes and loaded.answers.lead.kind in nhs
            assert ("courts of England and Wales, which have exclusive jurisdiction" in disputes
                    ) != plain_nhs, (name, kind)
            hsb = [m for m in loaded.answers.members if m.kind in HSB_KINDS]
            if kind != "sub_contract" and len(hsb) > 1:
                route = next(s for s in sentences(disputes) if "Secretary of State" in s)
                assert "to the extent that it is between parties each of which is a Health " \
                       "Service Body" in route, (name, kind, route)
            # no sentence rests on every party being a health service body
            for clause_id in OWN:
                text = clause_text(document, clause_id)
                assert not re.search(r"(Every|Each) party is a Health Service Body", text), (
                    name, kind, clause_id)
                assert "section 9(" not in text, (name, kind, clause_id)
                assert "section 9(" not in note_of(document, clause_id), (name, kind, clause_id)

    def test_both_a_mixed_and_an_nhs_only_collaborative_are_covered(self) -> None:
        mixes = {any(m.kind not in HSB_KINDS for m in la.answers.members)
                 for _, la in answer_sets(*ROUTED)}
        assert mixes == {True, False}


# --------------------------------------------------------------------------- 6 joinder default


class TestItem6TheJoinderDefaultOnlyWhereTheTextHasIt:
    @pytest.mark.parametrize("name,loaded", answer_sets(*ROUTED), ids=ids_of)
    def test_seven_days_to_join_listed_only_beside_the_sentence(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind, document in documents_of(loaded, *ROUTED):
            text = clause_text(document, "dispute-resolution")
            has_rule = "may join it by notice to the parties within seven days" in text
            # round 14: the checklist states periods in figures
            listed = "7 days for another party with an interest to join a dispute" in \
                checklist(document)
            assert listed == has_rule, (name, kind, listed, has_rule)

    def test_an_mou_and_an_agreement_are_covered(self) -> None:
        kinds = {k for _, la in answer_sets(*ROUTED) for k in la.answers.documents}
        assert {"mou", "collaboration_agreement", "sub_contracts"} <= kinds


# --------------------------------------------------------------------------- 2 business-day roll

ROLLED = ("collaboration_agreement", "sub_contract")


class TestItem2TheBusinessDayRollMovesOnlyActsNeverFixedDates:
    @pytest.mark.parametrize("name,loaded", answer_sets(*ROLLED), ids=ids_of)
    def test_only_a_period_for_doing_an_act_rolls(self, name: str, loaded: LoadedAnswers) -> None:
        for kind, document in documents_of(loaded, *ROLLED):
            said = sentences(clause_text(document, "interpretation"))
            rolls = [s for s in said if "next Business Day" in s]
            assert rolls, (name, kind)
            for roll in rolls:
                assert "period for doing an act" in roll, (name, kind, roll)
                assert "ends on the next Business Day" not in roll, (name, kind, roll)
            never = next((s for s in said if s.startswith("That rule never moves")), "")
            for words in ("a date fixed by or under", "the end of the Term or of a Contract Year",
                          "minimum term", "Exit Date", "whatever the day of the week"):
                assert words in never, (name, kind, words, never)

    def test_the_saturday_exit_of_the_mou_then_agreement_stays_on_31_march(self) -> None:
        from datetime import date

        from drafting.read.load import load_answers
        from tests.test_partner_review import MOU_THEN
        loaded = load_answers(MOU_THEN)
        (_, document), = documents_of(loaded, "collaboration_agreement")
        assert date(2029, 3, 31).weekday() == 5  # a Saturday: the case the roll must not move
        withdrawal = clause_text(document, "withdrawal")
        assert "31 March 2029" in withdrawal and "2 April 2029" not in withdrawal
        said = " ".join(clause_text(document, "interpretation").split())
        assert "never moves" in said and "an Exit Date" in said


# --------------------------------------------------------------------------- 3 pack precedence


def lead_pack_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in answer_sets("sub_contract", limit=30)
            if la.answers.governance.model == "lead_provider"
            and {"collaboration_agreement", "sub_contracts"} <= set(la.answers.documents)]


class TestItem3TheAgreementRanksTheSubContractsAndEachSubContractCitesIt:
    @pytest.mark.parametrize("name,loaded", lead_pack_sets(), ids=ids_of)
    def test_one_rule_in_the_agreement_mirrored_by_each_sub_contract(
            self, name: str, loaded: LoadedAnswers) -> None:
        (_, agreement), = documents_of(loaded, "collaboration_agreement")
        said = " ".join(clause_text(agreement, "interpretation").split())
        rule = next((s for s in re.split(r"(?<=\.)\s+", said) if s.startswith(
            "As between the Lead Provider and a Partner")), "")
        # round 14: the rule is the sub-contract's own ordered list, flow-down tier included:
        # protected provisions, then the head contract as it flows down, then the incorporated
        # provisions of the agreement, then the rest of the sub-contract, then the rest of the
        # agreement (it was a two-tier rule that left the head contract out).
        rule = said[said.index("As between the Lead Provider and a Partner"):]
        # round 19: the protected provisions include the suspension limits
        tiers = ["the sub-contract's protected provisions (its price and payment, liability, "
                 "intellectual property, and suspension and termination provisions)",
                 "the provisions of the Head Contract that flow down to the Partner",
                 "the provisions of this Agreement that the sub-contract incorporates",
                 # round 22: in the sub-contract's own terms, its Particulars last
                 "the other clauses of the sub-contract (except its Particulars), and then its "
                 "schedules",
                 "the other provisions of this Agreement, and any other document referred to in, "
                 "but not set out in, the sub-contract",
                 "the sub-contract's Particulars, which only summarise its other clauses and its "
                 "schedules"]
        places = [rule.index(t) for t in tiers]
        assert places == sorted(places), (name, rule)
        covenants = any(m.banking_covenants for m in loaded.answers.members)
        assert ("the sub-contract's clause on banking covenants, where the Partner is a "
                "Covenant Member" in rule) == covenants, (name, rule)
        number = next(c.number for c in agreement.clauses if c.id == "interpretation")
        for kind, sub in documents_of(loaded, "sub_contract"):
            text = " ".join(clause_text(sub, "interpretation").split())
            # round 11: one ordered list, no second "rank as" sub-clause
            assert "rank as clause" not in text, (name, text)
            order = text[text.index("take precedence in this order"):]
            # the incorporated provisions of the agreement come before the sub-contract's own
            assert order.index("the provisions of the Collaboration Agreement incorporated") < \
                order.index("clauses, except clause"), (name, order)
            assert order.index("the protected provisions listed in sub-clause") < \
                order.index("the provisions of the Collaboration Agreement incorporated"), (
                name, order)

    def test_with_and_without_a_covenant_member(self) -> None:
        assert {any(m.banking_covenants for m in la.answers.members)
                for _, la in lead_pack_sets()} == {True, False}


# --------------------------------------------------------------------------- 4 the DPIA


def dpia_sets() -> list[tuple[str, LoadedAnswers]]:
    from tests.test_partner_review import JOINT, SHARED, changed
    sets = answer_sets("collaboration_agreement", "sub_contract", limit=30)
    sets += [("shared-dpia-first", changed(SHARED, data={
                 "kinds": "identifiable_direct_care", "controller_model": "independent",
                 "legal_gateway": "direct_care", "dpia": "before_go_live"})),
             ("joint-dpia-first", changed(JOINT, data={"dpia": "before_go_live"}))]
    return [(n, la) for n, la in sets if la.answers.data.dpia == "before_go_live"
            and la.answers.data.kinds != "anonymised"]


class TestItem4ADpiaStillToComeIsNeverAConditionOfTheWholeAgreement:
    @pytest.mark.parametrize("name,loaded", dpia_sets(), ids=ids_of)
    def test_no_dpia_condition_and_the_note_says_why(self, name: str, loaded: LoadedAnswers) -> None:
        for kind, document in documents_of(loaded, "collaboration_agreement", "sub_contract"):
            text = clause_text(document, "conditions-precedent")
            assert "impact assessment" not in text, (name, kind, text)
            if kind == "collaboration_agreement" and "data-protection" in {
                    c.id for c in document.clauses}:
                assert "impact assessment is not a condition of this agreement" in \
                    note_of(document, "conditions-precedent"), (name, kind)
                assert "data protection impact assessment of the sharing" not in checklist(
                    document), (name, kind)

    def test_cases_exist(self) -> None:
        kinds = {k for _, la in dpia_sets() for k in la.answers.documents}
        assert {"collaboration_agreement", "sub_contracts"} <= kinds


# --------------------------------------------------------------------------- 5 in force on signing


class TestItem5DataProtectionAndThePreparatoryBoardBindOnSigning:
    @pytest.mark.parametrize("name,loaded", answer_sets("collaboration_agreement", limit=30),
                             ids=ids_of)
    def test_the_signing_list(self, name: str, loaded: LoadedAnswers) -> None:
        (_, document), = documents_of(loaded, "collaboration_agreement")
        numbers = {c.id: c.number for c in document.clauses}
        signing = sentences(clause_text(document, "conditions-precedent"))[0]
        listed = signing[:signing.index("take effect when")] + signing[signing.index(":"):]
        assert "take effect when this Agreement has been signed" in signing, (name, signing)
        if "data-protection" in numbers:
            assert re.search(rf"\b{numbers['data-protection']}\b", listed.split(
                "for the preparatory")[0]), (name, signing)
        if "mou" not in loaded.answers.documents:
            assert f"clause {numbers['governance-board']} for the preparatory meetings " \
                   "described in clause" in signing, (name, signing)
            interim = clause_text(document, "conditions-precedent")
            # round 15: the future Representatives meet as a shadow group that is not the Board
            assert "may meet as a shadow group" in interim and "the Board may meet" not in interim, name


# --------------------------------------------------------------------------- 7 notes and classes

ALL_KINDS = ("collaboration_agreement", "sub_contract", "mou", "committee_terms", "data_sharing",
             "accession_deed")


class TestItem7ObserverNoteWhereItSignsClassesWhereThereAreClasses:
    @pytest.mark.parametrize("name,loaded", answer_sets(*ALL_KINDS, limit=15), ids=ids_of)
    def test_observer_note_and_class_words(self, name: str, loaded: LoadedAnswers) -> None:
        classes_held = {m.member_class for m in loaded.answers.members}
        observers = "observer" in classes_held
        for kind, document in documents_of(loaded, *ALL_KINDS):
            note = note_of(document, "definitions")
            signs = "signs as a party" in note
            assert signs == (observers and kind in ("collaboration_agreement", "mou")), (
                name, kind, note)
            text = clause_text(document, "definitions")
            # round 12: classes exist, or joining can admit another class (Schedule 1's rule)
            classes = bool(classes_held - {"voting", "observer"}) or \
                loaded.answers.governance.vehicle in ("joint_committee", "committees_in_common")
            # round 14: a deed that incorporates the Agreement's definitions takes Member from
            # them and does not define it again
            own = kind != "accession_deed" or "“Member” means" in text
            assert ("whatever its class of membership" in text) == (classes and own), (name, kind)

    def test_observers_and_associates_are_both_covered(self) -> None:
        held = [{m.member_class for m in la.answers.members}
                for _, la in answer_sets(*ALL_KINDS, limit=15)]
        assert any("observer" in h for h in held) and any("associate" in h for h in held)
        assert any("associate" not in h for h in held)


# --------------------------------------------------------------------------- 8 the MOU's end, status and start


def mou_sets() -> list[tuple[str, LoadedAnswers]]:
    return answer_sets("mou", limit=30)


def replaced_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in mou_sets() if la.answers.mou_replaced]


def observer_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in mou_sets()
            if not la.answers.mou_is_binding
            and any(m.member_class == "observer" for m in la.answers.members)]


def mou_of(loaded: LoadedAnswers) -> Document:
    return next(doc for kind, doc in documents_of(loaded, "mou"))


class TestItem8TheMemorandumEndsWhenTheAgreementTakesEffectOrFails:
    """F1.1: the memorandum never ends on a bare long-stop date that the agreement's own
    long-stop procedure outlasts; it ends when the agreement ends or is abandoned under it."""

    @pytest.mark.parametrize("name,loaded", replaced_sets(), ids=ids_of)
    def test_the_end_cites_the_agreement_s_long_stop_clause(
            self, name: str, loaded: LoadedAnswers) -> None:
        mou = mou_of(loaded)
        agreement = next(doc for kind, doc in documents_of(loaded, "collaboration_agreement"))
        number = next(str(n) for n, c in enumerate(agreement.clauses, start=1)
                      if c.id == "conditions-precedent")
        term = clause_text(mou, "commencement-term")
        assert "continues in force until the earliest of: the end of the day before the Operative Date;" in term
        # round 11b (F1.2): the long-stop mechanism cited by the agreement's clause number
        # round 11c (F1.4): no abandonment the agreement does not provide for
        assert ("the date on which the Collaboration Agreement ends under clause "
                f"{number} (Conditions precedent) of the "
                "Collaboration Agreement because its conditions precedent are not met by the "
                "long-stop date that clause sets") in term, (name, term)
        assert "if the Operative Date has not come by then" not in term, name

    def test_cases_are_drafted(self) -> None:
        assert len(replaced_sets()) >= 2


class TestItem9AnObserverIsBoundOnlyByListedSubClauses:
    """E1.1, E1.2: the Observer's binding provisions are a subset of the binding list, named
    by sub-clause; attending and signing a variation are rights; section 9 once, no subsection."""

    @pytest.mark.parametrize("name,loaded", observer_sets(), ids=ids_of)
    def test_the_observer_list_is_a_subset_of_the_binding_list(
            self, name: str, loaded: LoadedAnswers) -> None:
        status = clause_text(mou_of(loaded), "status")
        listed = status[status.index("The following provisions are legally binding"):]
        listed = listed[:listed.index("(governing law).")]
        binding = set(re.findall(r"clause (\d+(?:\.\d+)?)", listed))
        start = status.index("the only ones that bind an Observer are")
        own = status[start:status.index(". ", status.index("(governing law)", start))]
        assert "this clause" not in own, (name, own)
        assert set(re.findall(r"clause (\d+(?:\.\d+)?)", own)) <= binding, (name, own, listed)
        rights = status[status.index("An Observer also has the right"):]
        rights = rights[:rights.index(". ") + 1]
        # that attending is a right, not an obligation, is said once, in the Steering Group clause
        assert "to attend the Steering Group" in rights and "obligation" not in rights, (
            name, rights)

    @pytest.mark.parametrize("name,loaded", mou_sets(), ids=ids_of)
    def test_section_nine_without_a_subsection_and_its_route_once(
            self, name: str, loaded: LoadedAnswers) -> None:
        mou = mou_of(loaded)
        text = " ".join(clause_text(mou, c) for c in OWN if any(x.id == c for x in mou.clauses))
        assert not re.search(r"section 9\(", text), name
        assert text.count("Secretary of State") <= 1, name

    def test_cases_are_drafted(self) -> None:
        assert observer_sets()


class TestItem10TheMemorandumStartsForEachPartyAndANoticeStartsEachStep:
    """E1.5, E1.9: a memorandum signed in counterparts takes effect for each party (an
    Observer too) on its own signature; a written notice starts each dispute step."""

    @pytest.mark.parametrize("name,loaded", mou_sets(), ids=ids_of)
    def test_counterparts_each_party_and_a_notice(self, name: str, loaded: LoadedAnswers) -> None:
        mou = mou_of(loaded)
        start = clause_text(mou, "commencement-term")
        start = start[:start.index(". ") + 1]
        assert "may be signed in any number of counterparts" in start, (name, start)
        assert "takes effect for each party" in start and "that party signs it" in start, (
            name, start)
        assert "for each Member" not in start, (name, start)
        steps = clause_text(mou, "dispute-resolution")
        assert re.search(r"may give the others concerned a written notice (under clause [\d.]+ )?"
                         r"that identifies the disagreement", " ".join(steps.split())), name
        assert re.search(r"each lasting no more than [^.;:]{1,40} days from that notice", steps), (
            name, steps[:600])


class TestItem11TheOperativeDateHasAMeaningInADataSharingAgreement:
    """A data sharing agreement that speaks of the Operative Date means the agreement's, as a
    memorandum does: never "this Agreement" nor a reference to a clause it does not have."""

    @pytest.mark.parametrize("name,loaded", answer_sets("data_sharing", limit=10), ids=ids_of)
    def test_the_definition_names_the_collaboration_agreement(
            self, name: str, loaded: LoadedAnswers) -> None:
        from drafting.build.assemble import _definition_template, document_context
        from drafting.read.conditions import render
        from drafting.read.library import load_library

        library = load_library()
        definer = library.definitions["Operative Date"]
        context = document_context(loaded.answers, "data_sharing", None, library.glossary.entries)
        meaning = " ".join(render(_definition_template(definer, "Operative Date"), context,
                                  file=str(definer.path)).text.split())
        assert meaning.startswith("the date on which the provisions of the [[Collaboration "
                                  "Agreement]] that are subject to its conditions precedent"), (
            name, meaning)
        assert "{ref:" not in meaning and "this [[Agreement]]" not in meaning, (name, meaning)
