"""The domain rules an answers file must keep (R1-R24 of `answers-spec.md`).

Each rule is a small function over a valid-shaped `Answers` that yields `Finding`s; `check`
runs them all so a file's every problem is reported at once. Messages say what is wrong and
how to put it right, for a company secretary rather than a programmer.

Rules of the brief that the answers cannot break are kept by the drafting itself: R18 (a
member never votes on its own expulsion) and R19 (the lead provider leaves only with the
commissioner's consent) are written into the voting and withdrawal clauses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from drafting.read.answers import COMPANY_KINDS, NHS_KINDS, Answers
from drafting.read.conditions import join_words, money
from drafting.read.yamlsource import PathKey

__all__ = ["Finding", "check", "RULES"]


@dataclass(frozen=True)
class Finding:
    rule: str
    path: PathKey
    message: str
    severity: Literal["error", "warning"] = "error"
    near: PathKey | None = None
    """Where to point when `path` itself is not in the file (a missing key): the answer that asks for it."""


Rule = Callable[[Answers], Iterator[Finding]]
RULES: list[tuple[str, Rule]] = []


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES.append((rule_id, fn))
        return fn

    return register


def check(answers: Answers) -> list[Finding]:
    """Run every rule; errors and warnings in rule order."""
    findings: list[Finding] = []
    for _, fn in RULES:
        findings.extend(fn(answers))
    return findings


def _member_index(a: Answers, member_id: str) -> int:
    return next(i for i, m in enumerate(a.members) if m.id == member_id)


CASTING_VOTES = ("chair_casting_vote", "lead_provider_casting_vote")

_KINDS = {
    "nhs_trust": "an NHS trust", "nhs_foundation_trust": "an NHS foundation trust",
    "independent_sector": "an independent-sector provider", "vcse": "a voluntary sector body",
    "local_authority": "a local authority", "icb": "an integrated care board",
    "nhs_england": "NHS England",
}
_DATA_NEEDS = {
    "controller_model": "a decision on who controls the data",
    "legal_gateway": "a legal basis for sharing confidential patient information",
    "dpia": "a data protection impact assessment",
}


def _kind(kind: str) -> str:
    """A kind of member in words ("an NHS trust")."""
    return _KINDS.get(kind, kind.replace("_", " "))


def _words(value: str) -> str:
    """An answer's value in words: ``shared_leadership`` -> "shared leadership"."""
    return value.replace("_", " ")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


# --------------------------------------------------------------------------- identity


@rule("ids")
def unique_ids(a: Answers) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, m in enumerate(a.members):
        if m.id in seen:
            yield Finding("ids", ("members", i, "id"),
                          f"{m.name} has the same short reference ('{m.id}') as "
                          f"{a.members[seen[m.id]].name}: give each member its own")
        else:
            seen[m.id] = i
    if a.lead_provider and a.lead_provider not in seen:
        yield Finding("ids", ("lead_provider",),
                      f"The lead provider '{a.lead_provider}' is not one of the members "
                      f"(their short references are {', '.join(seen)})")
    for key in (a.governance.weights or {}):
        if key not in seen:
            yield Finding("ids", ("governance", "weights", key),
                          f"There is a voting weight for '{key}', which is not one of the members "
                          f"(their short references are {', '.join(seen)})")


# --------------------------------------------------------------------------- R1-R9


@rule("R1")
def r1_members(a: Answers) -> Iterator[Finding]:
    if len(a.members) < 2:
        yield Finding("R1", ("members",), "A collaborative needs at least two members")
    if len(a.nhs_members) < 2:
        yield Finding("R1", ("members",),
                      f"A provider collaborative needs at least two NHS trusts or foundation trusts "
                      f"(there {'is' if len(a.nhs_members) == 1 else 'are'} {len(a.nhs_members)})")


