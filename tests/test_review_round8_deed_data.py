"""A healthcare partner's eighth review of the accession deed and the data terms, as rules over
many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
accession deed, or the data sharing agreement, collaboration agreement and sub-contracts, of the
bundled examples, the scenario answer sets and generated collaboratives (as `drafting lint`
drafts them), and reads the text a lawyer would read. The ids are the review's.
"""

from __future__ import annotations

import re

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, changed, clause_text
from tests.test_review_round6_data import ALL, every_document, files, generated
from tests.test_review_round7_deed import deeds


# --------------------------------------------------------------------------- A3.1 inputs


class TestA31TheDeedCollectsEveryInputOfTheRecalculation:
    def test_value_cap_and_floor_blanks_and_recalculation_from_the_accession_date(self) -> None:
        seen = {"value": 0, "cap": 0, "floor": 0, "weighted": 0}
        for label, loaded, doc in deeds():
            a = loaded.answers
            text = clause_text(doc, "ad-accession")
            # round 11 (ad-accession v10): the value is the figure approved in the admission
            # decision, not one the Lead Provider confirms later
            # round 12: where the lead commissions, the value is the one it has awarded
            # round 24: the sub-contract is named by the date of its award
            awarded = "the annual value of the sub-contract that the Lead Provider awarded it" \
                in text
            value = awarded or "on the one basis the Agreement uses for every Member, as " \
                "approved in the decision that admitted it" in text
            if value and not awarded:
                lead = a.governance.model == "lead_provider"
                # round 10b: one basis for every Member (finance v11); never its
                # commissioners' contracts
                assert "the annual value of the services it provides or arranges within the " \
                    "Services, on the one basis the Agreement uses for every Member" in text, \
                    label  # round 10b
                assert re.search(r"as approved in the decision that admitted it"
                                 r"( \(the sub-contract the Lead Provider awards it states the "
                                 r"same value\))?: \[£●\]", text), label  # round 11
                # round 11: a lead-provider joiner's sub-contract states the same value
                assert ("the sub-contract the Lead Provider awards it states the same value"
                        in text) == lead, label  # round 11
                assert "contracts with its commissioners" not in text, label  # round 10b
            weighted = a.governance.voting == "weighted" and \
                a.governance.weight_basis == "contract_value"
            if weighted or (a.finance.model != "no_pooling"
                            and a.finance.running_cost_split == "pro_rata") \
                    or a.finance.liability == "several_with_cap":
                assert value, label
            covenants = bool(a.covenant_members)
            # round 10b: the covenant cap is named and becomes the joiner's row in the
            # agreement's financial framework schedule
            # round 10b; round 13: the defined term; round 24: and to any Observer
            cap = bool(re.search(r"if it is a Covenant Member, its covenant cap \(the limit of its "
                                 r"total liability to the other Members( and to any Observer)? in "
                                 r"each Contract Year", text))
            floor = "the floor of its fixed yearly contribution to the Running Costs" in text  # round 13c: the defined term
            assert cap == (covenants and a.finance.liability != "several_with_cap"), label
            assert floor == (covenants and a.finance.model != "no_pooling"), label
            if value or cap or floor:
                # round 12: each recalculation cites one sub-clause of the agreement
                assert re.search(r"are recalculated from the Accession Date(, using the figures "
                                 r"in clause 2\.\d+\.| as (clause [\d.]+ of )?the Agreement "
                                 r"provides, using the figures in clause 2\.)", text) or \
                    re.search(r"shares of the Members are recalculated, using the figures in "
                              r"clause 2\.\d+, and apply from the start of the next Contract "
                              r"Year\.", text), label
                # round 13c: the defined term "Contract Year"
                # round 24: where the agreement's first-year rule applies, the shares apply
                # from the next Contract Year and the joiner's full-year share is apportioned
                assert "For the Contract Year in which it joins, the New Member's share runs " \
                    "from the Accession Date" in text or "For the Contract Year in which it " \
                    "joins, the New Member's share is its share for a full Contract Year, " \
                    "apportioned to the days from the Accession Date" in text, label
            if a.governance.voting == "weighted":
                assert "The voting weights of the Voting Members are recalculated from the " \
                    "Accession Date" in text, label  # round 12
                seen["weighted"] += 1
            # said once: the joining clause no longer restates the recalculation
            assert "recalculated" not in clause_text(doc, "joining"), label
            seen["value"] += value
            seen["cap"] += cap
            seen["floor"] += floor
        assert all(n >= 1 for n in seen.values()), seen


# --------------------------------------------------------------------------- A3.2 minimum term


