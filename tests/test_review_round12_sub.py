"""Round 12 partner review of the sub-contract (report 2-B, document 1).

Each test drafts every sub-contract of the answer sets (scenarios, examples, generated and
changed sets, through `every_sub_contract`) and asserts the rule the partner asked for.
"""

from __future__ import annotations

import re
from collections import defaultdict

from drafting.model import Document, Paragraph, plain
from tests.test_partner_review import clause_text
from tests.test_review_round6_sc import every_sub_contract, schedule_text

LIABILITY_CLAUSES = ("banking-covenants", "liability-insurance")


def sub_clauses(document: Document, clause_ids: tuple[str, ...] | None = None
                ) -> list[tuple[str, str]]:
    """(clause id and block index, words) of each paragraph of the named clauses (or all)."""
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    return [(f"{c.id}#{i}", " ".join(plain(b.inlines, document.targets, schedules).split()))
            for c in document.clauses if clause_ids is None or c.id in clause_ids
            for i, b in enumerate(c.blocks) if isinstance(b, Paragraph)]


def words(sentence: str) -> list[str]:
    return re.findall(r"[\w'£●\[\]-]+", sentence.lower())


# ------------------------------------------------------------ B1.2 / B1.9 liability stated once


def test_b1_2_no_sentence_of_fifteen_words_appears_twice_in_a_sub_contract() -> None:
    """A rule is written once: no sentence of 15 words or more appears twice in a sub-contract,
    and the covenant and liability clauses share no run of 15 words (the carve-out and the cap
    used to be restated nearly word for word)."""
    checked = 0
    for label, _loaded, _partner, document in every_sub_contract():
        seen: dict[str, str] = {}
        for where, text in sub_clauses(document):
            for sentence in re.split(r"(?<=[.;])\s+", text):
                key = " ".join(words(sentence))
                if len(key.split()) >= 15:
                    assert key not in seen, (label, where, seen.get(key), sentence)
                    seen[key] = where
        runs: dict[str, set[str]] = defaultdict(set)
        for where, text in sub_clauses(document, LIABILITY_CLAUSES):
            for sentence in re.split(r"(?<=[.;:])\s+", text):
                w = words(sentence)
                for i in range(len(w) - 14):
                    runs[" ".join(w[i:i + 15])].add(where)
        repeated = {run: places for run, places in runs.items()
                    if len({place.split("#")[0] for place in places}) > 1}
        assert not repeated, (label, next(iter(repeated.items())))
        checked += 1
    assert checked >= 15


def test_b1_2_own_breach_carve_out_and_insured_rule_each_stated_once() -> None:
    """The covenant clause states the own-breach carve-out, the liability clause the cap and
    that insured liability sits outside it; the other sub-clauses cite them. The cap is set out
    in lettered paragraphs, and the note says that only the partner is capped."""
    checked = 0
    for label, loaded, _partner, document in every_sub_contract():
        paragraphs = sub_clauses(document, LIABILITY_CLAUSES)
        carve = [w for w, t in paragraphs
                 if re.search(r"only to the extent that [^.]{0,80}own (breach|failure)", t)]
        insured = [w for w, t in paragraphs if "indemnity scheme does not meet" in t]
        assert len(carve) <= 1, (label, carve)
        assert len(insured) <= 1, (label, insured)
        if "liability-insurance.covenant-cap" not in document.targets:
            continue
        # round 13: the carve-out is stated once, in the covenant cap of the liability clause
        assert carve and carve[0].startswith("liability-insurance"), (label, carve)
        assert insured and insured[0].startswith("liability-insurance"), (label, insured)
        cap = next(c for c in document.clauses if c.id == "liability-insurance")
        lettered = [t for _w, t in paragraphs if t.startswith("counts towards the limit only")]
        assert len(lettered) == 1, label
        if loaded.answers.finance.liability != "several_with_cap":
            assert "Only the partner is capped" in (cap.note or ""), label
        checked += 1
    assert checked >= 1


# --------------------------------------------------------------------- B1.3 mutual aid and PSR


def test_b1_3_mutual_aid_is_subject_to_the_provider_selection_regime() -> None:
    """Mutual aid never states as fact that it needs no Provider Selection Regime decision: it
    is given so far as the regime permits (the urgency exemption) and recorded as it requires."""
    checked = 0
    for label, _loaded, _partner, document in every_sub_contract():
        text = clause_text(document, "force-majeure")
        if "mutual aid" not in text:
            continue
        assert "Provider Selection Regime decision" not in text, label
        assert re.search(r"so far as the (PSR Regulations|Health Care Services \(Provider "
                         r"Selection Regime\) Regulations 2023) permit \(including the urgency "
                         r"exemption\), recorded as they require", text), label
        checked += 1
    assert checked >= 15


# ------------------------------------------------------------- B1.6 Part C names every route


def test_b1_6_part_c_price_change_names_every_route_of_the_operative_clauses() -> None:
    """Schedule 3 Part C says how prices change, naming every clause that changes them (the
    flow-down of a head-contract change, the activity plan, a variation) by its number."""
    checked = 0
    for label, _loaded, _partner, document in every_sub_contract():
        text = schedule_text(document, "sc-payment")
        if "Part C" not in text or "exclusive of VAT" not in text:
            continue
        sentence = re.split(r"\.(?!\d)", text.split("exclusive of VAT.", 1)[1], maxsplit=1)[0]
        assert "in no other way except by a variation" not in text, label
        for target in ("flow-down.variations", "sc-services.activity", "variation"):
            if target in document.targets:
                assert f"clause {document.targets[target].number}" in sentence, (label, target)
        checked += 1
    assert checked >= 15


# ------------------------------------------------------------ B1.8 two-party complaint tie-break


def test_b1_8_a_two_party_complaint_tie_is_broken_between_the_parties() -> None:
    """In a sub-contract the party that first received a joint complaint leads when the care
    was shared equally; no one outside the two parties (the Chair, a hub) decides."""
    checked = 0
    for label, _loaded, _partner, document in every_sub_contract():
        text = clause_text(document, "complaints")
        if "which of them leads" not in text:
            continue
        assert "the party that first received the complaint leads" in text, label
        assert "Chair" not in text and "Commissioning Hub" not in text, label
        checked += 1
    assert checked >= 15


# ------------------------------------------------------ B1.10 foreground IP of an IS partner


def test_b1_10_is_partner_assigns_only_work_for_the_collaborative() -> None:
    """Where an independent-sector partner assigns Foreground IP to the lead, Foreground IP is
    work done for the Collaborative, and the partner's own service-delivery materials stay
    with it; other sub-contracts keep the wider definition."""
    checked = 0
    for label, _loaded, _partner, document in every_sub_contract():
        definitions = clause_text(document, "definitions")
        if "Foreground IP” means" not in definitions and '"Foreground IP" means' not in definitions:
            continue
        definition = re.split(r"[“\"]Foreground IP[”\"] means", definitions)[1][:700]
        assigns = "The Sub-Contractor assigns to the Lead Provider" in clause_text(document,
                                                                                 "ip-ownership")
        independent = "Sub-Contractor created only for the work of the Collaborative" in \
            clause_text(document, "ip-ownership")
        if assigns and independent:
            assert "performance of this Sub-Contract" not in definition, label
            assert "only to deliver its own services" in definition, label
            # round 12: the service-materials sub-clause is worded for every Member and partner
            assert "creates only to deliver its own services are not Foreground IP" in \
                clause_text(document, "ip-ownership"), label
            checked += 1
    assert checked >= 1