@rule("R2")
def r2_lead_provider(a: Answers) -> Iterator[Finding]:
    if a.governance.model == "lead_provider":
        if not a.lead_provider:
            yield Finding("R2", ("lead_provider",),
                          "Select the lead provider: the lead-provider model needs one")
        elif a.lead and a.lead.kind not in NHS_KINDS:
            yield Finding("R2", ("lead_provider",),
                          f"The lead provider must be an NHS trust or foundation trust; "
                          f"{a.lead.name} is {_kind(a.lead.kind)}")
        if a.head_contract is None:
            yield Finding("R2", ("head_contract",),
                          "Give the head contract the lead provider holds with the commissioner: "
                          "the lead-provider model needs it")
    elif a.lead_provider:
        yield Finding("R2", ("lead_provider",),
                      f"A lead provider is only named under the lead-provider model (this "
                      f"collaborative has {_words(a.governance.model)}): remove it")


@rule("R3")
def r3_lead_powers(a: Answers) -> Iterator[Finding]:
    if a.governance.model == "lead_provider":
        return
    g = a.governance
    if g.lead_provider_veto != "none":
        yield Finding("R3", ("governance", "lead_provider_veto"),
                      "Only a lead provider can have a veto, and this collaborative has none: "
                      "choose no veto")
    if g.deadlock == "lead_provider_casting_vote":
        yield Finding("R3", ("governance", "deadlock"),
                      "A lead-provider casting vote needs the lead-provider model: choose another "
                      "way to break a deadlock")
    if g.chair == "lead_provider":
        yield Finding("R3", ("governance", "chair"),
                      "The lead provider can chair only under the lead-provider model: choose "
                      "another chair")
    lead_only = [
        (("finance", "model"), a.finance.model == "lead_holds_budget", "the lead holding the budget"),
        (("finance", "deficit"), a.finance.deficit == "lead_bears", "the lead bearing deficits"),
        (("finance", "surplus"), a.finance.surplus == "lead_retains", "the lead retaining surpluses"),
        (("ip", "foreground"), a.ip.foreground == "lead_owns", "the lead owning new IP"),
        (("governance", "managing_director"), g.managing_director == "employed_by_lead",
         "a managing director employed by the lead"),
        (("governance", "staffing"), g.staffing == "tupe_to_lead", "staff transferring to the lead"),
        (("clinical", "accountability"), a.clinical.accountability == "lead_framework",
         "the lead's clinical governance framework"),
        (("data", "controller_model"), a.data.controller_model == "lead_processor",
         "the lead processing data for the others"),
    ]
    for path, chosen, what in lead_only:
        if chosen:
            yield Finding("R3", path, f"{_sentence(what)} needs the lead-provider model; "
            f"the {_words(a.governance.model)} model has no lead provider")


@rule("R4")
def r4_casting_vote(a: Answers) -> Iterator[Finding]:
    g = a.governance
    if g.deadlock in CASTING_VOTES and g.voting in ("consensus", "unanimity"):
        yield Finding("R4", ("governance", "deadlock"),
                      f"A casting vote cannot break a deadlock when decisions need {g.voting}: "
                      "everyone must agree. Choose to refer the matter to the boards or to the "
                      "dispute procedure")