class TestA32TheMinimumTermSentenceIsConditional:
    def test_only_if_the_accession_date_is_before_the_end(self) -> None:
        checked = 0
        for label, loaded, doc in deeds():
            a = loaded.answers
            text = clause_text(doc, "ad-accession") + " " + clause_text(doc, "joining")
            assert "ends for it on the same day" not in text, label
            if a.membership.minimum_term_years > 0:
                end = f"{a.minimum_term_end.day} {a.minimum_term_end:%B %Y}"
                assert f"If the Accession Date is before {end}, the minimum term of membership " \
                    "under the Agreement applies to the New Member" in text, label
                assert text.count("minimum term of membership") == 1, label
                checked += 1
            else:
                assert "minimum term" not in text, label
        assert checked >= 3


# --------------------------------------------------------------------------- A3.3 general clause


class TestA33BoilerplateInItsOwnGeneralClauseEachRuleOnce:
    def test_law_disputes_third_parties_counterparts_once(self) -> None:
        for label, loaded, doc in deeds():
            titles = [c.title for c in doc.clauses]
            assert "General" in titles, label
            assert titles.index("General") == len(titles) - 2, (label, titles)  # before execution
            general = clause_text(doc, "ad-general")
            undertakings = clause_text(doc, "ad-covenants")
            for rule in ("governed by the law of England and Wales",
                         "Contracts (Rights of Third Parties) Act 1999", "counterparts",
                         "section 9 of the NHS Act"):
                assert rule in general, (label, rule)
                assert rule not in undertakings, (label, rule)
            whole = " ".join(clause_text(doc, c.id) for c in doc.clauses)
            # round 14 (execution v12): the deed takes effect on the date on its cover
            assert whole.count("delivered and takes effect on the date written on its cover") \
                == 1, label
            assert whole.count("counterparts") == 1, label
            # round 11b: the list is the deed's own schedule, cited
            assert whole.count("Commercially Sensitive Information, if it has one, is set out in") \
                + whole.count("attaches to this deed any list") == 1, label
            assert "by an attorney appointed by deed" not in clause_text(doc, "joining"), label


# --------------------------------------------------------------------------- B3.1 direct care


def lead_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [(n, la) for n, la in files(ALL) + generated()
            if la.answers.governance.model == "lead_provider"]
    s251 = {"kinds": "identifiable_commissioning", "controller_model": "independent",
            "legal_gateway": "s251", "dpia": "before_go_live"}
    sets.append(("lead-provider-dominant-s251", changed(DOMINANT, data=s251)))
    return sets


class TestB31LeadGatekeepingIsIndividualCare:
    def test_gatekeeping_case_management_and_placement_are_direct_care(self) -> None:
        checked = {"data_sharing": 0, "other": 0, "s251": 0}
        for label, loaded, doc in every_document(lead_sets()):
            a = loaded.answers
            if a.data.kinds == "identifiable_direct_care":
                continue
            protection = clause_text(doc, "data-protection")
            if protection and "Nothing in" in protection:
                assert "gatekeeping of admissions, its case management and its placement of a " \
                    in protection, label
                # round 12 (B1.1, B1.4): where the data sharing agreement lists the lead's
                # gatekeeping flow, the clause points to it; otherwise it is direct care
                hubflow = a.commissioning.lead_commissions and a.data.kinds != "anonymised" \
                    and "data_sharing" in a.documents
                assert ("systematic flow of clause" in protection
                        or '"Gatekeeping of admissions, case management and placement '
                        '(individual care)" in the flow table' in protection) if hubflow else \
                    "individual care (direct care) so far as they concern that" in protection \
                    or "individual care so far as they concern that" in protection, label
                checked["other"] += 1
            if doc.kind == "data_sharing":
                purpose = clause_text(doc, "dsa-purpose-data")
                head = purpose.split("Shared Data is")[0]
                # round 11c (B3.1): where the lead commissions through its hub, its gatekeeping
                # and case management are a direct-care purpose and flow of the agreement
                hub = a.commissioning.lead_commissions and a.data.kinds != "anonymised"
                if hub:
                    assert "through its commissioning hub, for the individual care of each " \
                        "patient concerned" in head, label
                else:
                    assert "gatekeeping" not in head.split("individual care (")[0], label
                # said once, in the data protection clause, and cited (round 9, B3.4)
                # "that person" where social care is shared (round 9b, D3.5)
                person = "person" if any(m.kind in ("local_authority", "vcse")
                                         for m in a.members) else "patient"
                if not hub:
                    # round 12 (B2.1): only a one-off disclosure that no flow lists
                    assert "(including the Lead Provider's gatekeeping of admissions, case " \
                        f"management and placement of that {person}) that no flow of " \
                        "Schedule 1 lists is made under clause" in purpose
                # round 12 (B1.1): the gatekeeping flow has one home, the agreement's flow
                # table, and never skips its conditions
                assert "do not wait for any support or condition" not in protection, label
                if hub:
                    assert "they are the systematic flow of clause" in protection, label
                checked["data_sharing"] += 1
                if a.data.legal_gateway == "s251":
                    gateway = protection.split("Each party must also meet")[-1]
                    assert "for purposes other than individual care only with the support " \
                        "given under section 251" in gateway, label
                    checked["s251"] += 1
        assert all(n >= 1 for n in checked.values()), checked
