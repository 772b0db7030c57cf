"""The domain rules an answers file must keep (R1-R23 of `answers-spec.md`).

Each rule is a small function over a valid-shaped `Answers` that yields `Finding`s; `check`
runs them all so a file's every problem is reported at once. Messages say what is wrong and
how to put it right, for a company secretary rather than a programmer.

Rules of the brief that the answers cannot break are kept by the drafting itself: R18 (a
member never votes on its own expulsion) and R19 (the lead provider leaves only with the
commissioner's consent) are written into the voting and withdrawal clauses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from drafting.read.answers import COMPANY_KINDS, NHS_KINDS, Answers
from drafting.read.conditions import date, join_words, money
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


# --------------------------------------------------------------------------- identity


@rule("ids")
def unique_ids(a: Answers) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, m in enumerate(a.members):
        if m.id in seen:
            yield Finding("ids", ("members", i, "id"),
                          f"member id '{m.id}' is already used by members[{seen[m.id]}]; "
                          "give each member its own id")
        else:
            seen[m.id] = i
    if a.lead_provider and a.lead_provider not in seen:
        yield Finding("ids", ("lead_provider",),
                      f"'{a.lead_provider}' is not the id of any member "
                      f"(members are: {', '.join(seen)})")
    for key in (a.governance.weights or {}):
        if key not in seen:
            yield Finding("ids", ("governance", "weights", key),
                          f"'{key}' is not the id of any member (members are: {', '.join(seen)})")


# --------------------------------------------------------------------------- R1-R9


@rule("R1")
def r1_members(a: Answers) -> Iterator[Finding]:
    if len(a.members) < 2:
        yield Finding("R1", ("members",), "a collaborative needs at least two members")
    if len(a.nhs_members) < 2:
        yield Finding("R1", ("members",),
                      f"a provider collaborative needs at least two NHS trusts or foundation trusts "
                      f"(this file has {len(a.nhs_members)})")


@rule("R2")
def r2_lead_provider(a: Answers) -> Iterator[Finding]:
    if a.governance.model == "lead_provider":
        if not a.lead_provider:
            yield Finding("R2", ("lead_provider",),
                          "the lead-provider model needs 'lead_provider' set to the id of the lead member")
        elif a.lead and a.lead.kind not in NHS_KINDS:
            yield Finding("R2", ("lead_provider",),
                          f"the lead provider must be an NHS trust or foundation trust; "
                          f"'{a.lead.id}' is {a.lead.kind}")
        if a.head_contract is None:
            yield Finding("R2", ("head_contract",),
                          "the lead-provider model needs the 'head_contract' the lead holds with the commissioner")
    elif a.lead_provider:
        yield Finding("R2", ("lead_provider",),
                      f"'lead_provider' is only used with governance.model: lead_provider "
                      f"(this file has {a.governance.model}); remove it")


@rule("R3")
def r3_lead_powers(a: Answers) -> Iterator[Finding]:
    if a.governance.model == "lead_provider":
        return
    g = a.governance
    if g.lead_provider_veto != "none":
        yield Finding("R3", ("governance", "lead_provider_veto"),
                      "a lead-provider veto needs governance.model: lead_provider; set it to none")
    if g.deadlock == "lead_provider_casting_vote":
        yield Finding("R3", ("governance", "deadlock"),
                      "a lead-provider casting vote needs governance.model: lead_provider")
    if g.chair == "lead_provider":
        yield Finding("R3", ("governance", "chair"),
                      "the lead provider can only chair with governance.model: lead_provider")
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
            yield Finding("R3", path, f"{what} needs governance.model: lead_provider; "
                          f"with {a.governance.model} there is no lead provider")


@rule("R4")
def r4_casting_vote(a: Answers) -> Iterator[Finding]:
    g = a.governance
    if g.deadlock in CASTING_VOTES and g.voting in ("consensus", "unanimity"):
        yield Finding("R4", ("governance", "deadlock"),
                      f"a casting vote cannot break a deadlock under {g.voting}: everyone must "
                      "agree; choose refer_to_boards or dispute_procedure")


@rule("R5")
def r5_weights(a: Answers) -> Iterator[Finding]:
    g = a.governance
    if g.voting != "weighted":
        if g.weight_basis is not None:
            yield Finding("R5", ("governance", "weight_basis"),
                          "'weight_basis' is only used with voting: weighted; remove it")
        if g.weights is not None:
            yield Finding("R5", ("governance", "weights"),
                          "'weights' are only used with voting: weighted; remove them")
        return
    if g.weight_basis is None:
        yield Finding("R5", ("governance", "weight_basis"),
                      "weighted voting needs a weight_basis: contract_value or fixed")
        return
    voters = {m.id for m in a.voting_members}
    if g.weight_basis == "contract_value":
        if g.weights is not None:
            yield Finding("R5", ("governance", "weights"),
                          "weights come from contract values with weight_basis: contract_value; "
                          "remove the table or use weight_basis: fixed")
        for i, m in enumerate(a.members):
            if m.id in voters and m.annual_contract_value is None:
                yield Finding("R5", ("members", i, "annual_contract_value"),
                              f"weighted voting by contract value needs the annual contract value "
                              f"of every voting member; '{m.id}' has none")
        weights = a.effective_weights()
    else:
        weights = dict(g.weights or {})
        if not weights:
            yield Finding("R5", ("governance", "weights"),
                          "weight_basis: fixed needs a 'weights' table, one per voting member")
            return
        for member_id in sorted(voters - weights.keys()):
            yield Finding("R5", ("governance", "weights"),
                          f"voting member '{member_id}' has no weight")
        for key, value in weights.items():
            if key in a.members_by_id and key not in voters:
                yield Finding("R5", ("governance", "weights", key),
                              f"'{key}' is not a voting member, so it cannot have a weight")
            if value < 0:
                yield Finding("R5", ("governance", "weights", key),
                              f"a weight cannot be negative (got {value:g})")
        total = sum(weights.values())
        if abs(total - 100) > 0.01:
            yield Finding("R5", ("governance", "weights"),
                          f"weights must add up to 100; these add up to {total:g}")
    for key, value in weights.items():
        if value > 50:
            path: PathKey = ("governance", "weights", key) if g.weight_basis == "fixed" else (
                "members", _member_index(a, key), "annual_contract_value")
            yield Finding("R5", path,
                          f"'{key}' holds {value:g}% of the votes and can outvote all the others "
                          "together; make sure the members accept that", severity="warning")


@rule("R6")
def r6_quorum(a: Answers) -> Iterator[Finding]:
    if a.governance.quorum == "majority_including_lead" and a.governance.model != "lead_provider":
        yield Finding("R6", ("governance", "quorum"),
                      "a quorum including the lead provider needs governance.model: lead_provider")


@rule("R7")
def r7_joint_committee(a: Answers) -> Iterator[Finding]:
    if a.governance.vehicle != "joint_committee":
        return
    for i, m in enumerate(a.members):
        if m.kind in COMPANY_KINDS and m.member_class == "voting":
            yield Finding("R7", ("members", i, "class"),
                          f"'{m.id}' is {m.kind}: a joint committee under NHS Act s.65Z5 is for "
                          "relevant bodies only, so it may attend as associate or observer, not vote")


@rule("R8")
def r8_advisory(a: Answers) -> Iterator[Finding]:
    g = a.governance
    if g.vehicle != "advisory_group":
        return
    if g.lead_provider_veto != "none":
        yield Finding("R8", ("governance", "lead_provider_veto"),
                      "an advisory group decides nothing, so there is nothing to veto; set none")
    if g.deadlock in CASTING_VOTES:
        yield Finding("R8", ("governance", "deadlock"),
                      "an advisory group takes no decisions, so it has no casting vote; use refer_to_boards")
    if g.reserved_matters:
        yield Finding("R8", ("governance", "reserved_matters"),
                      "an advisory group takes no decisions, so it has no reserved matters; remove them")


@rule("R9")
def r9_delegation(a: Answers) -> Iterator[Finding]:
    g = a.governance
    if g.vehicle in ("committees_in_common", "joint_committee") and not g.delegations_approved:
        name = g.vehicle.replace("_", " ")
        yield Finding("R9", ("governance", "delegations_approved"),
                      f"{name} act on powers delegated by each member's board: confirm each board "
                      "has approved the delegation and updated its scheme of delegation "
                      "(delegations_approved: true)", near=("governance", "vehicle"))


# --------------------------------------------------------------------------- R10-R17


@rule("R10")
def r10_percentages(a: Answers) -> Iterator[Finding]:
    g, f = a.governance, a.finance
    if "special_majority_percent" in g.model_fields_set and g.voting != "special_majority":
        yield Finding("R10", ("governance", "special_majority_percent"),
                      "'special_majority_percent' is only used with voting: special_majority; remove it")
    if g.voting == "special_majority" and g.special_majority_percent <= 50:
        yield Finding("R10", ("governance", "special_majority_percent"),
                      f"a special majority must be more than 50% (got {g.special_majority_percent:g})")
    if f.surplus == "split":
        if f.surplus_reinvest_percent is None:
            yield Finding("R10", ("finance", "surplus_reinvest_percent"),
                          "surplus: split needs the share reinvested (surplus_reinvest_percent, 0-100)")
    elif f.surplus_reinvest_percent is not None:
        yield Finding("R10", ("finance", "surplus_reinvest_percent"),
                      "'surplus_reinvest_percent' is only used with surplus: split; remove it")
    if f.deficit == "capped":
        if f.loss_cap_percent is None:
            yield Finding("R10", ("finance", "loss_cap_percent"),
                          "deficit: capped needs loss_cap_percent (% of each member's contract value)")
    elif f.loss_cap_percent is not None:
        yield Finding("R10", ("finance", "loss_cap_percent"),
                      "'loss_cap_percent' is only used with deficit: capped; remove it")
    if f.liability != "several_with_cap" and f.liability_cap_multiple is not None:
        yield Finding("R10", ("finance", "liability_cap_multiple"),
                      "'liability_cap_multiple' is only used with liability: several_with_cap")
    fee = a.commissioning.management_fee
    if fee.kind == "percent":
        if fee.value is None or fee.value > 100:
            yield Finding("R10", ("commissioning", "management_fee", "value"),
                          "a percentage management fee needs a value from 0 to 100")
    elif fee.kind == "fixed" and fee.value is None:
        yield Finding("R10", ("commissioning", "management_fee", "value"),
                      "a fixed management fee needs its amount in pounds")
    elif fee.kind == "none" and fee.value is not None:
        yield Finding("R10", ("commissioning", "management_fee", "value"),
                      "there is no management fee, so remove its value")


@rule("R11")
def r11_covenants(a: Answers) -> Iterator[Finding]:
    for i, m in enumerate(a.members):
        if m.banking_covenants and m.kind != "independent_sector":
            yield Finding("R11", ("members", i, "banking_covenants"),
                          f"banking covenant protection is for independent-sector providers; "
                          f"'{m.id}' is {m.kind}")


@rule("R12")
def r12_is_losses(a: Answers) -> Iterator[Finding]:
    if a.finance.deficit not in ("pro_rata", "equal"):
        return
    for i, m in enumerate(a.members):
        if m.kind == "independent_sector" and m.banking_covenants is None:
            yield Finding("R12", ("members", i, "banking_covenants"),
                          f"'{m.id}' would share losses without limit: cap losses "
                          "(finance.deficit: capped) or confirm it has no banking covenants "
                          "(banking_covenants: false)", severity="warning")


@rule("R13")
def r13_mou(a: Answers) -> Iterator[Finding]:
    docs = set(a.documents)
    if a.mou_binding is not None and "mou" not in docs:
        yield Finding("R13", ("mou_binding",),
                      "'mou_binding' is only used when documents includes mou; remove it")
    if "mou" not in docs or a.mou_is_binding or "collaboration_agreement" in docs:
        return
    if a.finance.model in ("shared_control_total", "lead_holds_budget"):
        yield Finding("R13", ("finance", "model"),
                      "a non-binding MOU cannot carry a risk share; ask for a collaboration "
                      "agreement, make the MOU binding, or choose no_pooling or running_costs")
    if a.finance.liability == "several_with_cap":
        yield Finding("R13", ("finance", "liability"),
                      "a non-binding MOU cannot cap liability; use liability: several")
    if a.ip.foreground == "lead_owns":
        yield Finding("R13", ("ip", "foreground"),
                      "a non-binding MOU cannot assign IP to the lead; choose joint or creator_owns_with_licence")


@rule("R14")
def r14_sub_contracts(a: Answers) -> Iterator[Finding]:
    if "sub_contracts" not in a.documents:
        return
    index = a.documents.index("sub_contracts")
    if a.governance.model != "lead_provider":
        yield Finding("R14", ("documents", index),
                      f"sub-contracts are let by a lead provider; with governance.model: "
                      f"{a.governance.model} there is none. Remove sub_contracts or use lead_provider")
    elif not a.partners:
        yield Finding("R14", ("documents", index),
                      "no member would get a sub-contract: partners are providers other than the "
                      "lead that are not observers", severity="warning")


@rule("R15")
def r15_separation(a: Answers) -> Iterator[Finding]:
    c = a.commissioning
    if c.lead_commissions and a.governance.model != "lead_provider":
        yield Finding("R15", ("commissioning", "lead_commissions"),
                      "only a lead provider commissions; set lead_commissions: false")
    elif c.lead_commissions and not c.separation:
        yield Finding("R15", ("commissioning", "separation"),
                      "a lead provider that commissions needs at least one way to keep that apart "
                      "from its provider role: commissioning_hub, recusal, independent_chair or external_audit")
    elif not c.lead_commissions and c.separation:
        yield Finding("R15", ("commissioning", "separation"),
                      "separation is only used when the lead provider commissions "
                      "(lead_commissions: true); remove it")


@rule("R16")
def r16_competition(a: Answers) -> Iterator[Finding]:
    if not a.is_members:
        return
    names = ", ".join(m.id for m in a.is_members)
    if a.competition.information_barrier == "none":
        yield Finding("R16", ("competition", "information_barrier"),
                      f"an independent-sector member ({names}) is a competitor under the "
                      "Competition Act 1998: choose an information barrier (hub or clean_team)")
    if a.finance.open_book == "full":
        yield Finding("R16", ("finance", "open_book"),
                      f"full open book would show an independent provider's ({names}) costs to its "
                      "competitors: choose hub_only or none")


@rule("R17")
def r17_data(a: Answers) -> Iterator[Finding]:
    d = a.data
    if d.kinds == "anonymised":
        return
    for key in ("controller_model", "legal_gateway", "dpia"):
        if getattr(d, key) is None:
            yield Finding("R17", ("data", key),
                          f"sharing {d.kinds.replace('_', ' ')} data needs data.{key}",
                          near=("data", "kinds"))


# --------------------------------------------------------------------------- R20-R22


@rule("R20")
def r20_psr(a: Answers) -> Iterator[Finding]:
    h = a.head_contract
    if h and h.provider_selection_route == "direct_award_c" and h.considerable_change:
        yield Finding("R20", ("head_contract", "considerable_change"),
                      "direct award C is not open for a considerable change under the Provider "
                      "Selection Regime; use most_suitable_provider or competitive")


@rule("R21")
def r21_disputes(a: Answers) -> Iterator[Finding]:
    d = a.disputes
    if "mediation" in d.tiers and not d.mediator:
        yield Finding("R21", ("disputes", "mediator"),
                      "mediation is one of the dispute steps: name the mediator or appointing body (e.g. CEDR)",
                          near=("disputes", "tiers"))
    if "icb_facilitation" in d.tiers and not d.facilitating_body:
        yield Finding("R21", ("disputes", "facilitating_body"),
                      "ICB facilitation is one of the dispute steps: name the facilitating body",
                          near=("disputes", "tiers"))
    if len(set(d.tiers)) != len(d.tiers):
        yield Finding("R21", ("disputes", "tiers"), "each dispute step may appear only once")
    if "courts" in d.tiers and d.tiers[-1] != "courts":
        yield Finding("R21", ("disputes", "tiers"), "the courts must be the last dispute step")


@rule("R22")
def r22_dates(a: Answers) -> Iterator[Finding]:
    c, h = a.collaborative, a.head_contract
    if c.term.kind == "fixed_years" and c.term.years is None:
        yield Finding("R22", ("collaborative", "term", "years"),
                      "a fixed term needs its number of years")
    if c.term.kind != "fixed_years" and c.term.years is not None:
        yield Finding("R22", ("collaborative", "term", "years"),
                      "years are only used with a fixed_years term; remove them")
    if c.term.kind == "head_contract" and h is None:
        yield Finding("R22", ("collaborative", "term", "kind"),
                      "a term tied to the head contract needs the head_contract section")
    if h is None:
        return
    if h.start >= h.end:
        yield Finding("R22", ("head_contract", "end"),
                      f"the head contract must end after it starts ({h.start} to {h.end})")
    if c.commencement_date >= h.end:
        yield Finding("R22", ("collaborative", "commencement_date"),
                      f"the agreement must commence before the head contract ends on {h.end}")


# --------------------------------------------------------------------------- R23


MAX_PAYMENT_DAYS = 30
"""The longest a lead provider may take to pay a partner's valid invoice."""