@rule("R5")
def r5_weights(a: Answers) -> Iterator[Finding]:
    g = a.governance
    if g.voting != "weighted":
        if g.weight_basis is not None:
            yield Finding("R5", ("governance", "weight_basis"),
                          "A basis for voting weights is only used with weighted voting: remove it")
        if g.weights is not None:
            yield Finding("R5", ("governance", "weights"),
                          "Voting weights are only used with weighted voting: remove them")
        return
    if g.weight_basis is None:
        yield Finding("R5", ("governance", "weight_basis"),
                      "Select how the voting weights are set: by contract value or a fixed table")
        return
    voters = {m.id for m in a.voting_members}
    if g.weight_basis == "contract_value":
        if g.weights is not None:
            yield Finding("R5", ("governance", "weights"),
                          "The weights come from contract values, so a table of weights is not used: "
                          "remove it, or set the weights by a fixed table")
        for i, m in enumerate(a.members):
            if m.id in voters and m.annual_contract_value is None:
                yield Finding("R5", ("members", i, "annual_contract_value"),
                              f"Enter the annual contract value of {m.name}: voting weights by "
                              "contract value need every voting member's")
        weights = a.effective_weights()
    else:
        weights = dict(g.weights or {})
        if not weights:
            yield Finding("R5", ("governance", "weights"),
                          "Enter a voting weight for every voting member")
            return
        for member_id in sorted(voters - weights.keys()):
            yield Finding("R5", ("governance", "weights"),
                          f"Enter the voting weight of {a.members_by_id[member_id].name}")
        for key, value in weights.items():
            if key in a.members_by_id and key not in voters:
                yield Finding("R5", ("governance", "weights", key),
                              f"{a.members_by_id[key].name} does not vote, so it cannot have a "
                              "voting weight")
            if value < 0:
                yield Finding("R5", ("governance", "weights", key),
                              f"A voting weight cannot be negative ({value:g})")
        total = sum(weights.values())
        if abs(total - 100) > 0.01:
            yield Finding("R5", ("governance", "weights"),
                          f"The weights add up to {total:g}. They must add up to 100")
    for key, value in weights.items():
        if value > 50:
            path: PathKey = ("governance", "weights", key) if g.weight_basis == "fixed" else (
                "members", _member_index(a, key), "annual_contract_value")
            yield Finding("R5", path,
                          f"{a.members_by_id[key].name} holds {value:g}% of the votes: it can "
                          "block any decision on its own and carry one with a single other vote "
                          "(the documents say so); make sure the members accept that",
                          severity="warning")


@rule("R6")
def r6_quorum(a: Answers) -> Iterator[Finding]:
    if a.governance.quorum == "majority_including_lead" and a.governance.model != "lead_provider":
        yield Finding("R6", ("governance", "quorum"),
                      "A quorum including the lead provider needs the lead-provider model: "
                      "choose another quorum")


@rule("R7")
def r7_joint_committee(a: Answers) -> Iterator[Finding]:
    if a.governance.vehicle != "joint_committee":
        return
    for i, m in enumerate(a.members):
        if m.kind in COMPANY_KINDS and m.member_class == "voting":
            yield Finding("R7", ("members", i, "class"),
                          f"{m.name} is {_kind(m.kind)}: a joint committee under section 65Z5 of "
                          "the NHS Act 2006 is for NHS and public bodies only, so it may take part "
                          "as an associate or observer, but not vote")


@rule("R8")
def r8_advisory(a: Answers) -> Iterator[Finding]:
    g = a.governance
    if g.vehicle != "advisory_group":
        return
    if g.lead_provider_veto != "none":
        yield Finding("R8", ("governance", "lead_provider_veto"),
                      "An advisory group decides nothing, so there is nothing to veto: choose no veto")
    if g.deadlock in CASTING_VOTES:
        yield Finding("R8", ("governance", "deadlock"),
                      "An advisory group takes no decisions, so it has no casting vote: refer "
                      "deadlocks to the members' boards")
    if g.reserved_matters:
        yield Finding("R8", ("governance", "reserved_matters"),
                      "An advisory group takes no decisions, so it has no reserved matters: "
                      "remove them")
    if g.delegated_matters:
        yield Finding("R8", ("governance", "delegated_matters"),
                      "An advisory group takes no decisions, so nothing is delegated to it: "
                      "remove the delegated matters")
    if g.delegation_limit is not None:
        yield Finding("R8", ("governance", "delegation_limit"),
                      "An advisory group takes no decisions, so it has no financial limit: "
                      "remove it")


@rule("R9")
def r9_delegation(a: Answers) -> Iterator[Finding]:
    """A warning, not a refusal: the boards are asked to approve the very terms of reference
    and agreement drafted here, so their approval cannot come first. Until it is given, the
    conditions precedent clause holds the delegated provisions back."""
    g = a.governance
    if g.vehicle in ("committees_in_common", "joint_committee") and not g.delegations_approved:
        name = g.vehicle.replace("_", " ")
        yield Finding("R9", ("governance", "delegations_approved"),
                      f"Each member's board must approve the delegation to the {name} and update "
                      "its scheme of delegation; until every board has, the documents make that "
                      "approval of the delegation a condition precedent. Answer yes once it is "
                      "given", severity="warning",
                      near=("governance", "vehicle"))


# --------------------------------------------------------------------------- R10-R17


@rule("R10")
def r10_percentages(a: Answers) -> Iterator[Finding]:
    g, f = a.governance, a.finance
    if "special_majority_percent" in g.model_fields_set and g.voting != "special_majority":
        yield Finding("R10", ("governance", "special_majority_percent"),
                      "A special majority percentage is only used with special-majority voting: "
                      "remove it")
    if g.voting == "special_majority" and g.special_majority_percent <= 50:
        yield Finding("R10", ("governance", "special_majority_percent"),
                      f"The special majority must be more than 50% (it is "
                      f"{g.special_majority_percent:g}%)")
    if f.surplus == "split":
        if f.surplus_reinvest_percent is None:
            yield Finding("R10", ("finance", "surplus_reinvest_percent"),
                          "Enter the share of a surplus that is reinvested (0 to 100%)")
    elif f.surplus_reinvest_percent is not None:
        yield Finding("R10", ("finance", "surplus_reinvest_percent"),
                          "A share reinvested is only used when a surplus is split: remove it")
    if f.deficit == "capped":
        if f.loss_cap_percent is None:
            yield Finding("R10", ("finance", "loss_cap_percent"),
                          "Enter the loss cap, as a percentage of each member's annual contract value")
    elif f.loss_cap_percent is not None:
        yield Finding("R10", ("finance", "loss_cap_percent"),
                          "A loss cap is only used when losses are capped: remove it")
    if f.liability != "several_with_cap" and f.liability_cap_multiple is not None:
        yield Finding("R10", ("finance", "liability_cap_multiple"),
                      "A liability cap is only used when liability is capped: remove it")
    fee = a.commissioning.management_fee
    if fee.kind == "percent":
        if fee.value is None or fee.value > 100:
            yield Finding("R10", ("commissioning", "management_fee", "value"),
                          "Enter the management fee as a percentage from 0 to 100")
    elif fee.kind == "fixed" and fee.value is None:
        yield Finding("R10", ("commissioning", "management_fee", "value"),
                      "Enter the management fee in pounds a year")
    elif fee.kind == "none" and fee.value is not None:
        yield Finding("R10", ("commissioning", "management_fee", "value"),
                      "There is no management fee, so remove its amount")


@rule("R11")
def r11_covenants(a: Answers) -> Iterator[Finding]:
    for i, m in enumerate(a.members):
        if m.banking_covenants and m.kind != "independent_sector":
            yield Finding("R11", ("members", i, "banking_covenants"),
                          f"Banking covenant protection is for independent-sector providers; "
                          f"{m.name} is {_kind(m.kind)}")


@rule("R12")
def r12_is_losses(a: Answers) -> Iterator[Finding]:
    if a.finance.deficit not in ("pro_rata", "equal"):
        return
    for i, m in enumerate(a.members):
        if m.kind == "independent_sector" and m.banking_covenants is None:
            yield Finding("R12", ("members", i, "banking_covenants"),
                          f"{m.name} would share losses without limit: cap losses, or confirm "
                          "that its lenders' banking covenants do not restrict it",
                          severity="warning")