def _why_no_sub_contract(a: Answers, member_id: str) -> str:
    m = a.members_by_id[member_id]
    if member_id == a.lead_provider:
        return (f"{m.name} ({member_id}) is the lead provider: it holds the head contract and "
                "has no sub-contract with itself")
    if m.member_class == "observer":
        return f"{m.name} ({member_id}) is an observer, so it provides nothing and has no sub-contract"
    return (f"{m.name} ({member_id}) is not a provider the lead sub-contracts (it is "
            f"{m.kind.replace('_', ' ')}), so it has no sub-contract")


@rule("R23")
def r23_sub_contract_terms(a: Answers) -> Iterator[Finding]:
    """Each partner's sub-contract says what it provides, for what price, from when."""
    terms = a.sub_contract_terms
    if "sub_contracts" not in a.documents:
        if terms:
            yield Finding("R23", ("sub_contract_terms",),
                          "sub_contract_terms are only used when documents includes "
                          "sub_contracts; remove them")
        return
    h = a.head_contract
    if a.governance.model != "lead_provider" or a.lead is None or h is None \
            or a.lead.kind not in NHS_KINDS:
        return  # R2 and R14 say what is wrong
    partners = {m.id for m in a.partners}
    for i, m in enumerate(a.members):
        if m.id in partners and m.id not in terms:
            yield Finding("R23", ("sub_contract_terms", m.id),
                          f"{m.name} ({m.id}) gets a sub-contract but has no terms: add "
                          f"sub_contract_terms.{m.id} with the services it provides (and their "
                          "activity), its payment basis and its key performance indicators",
                          near=None if terms else ("members", i, "id"))
    waiting = [a.members_by_id[p] for p in sorted(partners, key=lambda p: _member_index(a, p))
               if p in terms and terms[p].payment_days is None]
    if waiting and a.commissioning.partner_payment_days > MAX_PAYMENT_DAYS:
        names = join_words([f"{m.name} ({m.id})" for m in waiting])
        yield Finding("R23", ("commissioning", "partner_payment_days"),
                      f"{names} would wait {a.commissioning.partner_payment_days} days to be "
                      f"paid: a sub-contractor's valid invoice must be paid within "
                      f"{MAX_PAYMENT_DAYS} days; choose {MAX_PAYMENT_DAYS} or fewer")
    known = ", ".join(sorted(partners)) or "none"
    for member_id, entry in terms.items():
        where: tuple[str, ...] = ("sub_contract_terms", member_id)
        if member_id not in a.members_by_id:
            yield Finding("R23", where,
                          f"'{member_id}' is not the id of any member; sub-contract terms are "
                          f"given under a partner's id (partners: {known})")
            continue
        if member_id not in partners:
            yield Finding("R23", where,
                          f"{_why_no_sub_contract(a, member_id)}; remove this entry")
            continue
        m = a.members_by_id[member_id]
        if not entry.services:
            yield Finding("R23", (*where, "services"),
                          f"{m.name} ({member_id}) needs at least one service in its "
                          "sub-contract: name it and say how much of it (activity)")
        start = entry.service_commencement  # the default is R22's to check
        end = a.sub_contract_end or h.end
        if start is not None and not h.start <= start <= h.end:
            yield Finding("R23", (*where, "service_commencement"),
                          f"{m.name} ({member_id}) would start its services on {date(start)}, "
                          f"outside the head contract's term ({date(h.start)} to {date(h.end)}): "
                          "a service can be sub-contracted only while the head contract runs")
        elif start is not None and start > end:
            yield Finding("R23", (*where, "service_commencement"),
                          f"{m.name} ({member_id}) would start its services on {date(start)}, "
                          f"after its sub-contract ends on {date(end)}")
        promised = a.commissioning.partner_payment_days
        if entry.payment_days is not None and entry.payment_days > MAX_PAYMENT_DAYS:
            yield Finding("R23", (*where, "payment_days"),
                          f"{m.name} ({member_id}) would wait {entry.payment_days} days to be "
                          f"paid: a sub-contractor's valid invoice must be paid within "
                          f"{MAX_PAYMENT_DAYS} days; choose {MAX_PAYMENT_DAYS} or fewer")
        elif entry.payment_days is not None and entry.payment_days != promised:
            yield Finding("R23", (*where, "payment_days"),
                          f"{m.name} ({member_id}) is to be paid within {entry.payment_days} "
                          f"days under its sub-contract, but the lead provider pays partners "
                          f"within {promised} days (commissioning.partner_payment_days): make "
                          "them the same, or leave this out", severity="warning")
        prices = [s.annual_price for s in entry.services if s.annual_price is not None]
        value = m.annual_contract_value
        if value is not None and prices and sum(prices) > value:
            yield Finding("R23", (*where, "services"),
                          f"the annual prices of the services of {m.name} ({member_id}) add up to "
                          f"{money(sum(prices))}, more than its annual contract value of "
                          f"{money(value)}: check the prices, or the contract value in members",
                          severity="warning")


@rule("only-with")
def only_with(a: Answers) -> Iterator[Finding]:
    g = a.governance
    if g.chair == "rotating" and g.chair_rotation_months is None:
        yield Finding("only-with", ("governance", "chair_rotation_months"),
                      "a rotating chair needs chair_rotation_months (e.g. 12)")
    if g.chair != "rotating" and g.chair_rotation_months is not None:
        yield Finding("only-with", ("governance", "chair_rotation_months"),
                      "chair_rotation_months is only used with chair: rotating; remove it")
    if "sub_contracts" not in a.documents and a.governance.model != "lead_provider" and a.head_contract:
        yield Finding("only-with", ("head_contract",),
                      "the head contract is only used with a lead provider or sub-contracts; remove it")
    for i, m in enumerate(a.members):
        if m.company_number and m.kind not in COMPANY_KINDS:
            yield Finding("only-with", ("members", i, "company_number"),
                          f"company numbers are for companies; '{m.id}' is {m.kind}",
                          severity="warning")