@rule("R13")
def r13_mou(a: Answers) -> Iterator[Finding]:
    docs = set(a.documents)
    if a.mou_binding is not None and "mou" not in docs:
        yield Finding("R13", ("mou_binding",),
                      "Whether the memorandum of understanding binds is only asked when it is one "
                      "of the documents: remove the answer")
    if "mou" not in docs or a.mou_is_binding or "collaboration_agreement" in docs:
        return
    if a.finance.model in ("shared_control_total", "lead_holds_budget"):
        yield Finding("R13", ("finance", "model"),
                      "A non-binding MOU cannot carry a risk share: ask for a collaboration "
                      "agreement, make the MOU binding, or choose no pooling or running costs only")
    if a.finance.liability == "several_with_cap":
        yield Finding("R13", ("finance", "liability"),
                      "A non-binding MOU cannot cap liability: choose several liability without a cap")
    if a.ip.foreground == "lead_owns":
        yield Finding("R13", ("ip", "foreground"),
                      "A non-binding MOU cannot give new intellectual property to the lead provider: "
                      "choose joint ownership, or ownership by the member that creates it")


@rule("R14")
def r14_sub_contracts(a: Answers) -> Iterator[Finding]:
    if "sub_contracts" not in a.documents:
        return
    index = a.documents.index("sub_contracts")
    if a.governance.model != "lead_provider":
        yield Finding("R14", ("documents", index),
                      f"Sub-contracts are let by a lead provider, and the "
                      f"{_words(a.governance.model)} model has none. Remove the sub-contracts from "
                      "the documents, or use the lead-provider model")
    elif not a.partners:
        yield Finding("R14", ("documents", index),
                      "No member would get a sub-contract: partners are providers other than the "
                      "lead provider that are not observers", severity="warning")


@rule("R15")
def r15_separation(a: Answers) -> Iterator[Finding]:
    c = a.commissioning
    if c.lead_commissions and a.governance.model != "lead_provider":
        yield Finding("R15", ("commissioning", "lead_commissions"),
                      "Only a lead provider commissions: answer no")
    elif c.lead_commissions and not c.separation:
        yield Finding("R15", ("commissioning", "separation"),
                      "Select at least one way to keep the lead provider's commissioning apart "
                      "from its provider role")
    elif not c.lead_commissions and c.separation:
        yield Finding("R15", ("commissioning", "separation"),
                      "Keeping the roles apart is only asked when the lead provider commissions: "
                      "remove it")


@rule("R16")
def r16_competition(a: Answers) -> Iterator[Finding]:
    if not a.is_members:
        return
    names = ", ".join(m.name for m in a.is_members)
    if a.competition.information_barrier == "none":
        yield Finding("R16", ("competition", "information_barrier"),
                      f"An independent-sector member ({names}) is a competitor under the "
                      "Competition Act 1998: choose an information barrier (the commissioning hub "
                      "or a clean team)")
    if a.finance.open_book == "full":
        yield Finding("R16", ("finance", "open_book"),
                      f"Full open book would show an independent provider's ({names}) costs to its "
                      "competitors: send cost data only to the commissioning hub, or to no one")


@rule("R17")
def r17_data(a: Answers) -> Iterator[Finding]:
    d = a.data
    if d.kinds == "anonymised":
        return
    for key in ("controller_model", "legal_gateway", "dpia"):
        if getattr(d, key) is None:
            yield Finding("R17", ("data", key),
                          f"Sharing {d.kinds.replace('_', ' ')} data needs "
                          f"{_DATA_NEEDS[key]}: select it",
                          near=("data", "kinds"))


@rule("R17")
def r17_lead_processor(a: Answers) -> Iterator[Finding]:
    """A warning, not a refusal: a lead provider that holds the head contract decides why and
    how it uses the members' data for its own functions (commissioning, contract management,
    case management and placements, reporting to the commissioner), so it is a controller of
    that data, never only a processor. The documents follow the answer only in part (a
    processor for services the members list), and say so in a drafting note."""
    d = a.data
    if (a.governance.model != "lead_provider" or d.controller_model != "lead_processor"
            or d.kinds == "anonymised"):
        return
    functions = ["commissioning and contract management of the other members"
                 if a.commissioning.lead_commissions else "contract management",
                 "reporting to the commissioner under the head contract"]
    if d.kinds == "identifiable_commissioning":
        functions.insert(0, "case management and placements")
    yield Finding("R17", ("data", "controller_model"),
                  "The lead provider decides why and how it uses the shared data for its own "
                  f"functions ({join_words(functions)}), so it is a controller of that data, "
                  "not a processor: the documents make it a controller for those functions and "
                  "a processor only for services the members list in the data sharing schedule. "
                  "Choose independent controllers unless the lead provider only ever acts on "
                  "the members' instructions", severity="warning")


# --------------------------------------------------------------------------- R20-R22


@rule("R20")
def r20_psr(a: Answers) -> Iterator[Finding]:
    h = a.head_contract
    if h and h.provider_selection_route == "direct_award_c" and h.considerable_change:
        yield Finding("R20", ("head_contract", "considerable_change"),
                      "Direct award C is not open for a considerable change under the Provider "
                      "Selection Regime: use the most suitable provider process or a competitive one")


@rule("R21")
def r21_disputes(a: Answers) -> Iterator[Finding]:
    d = a.disputes
    if "mediation" in d.tiers and not d.mediator:
        yield Finding("R21", ("disputes", "mediator"),
                      "Mediation is one of the dispute steps: name the mediator or appointing body "
                      "(for example CEDR)",
                          near=("disputes", "tiers"))
    if "icb_facilitation" in d.tiers and not d.facilitating_body:
        yield Finding("R21", ("disputes", "facilitating_body"),
                      "ICB facilitation is one of the dispute steps: name the facilitating body",
                          near=("disputes", "tiers"))
    if len(set(d.tiers)) != len(d.tiers):
        yield Finding("R21", ("disputes", "tiers"), "Each dispute step may appear only once")
    if "courts" in d.tiers and d.tiers[-1] != "courts":
        yield Finding("R21", ("disputes", "tiers"), "The courts must be the last dispute step")


@rule("R22")
def r22_dates(a: Answers) -> Iterator[Finding]:
    c, h = a.collaborative, a.head_contract
    if c.term.kind == "fixed_years" and c.term.years is None:
        yield Finding("R22", ("collaborative", "term", "years"),
                      "Enter the number of years: a fixed term needs it")
    if c.term.kind != "fixed_years" and c.term.years is not None:
        yield Finding("R22", ("collaborative", "term", "years"),
                      "A number of years is only used with a fixed term: remove it")
    if c.term.kind == "head_contract" and h is None:
        yield Finding("R22", ("collaborative", "term", "kind"),
                      "A term tied to the head contract needs the head contract's details")
    if h is None:
        return
    if h.start >= h.end:
        yield Finding("R22", ("head_contract", "end"),
                      f"The head contract must end after it starts ({_day(h.start)} to {_day(h.end)})")
    if c.commencement_date >= h.end:
        yield Finding("R22", ("collaborative", "commencement_date"),
                      f"The agreement must start before the head contract ends on {_day(h.end)}")


# --------------------------------------------------------------------------- R23


MAX_PAYMENT_DAYS = 30
"""The longest a lead provider may take to pay a partner's valid invoice."""


def _why_no_sub_contract(a: Answers, member_id: str) -> str:
    m = a.members_by_id[member_id]
    if member_id == a.lead_provider:
        return (f"{m.name} is the lead provider: it holds the head contract and has no "
                "sub-contract with itself")
    if m.member_class == "observer":
        return f"{m.name} is an observer: it provides nothing and has no sub-contract"
    return f"{m.name} is {_kind(m.kind)}, which the lead provider does not sub-contract"


@rule("R23")
def r23_sub_contract_terms(a: Answers) -> Iterator[Finding]:
    """Each partner's sub-contract says what it provides, for what price, from when."""
    terms = a.sub_contract_terms
    if "sub_contracts" not in a.documents:
        if terms:
            yield Finding("R23", ("sub_contract_terms",),
                          "Sub-contract terms are only used when the documents include the "
                          "sub-contracts: remove them")
        return
    h = a.head_contract
    if a.governance.model != "lead_provider" or a.lead is None or h is None \
            or a.lead.kind not in NHS_KINDS:
        return  # R2 and R14 say what is wrong
    partners = {m.id for m in a.partners}
    for i, m in enumerate(a.members):
        if m.id in partners and m.id not in terms:
            yield Finding("R23", ("sub_contract_terms", m.id),
                          f"Describe what {m.name} provides under its sub-contract: its services "
                          "(and how much of each), how it is paid and its key performance "
                          "indicators", near=None if terms else ("members", i, "id"))
    promised = a.commissioning.partner_payment_days
    waiting = [a.members_by_id[p] for p in sorted(partners, key=lambda p: _member_index(a, p))
               if p in terms and terms[p].payment_days is None]
    if waiting and promised > MAX_PAYMENT_DAYS:
        names = join_words([m.name for m in waiting])
        yield Finding("R23", ("commissioning", "partner_payment_days"),
                      f"{names} would wait {promised} days to be paid: a partner's valid "
                      f"invoice must be paid within {MAX_PAYMENT_DAYS} days, so choose "
                      f"{MAX_PAYMENT_DAYS} or fewer")
    known = ", ".join(sorted(partners)) or "none"
    for member_id, entry in terms.items():
        where: tuple[str, ...] = ("sub_contract_terms", member_id)
        if member_id not in a.members_by_id:
            yield Finding("R23", where,
                          f"There are sub-contract terms for '{member_id}', which is not one of "
                          f"the members (the partners' short references are {known})")
            continue
        if member_id not in partners:
            yield Finding("R23", where,
                          f"{_why_no_sub_contract(a, member_id)}: remove its sub-contract terms")
            continue
        m = a.members_by_id[member_id]
        if not entry.services:
            yield Finding("R23", (*where, "services"),
                          f"Name at least one service that {m.name} provides under its "
                          "sub-contract, with how much of it")
        start = entry.service_commencement  # the default is R22's to check
        end = a.sub_contract_end or h.end
        if start is not None and not h.start <= start <= h.end:
            yield Finding("R23", (*where, "service_commencement"),
                          f"{m.name} would start its services on {_day(start)}, outside the "
                          f"head contract's term ({_day(h.start)} to {_day(h.end)}): a service "
                          "can be sub-contracted only while the head contract runs")
        elif start is not None and start > end:
            yield Finding("R23", (*where, "service_commencement"),
                          f"{m.name} would start its services on {_day(start)}, after its "
                          f"sub-contract ends on {_day(end)}")
        if entry.payment_days is not None and entry.payment_days > MAX_PAYMENT_DAYS:
            yield Finding("R23", (*where, "payment_days"),
                          f"{m.name} would wait {entry.payment_days} days to be paid: a "
                          f"partner's valid invoice must be paid within {MAX_PAYMENT_DAYS} days, "
                          f"so choose {MAX_PAYMENT_DAYS} or fewer")
        elif entry.payment_days is not None and entry.payment_days != promised:
            yield Finding("R23", (*where, "payment_days"),
                          f"{m.name} is to be paid within {entry.payment_days} days under its "
                          f"sub-contract, but the lead provider pays partners within {promised} "
                          "days: make them the same, or leave out the sub-contract's own days",
                          severity="warning")
        prices = [s.annual_price for s in entry.services if s.annual_price is not None]
        value = m.annual_contract_value
        if value is not None and prices and sum(prices) > value:
            yield Finding("R23", (*where, "services"),
                          f"The annual prices of the services of {m.name} add up to "
                          f"{money(sum(prices))}, more than its annual contract value of "
                          f"{money(value)}: check the prices, or the contract value",
                          severity="warning")


# --------------------------------------------------------------------------- R24


@rule("R24")
def r24_mou_date(a: Answers) -> Iterator[Finding]:
    """An MOU followed by a collaboration agreement has its own start date, before the
    agreement's, and ends when the agreement takes effect; an MOU alone starts on the
    commencement date, so its own date would be a second answer to the same question.

    A missing date is a warning, not a refusal: the MOU then shows a marked blank (never the
    agreement's date), so a file from a questionnaire that does not yet ask for it drafts."""
    start = a.collaborative.commencement_date
    if a.mou_replaced:
        if a.mou_commencement_date is None:  # drafted as a marked blank, so a warning
            yield Finding("R24", ("mou_commencement_date",),
                          "The MOU is followed by a collaboration agreement that replaces it on "
                          f"{_day(start)}: give the date the MOU starts, before then; until it "
                          "is given the MOU shows a blank for it", severity="warning",
                          near=("documents",))
        elif a.mou_commencement_date >= start:
            yield Finding("R24", ("mou_commencement_date",),
                          "The MOU must start before the collaboration agreement that replaces "
                          f"it takes effect on {_day(start)}; it starts on "
                          f"{_day(a.mou_commencement_date)}")
    elif a.mou_commencement_date is not None:
        yield Finding("R24", ("mou_commencement_date",),
                      "The MOU's own start date is only used when the documents include both an "
                      "MOU and a collaboration agreement; "
                      + ("an MOU alone starts on the commencement date" if "mou" in a.documents
                         else "there is no MOU") + ": remove it")


@rule("only-with")
def only_with(a: Answers) -> Iterator[Finding]:
    g = a.governance
    if g.vehicle not in ("committees_in_common", "joint_committee"):
        for key in ("committee_members", "non_executive_member"):
            if key in g.model_fields_set:
                yield Finding("only-with", ("governance", key),
                              "The members of each committee are only set with committees in "
                              f"common or a joint committee (this collaborative has "
                              f"{_words(g.vehicle)}): remove it")
    if g.chair == "rotating" and g.chair_rotation_months is None:
        yield Finding("only-with", ("governance", "chair_rotation_months"),
                      "Enter every how many months the chair rotates (for example 12)")
    if g.chair != "rotating" and g.chair_rotation_months is not None:
        yield Finding("only-with", ("governance", "chair_rotation_months"),
                      "Months between rotations are only used with a rotating chair: remove them")
    if "sub_contracts" not in a.documents and a.governance.model != "lead_provider" and a.head_contract:
        yield Finding("only-with", ("head_contract",),
                      "The head contract is only used with a lead provider or sub-contracts: remove it")
    for i, m in enumerate(a.members):
        if m.company_number and m.kind not in COMPANY_KINDS:
            yield Finding("only-with", ("members", i, "company_number"),
                          f"Company numbers are for companies; {m.name} is {_kind(m.kind)}",
                          severity="warning")


@rule("shares")
def pro_rata_shares(a: Answers) -> Iterator[Finding]:
    """A share in proportion to contract value needs every sharing member's contract value.

    Without it the member would silently take a nil share of the costs, surplus or deficit
    (and the others more), which no one agreed to.
    """
    f = a.finance
    uses: list[tuple[str, list[int]]] = []
    inside = {m.id for m in a.risk_sharers}
    sharing = [i for i, m in enumerate(a.members) if m.id in inside]
    if f.model != "no_pooling" and f.running_cost_split == "pro_rata":
        uses.append(("the running costs", [i for i, m in enumerate(a.members)
                                           if m.member_class != "observer"]))
    if f.model in ("shared_control_total", "lead_holds_budget"):
        if f.surplus in ("distribute_pro_rata", "split"):
            uses.append(("a surplus", sharing))
        if f.deficit in ("pro_rata", "capped"):
            uses.append(("a deficit", [i for i in sharing if not a.members[i].banking_covenants]))
    reported: set[int] = set()
    for what, indexes in uses:
        for i in indexes:
            m = a.members[i]
            if m.annual_contract_value is None and i not in reported:
                reported.add(i)
                yield Finding("shares", ("members", i, "annual_contract_value"),
                              f"Enter the annual contract value of {m.name}: its share of "
                              f"{what} is in proportion to contract value, so without it "
                              "its share would be nil", near=("members", i))
