"""Hypothesis strategies for valid answers files, and a deterministic way to draw many.

Why: four example files cannot show what the library says for the collaboratives nobody wrote
down. These strategies produce answers files (as the plain data a YAML file loads to) that
pass every rule of `drafting.read.rules`, so `drafting lint` can draft hundreds of different
collaboratives.

Choices, bounds and optional fields come from the answers models (`drafting.read.answers`):
a new choice added to a `Literal`, or a new bound, reaches the generated answers without a
change here. What the models cannot say, the rules can: those combinations are built in the
domain's order (the governance model first, then who the members are, then the lead
provider, then what only a lead provider or an independent provider allows), so every set
is valid by construction and nothing is thrown away. Free text comes from small pools of
plausible names and sentences, never random characters: lint reads the library's words,
and an answer full of stray underscores would only hide them.

`draw_many(strategy, count, seed)` runs Hypothesis as an engine: no example database, no
health checks, the same `seed` always giving the same values.

Hypothesis supplies the randomness as a few large integers per set, which `_Dice` turns into
choices. Two reasons: a draw costs Hypothesis some tens of microseconds, and a set makes a
few hundred choices; and Hypothesis now and then replaces a drawn number by a constant found
in the source of whichever local modules happen to be loaded (its "local constants"), so
drawing the choices themselves would give one seed other answers after another import. No
module holds a constant in the range drawn here, so a set depends on the seed alone.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import typing
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from drafting.read import rules
from drafting.read.answers import (
    COMPANY_KINDS,
    NHS_KINDS,
    PROVIDER_KINDS,
    SubContractTerms,
    Answers,
    Clinical,
    Collaborative,
    Commissioning,
    Competition,
    Data,
    Disputes,
    Finance,
    Governance,
    HeadContract,
    IntellectualProperty,
    ManagementFee,
    Member,
    Membership,
    Term,
)

__all__ = ["answers", "bounds", "choices", "draw_many"]

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]

# --------------------------------------------------------------------------- the models


def _unwrap(annotation: Any) -> Any:
    """`X | None`, `Annotated[X, ...]` and `list[X]` -> X."""
    while True:
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin is typing.Annotated:
            annotation = args[0]
        elif origin in (list, tuple) or (origin is not None and origin is not Literal
                                         and len(args) == 1):
            annotation = args[0]
        else:
            return annotation


def choices(model: type[BaseModel], name: str) -> tuple[Any, ...]:
    """The values a `Literal` field (or a list of them) of `model` allows, in the model's order."""
    annotation = _unwrap(model.model_fields[name].annotation)
    if typing.get_origin(annotation) is not Literal:
        raise TypeError(f"{model.__name__}.{name} is not a choice")
    return typing.get_args(annotation)


def bounds(model: type[BaseModel], name: str) -> tuple[float | None, float | None]:
    """The (lowest, highest) a number field of `model` allows (None: unbounded).

    A strict bound (`gt=0`) is returned as it is: callers drawing integers or halves step
    off it themselves.
    """
    return _bounds(model.model_fields[name])


def _metadata(info: FieldInfo) -> list[Any]:
    """A field's constraints, whether on the field or on an `Annotated` type inside it."""
    found = list(info.metadata)
    for arg in typing.get_args(info.annotation) or ():
        if typing.get_origin(arg) is typing.Annotated:
            for inner in typing.get_args(arg)[1:]:
                found.extend(getattr(inner, "metadata", [inner]))
    return found


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    low = high = None
    for item in _metadata(info):
        for attr in ("ge", "gt"):
            if getattr(item, attr, None) is not None:
                low = getattr(item, attr)
        for attr in ("le", "lt"):
            if getattr(item, attr, None) is not None:
                high = getattr(item, attr)
    return low, high


# --------------------------------------------------------------------------- choices

_LOW, _HIGH = 2**62, 2**63 - 1
_BIG = st.integers(_LOW, _HIGH)
_SPAN = _HIGH - _LOW + 1


class _Dice:
    """Choices decoded from the large integers Hypothesis draws, one choice a few bits.

    Each choice takes the remainder of the current integer by the number of options and
    divides it away; a fresh integer is drawn when fewer than 2**20 times the options are
    left, so no option is more likely than another by more than one part in a million.
    """

    def __init__(self, draw: Draw):
        self._draw = draw
        self._value = 0
        self._left = 1

    def index(self, n: int) -> int:
        """A number from 0 to `n - 1`."""
        if self._left < n << 20:
            self._value, self._left = self._draw(_BIG) - _LOW, _SPAN
        value, self._value = self._value % n, self._value // n
        self._left //= n
        return value

    def one(self, items: Sequence[T]) -> T:
        return items[self.index(len(items))]

    def flag(self) -> bool:
        return self.index(2) == 1

    def number(self, low: int, high: int) -> int:
        """A whole number from `low` to `high`, both included."""
        return low + self.index(high - low + 1)

    def some(self, items: Sequence[T], low: int = 0, high: int | None = None) -> list[T]:
        """From `low` to `high` distinct items of `items`, in a drawn order."""
        pool = list(items)
        count = self.number(low, len(pool) if high is None else min(high, len(pool)))
        return [pool.pop(self.index(len(pool))) for _ in range(count)]

    def pick(self, model: type[BaseModel], name: str, *, but: Sequence[Any] = ()) -> Any:
        """One of the choices of field `name` of `model`, leaving out `but` (the choices
        the rules close here)."""
        return self.one([c for c in choices(model, name) if c not in but])

    def subset(self, model: type[BaseModel], name: str, *, low: int = 0,
               but: Sequence[Any] = ()) -> list[Any]:
        """Distinct choices of a list-of-choices field, in the model's order."""
        options = [c for c in choices(model, name) if c not in but]
        chosen = set(self.some(options, low))
        return [c for c in options if c in chosen]

    def whole(self, model: type[BaseModel], name: str) -> int:
        """A whole number within the field's bounds, one time in four a bound itself (where
        wording breaks: "one (1) months", "within zero (0) days")."""
        return self.bounded(*bounds(model, name))

    def bounded(self, lo: float | None, hi: float | None) -> int:
        low = int(lo) if lo is not None else 0
        high = int(hi) if hi is not None else low + 100
        return self.one((low, high)) if self.index(4) == 0 else self.number(low, high)

    def percent(self, model: type[BaseModel], name: str, *, above: float | None = None
                ) -> int | float:
        """A percentage within the field's bounds (above `above`): whole, or now and then a
        half."""
        lo, hi = bounds(model, name)
        low = max(int(lo or 0), int(above) + 1 if above is not None else 0)
        high = int(hi if hi is not None else 100)
        if self.index(4):
            return self.number(low, high)
        return self.number(2 * low, 2 * high - 1) / 2


# --------------------------------------------------------------------------- words

PLACES = (
    "Ashby", "Bramley", "Calderton", "Dunmore", "Eastmoor", "Fenwick", "Greystoke", "Harwood",
    "Ingleby", "Kirkham", "Longridge", "Marston", "Northfield", "Oakham", "Penrose", "Queensbury",
    "Redbrook", "Stanhope", "Thornbury", "Upton", "Westbrook", "Yarrow",
)
_MEMBER_NAMES = {
    "nhs_trust": ("{} Hospitals NHS Trust", "{} Community Health NHS Trust"),
    "nhs_foundation_trust": ("{} NHS Foundation Trust",
                             "{} Teaching Hospitals NHS Foundation Trust",
                             "{} Mental Health NHS Foundation Trust"),
    "independent_sector": ("{} Healthcare Limited", "{} Clinics Ltd"),
    "vcse": ("{} Mind", "{} Hospice", "{} Wellbeing CIC"),
    "local_authority": ("{} City Council", "{} County Council"),
    "icb": ("NHS {} Integrated Care Board",),
    "nhs_england": ("NHS England",),
}
_STREETS = ("Hospital Road", "Station Street", "Park Lane", "Mill Way", "Church Street",
            "Castle Hill")
_FIRST = ("Alex", "Amira", "Ben", "Chloe", "Dev", "Fiona", "Grace", "Hassan", "Imogen", "Jane",
          "Kwame", "Lena", "Mark", "Nia", "Owen", "Priya", "Ruth", "Sam", "Tom", "Zara")
_LAST = ("Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal",
         "Jones", "Khan", "Lewis", "Morgan", "Nolan", "Okafor", "Patel", "Quinn", "Roberts")
_ROLES = ("Chief Executive", "Director of Strategy", "Chief Operating Officer",
          "Director of Finance", "Chief Medical Officer", "Director of Partnerships",
          "Chair of the Board")
_FOCUS = ("Acute", "Mental Health", "Community Services", "Elective Care", "Specialised Services",
          "Children's Services")
_PURPOSES = (
    "To plan and deliver the services together so that patients get the same standard of care "
    "wherever they live.",
    "To reduce waiting times by sharing capacity between the members' sites.",
    "To take responsibility for the budget and pathway of the services for the population served.",
)
_OBJECTIVES = (
    "Reduce waiting times for planned care", "Reduce out-of-area placements",
    "Share clinical protocols across all sites", "Improve staff retention in hard-to-fill roles",
    "Reduce unwarranted variation in outcomes", "Reinvest savings in community services",
)
_SERVICES = (
    "Adult inpatient mental health", "Children and young people's mental health",
    "Elective orthopaedics", "Diagnostic imaging", "Community nursing", "Eating disorder services",
    "Cancer surgery", "Stroke rehabilitation",
)
_SUB_CONTRACTED = (
    "Adult acute inpatient beds", "Psychiatric intensive care beds", "Secure step-down beds",
    "Community eating disorder service", "Crisis and home treatment", "Day hospital places",
)
_ACTIVITY = (
    "{n} commissioned beds, about {d:,} occupied bed days a year",
    "about {d:,} contacts a year",
    "{n} places, about {d:,} attendances a year",
)
_KPIS = (
    ("Care plan agreed within 72 hours of admission", "95%", "monthly audit of admissions"),
    ("Patients assessed within 4 hours of an urgent referral", "at least 90%",
     "monthly referral data"),
    ("Discharge summary sent to the GP within 24 hours", "98%", "monthly audit of discharges"),
)
_MEDIATORS = ("CEDR", "the Centre for Effective Dispute Resolution", "a mediator appointed by CEDR")



def _iso(day: dt.date) -> str:
    return day.isoformat()


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _person(dice: _Dice) -> dict[str, str]:
    return {"name": f"{dice.one(_FIRST)} {dice.one(_LAST)}", "role": dice.one(_ROLES)}


def _money(dice: _Dice) -> int:
    """An annual contract value in pounds: from £250,000 to £120 million."""
    return dice.number(1, 480) * 250_000


# --------------------------------------------------------------------------- sections


def _member(dice: _Dice, place: str, kind: str, member_class: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "nhse" if kind == "nhs_england" else place.lower(),
        "name": dice.one(_MEMBER_NAMES[kind]).format(place),
        "kind": kind,
        "class": member_class,
        "address": f"{dice.number(1, 120)} {dice.one(_STREETS)}, {place}",
        "representative": _person(dice),
        "signatory": _person(dice),
    }
    if kind in COMPANY_KINDS and dice.flag():
        data["company_number"] = f"{dice.number(0, 99_999_999):08d}"
    if dice.flag():
        data["ods_code"] = f"R{dice.one('ABCDEFGHJKLMNPQRTVWXY')}{dice.number(1, 9)}"
    if dice.flag():
        data["annual_contract_value"] = _money(dice)
    if kind == "independent_sector":  # R11: covenants are an independent provider's only
        covenants = dice.one((None, True, False))
        if covenants is not None:
            data["banking_covenants"] = covenants
    return data


def _members(dice: _Dice, vehicle: str) -> list[dict[str, Any]]:
    """At least two NHS trusts (R1), both voting; then up to four others of any kind.

    A company on a joint committee never votes (R7); NHS England joins at most once.
    """
    kinds = [dice.one(sorted(NHS_KINDS)) for _ in range(2)]
    for _ in range(dice.number(0, 4)):
        kind = dice.pick(Member, "kind")
        if kind != "nhs_england" or kind not in kinds:
            kinds.append(kind)
    places = dice.some(PLACES, len(kinds), len(kinds))
    members = [_member(dice, places[i], kind, "voting") for i, kind in enumerate(kinds[:2])]
    for place, kind in zip(places[2:], kinds[2:], strict=True):
        closed = ["voting"] if vehicle == "joint_committee" and kind in COMPANY_KINDS else []
        members.append(_member(dice, place, kind, dice.pick(Member, "member_class", but=closed)))
    return dice.some(members, len(members))


def _dates(dice: _Dice, lead: bool) -> tuple[dt.date, dict[str, Any] | None]:
    """The commencement date and, with a lead provider, the head contract's term around it
    (R22: the agreement commences before the head contract ends)."""
    if dice.flag():
        commencement = dt.date(dice.number(2026, 2031), 4, 1)
    else:
        commencement = dt.date(2026, 1, 1) + dt.timedelta(days=dice.number(0, 6 * 365))
    if not lead:
        return commencement, None
    start = commencement - dt.timedelta(days=dice.one((0, 0, 0, 92, 365, 731)))
    years = dice.number(1, 10)
    end = _add_years(start, years) - dt.timedelta(days=1)
    while end <= commencement:
        years += 1
        end = _add_years(start, years) - dt.timedelta(days=1)
    considerable = dice.flag()
    head: dict[str, Any] = {
        "commissioner": dice.one(("NHS England",
                                  f"NHS {dice.one(PLACES)} Integrated Care Board")),
        "kind": dice.pick(HeadContract, "kind"),
        "start": _iso(start),
        "end": _iso(end),
        "considerable_change": considerable,
        # R20: direct award C is closed to a considerable change
        "provider_selection_route": dice.pick(HeadContract, "provider_selection_route",
                                              but=["direct_award_c"] if considerable else []),
    }
    if dice.flag():
        head["reference"] = f"NHSE/{start.year}/{dice.number(1, 999):03d}"
    return commencement, head


def _collaborative(dice: _Dice, commencement: dt.date, has_head: bool) -> dict[str, Any]:
    name = f"{' and '.join(dice.some(PLACES, 1, 2))} {dice.one(_FOCUS)} Provider Collaborative"
    term: dict[str, Any] = {"kind": dice.pick(Term, "kind",
                                              but=[] if has_head else ["head_contract"])}
    if term["kind"] == "fixed_years":  # R22
        term["years"] = dice.whole(Term, "years")
    data: dict[str, Any] = {
        "name": name,
        "kind": dice.pick(Collaborative, "kind"),
        "ics": dice.some(PLACES, 1, 3),
        "purpose": dice.one(_PURPOSES),
        "objectives": dice.some(_OBJECTIVES, 1, 4),
        "services": dice.some(_SERVICES, 1, 4),
        "commencement_date": _iso(commencement),
        "term": term,
    }
    if dice.flag():
        data["short_name"] = "".join(word[0] for word in name.split() if word[0].isupper())
    return data


def _weights(dice: _Dice, voters: list[str]) -> dict[str, int]:
    """Whole-number weights for `voters` that add up to exactly 100 (R5)."""
    raw = [dice.number(0, 10) for _ in voters]
    if not any(raw):
        raw[0] = 1
    exact = [100 * r / sum(raw) for r in raw]
    weights = [int(e) for e in exact]
    by_remainder = sorted(range(len(voters)), key=lambda i: exact[i] - weights[i], reverse=True)
    for i in by_remainder[: 100 - sum(weights)]:
        weights[i] += 1
    return dict(zip(voters, weights, strict=True))


def _governance(dice: _Dice, model: str, vehicle: str, members: list[dict[str, Any]]
                ) -> dict[str, Any]:
    """Voting, deadlock, chair and quorum as the rules allow them (R3-R10, only-with)."""
    lead = model == "lead_provider"
    advisory = vehicle == "advisory_group"
    voting = dice.pick(Governance, "voting")
    data: dict[str, Any] = {"model": model, "vehicle": vehicle, "voting": voting}
    if vehicle in ("committees_in_common", "joint_committee"):  # R9
        data["delegations_approved"] = True
    elif dice.flag():
        data["delegations_approved"] = dice.flag()
    if voting == "special_majority":  # R10: only then, and above half
        data["special_majority_percent"] = dice.percent(Governance, "special_majority_percent",
                                                        above=50)
    if voting == "weighted":  # R5
        data["weight_basis"] = dice.pick(Governance, "weight_basis")
        voters = [m for m in members if m["class"] == "voting"]
        if data["weight_basis"] == "fixed":
            data["weights"] = _weights(dice, [m["id"] for m in voters])
        for m in voters:
            if data["weight_basis"] == "contract_value" and "annual_contract_value" not in m:
                m["annual_contract_value"] = _money(dice)
    if not advisory and dice.flag():  # R8: an advisory group reserves nothing
        data["reserved_matters"] = dice.subset(Governance, "reserved_matters")
    if lead and not advisory:  # R3, R8
        data["lead_provider_veto"] = dice.pick(Governance, "lead_provider_veto")
    casting_open = not advisory and voting not in ("consensus", "unanimity")  # R4, R8
    data["deadlock"] = dice.pick(Governance, "deadlock", but=(
        ([] if casting_open else ["chair_casting_vote", "lead_provider_casting_vote"])
        + ([] if lead else ["lead_provider_casting_vote"])))
    data["chair"] = dice.pick(Governance, "chair", but=[] if lead else ["lead_provider"])
    if data["chair"] == "rotating":  # only-with
        data["chair_rotation_months"] = dice.whole(Governance, "chair_rotation_months")
    data["quorum"] = dice.pick(Governance, "quorum",
                               but=[] if lead else ["majority_including_lead"])  # R6
    data["meeting_frequency"] = dice.pick(Governance, "meeting_frequency")
    data["meetings_in_public"] = dice.flag()
    data["board_reporting"] = dice.pick(Governance, "board_reporting")
    data["managing_director"] = dice.pick(Governance, "managing_director",
                                          but=[] if lead else ["employed_by_lead"])
    data["staffing"] = dice.pick(Governance, "staffing", but=[] if lead else ["tupe_to_lead"])
    return data


def _commissioning(dice: _Dice) -> dict[str, Any]:
    """A lead provider that commissions keeps the roles apart (R15); its fee (R10)."""
    data: dict[str, Any] = {"lead_commissions": dice.flag()}
    if data["lead_commissions"]:
        data["separation"] = dice.subset(Commissioning, "separation", low=1)
    fee: dict[str, Any] = {"kind": dice.pick(ManagementFee, "kind")}
    if fee["kind"] == "percent":
        fee["value"] = dice.percent(ManagementFee, "value")
    elif fee["kind"] == "fixed":
        fee["value"] = dice.number(1, 200) * 5_000
    data["management_fee"] = fee
    data["partner_payment_days"] = dice.whole(Commissioning, "partner_payment_days")
    return data


def _finance(dice: _Dice, lead: bool, binding: bool, has_is: bool) -> dict[str, Any]:
    """The financial model and its shares as R3, R10, R13 and R16 allow."""
    closed = [] if lead else ["lead_holds_budget"]
    if not binding:  # R13: a non-binding MOU carries no risk share
        closed += ["lead_holds_budget", "shared_control_total"]
    data: dict[str, Any] = {
        "model": dice.pick(Finance, "model", but=closed),
        "running_cost_split": dice.pick(Finance, "running_cost_split"),
        "surplus": dice.pick(Finance, "surplus", but=[] if lead else ["lead_retains"]),
        "deficit": dice.pick(Finance, "deficit", but=[] if lead else ["lead_bears"]),
        "liability": dice.pick(Finance, "liability", but=[] if binding else ["several_with_cap"]),
        "open_book": dice.pick(Finance, "open_book", but=["full"] if has_is else []),
        "reconciliation": dice.pick(Finance, "reconciliation"),
    }
    if data["surplus"] == "split":
        data["surplus_reinvest_percent"] = dice.percent(Finance, "surplus_reinvest_percent")
    if data["deficit"] == "capped":
        data["loss_cap_percent"] = dice.percent(Finance, "loss_cap_percent")
    if data["liability"] == "several_with_cap":
        _, high = bounds(Finance, "liability_cap_multiple")
        data["liability_cap_multiple"] = dice.number(1, int(2 * (high or 10))) / 2
    return data


def _data(dice: _Dice, lead: bool) -> dict[str, Any]:
    """What is shared; anything identifiable needs a controller, a gateway and a DPIA (R17)."""
    data: dict[str, Any] = {"kinds": dice.pick(Data, "kinds")}
    if data["kinds"] != "anonymised":
        data["controller_model"] = dice.pick(Data, "controller_model",
                                             but=[] if lead else ["lead_processor"])
        data["legal_gateway"] = dice.pick(Data, "legal_gateway")
        data["dpia"] = dice.pick(Data, "dpia")
    return data


def _disputes(dice: _Dice) -> dict[str, Any]:
    """Distinct steps, the courts (if at all) last; a mediator or facilitator when named (R21)."""
    steps = dice.subset(Disputes, "tiers", but=["courts"])
    if dice.flag() or not steps:
        steps.append("courts")
    data: dict[str, Any] = {"tiers": steps, "days_per_tier": dice.whole(Disputes, "days_per_tier")}
    if "mediation" in steps:
        data["mediator"] = dice.one(_MEDIATORS)
    if "icb_facilitation" in steps:
        data["facilitating_body"] = f"NHS {dice.one(PLACES)} Integrated Care Board"
    return data


@st.composite
def answers(draw: Draw) -> dict[str, Any]:
    """A valid answers file as plain data: the dict its YAML loads to, dates as `YYYY-MM-DD`.

    Every set passes `drafting.read.load.validate_data` (warnings allowed: a member above
    half the votes, an independent provider sharing losses without a cap). Sections that
    only a lead provider or a company member makes relevant are left to their defaults
    otherwise, as the questionnaire leaves them unasked.
    """
    dice = _Dice(draw)
    model = dice.pick(Governance, "model")
    lead = model == "lead_provider"
    vehicle = dice.pick(Governance, "vehicle")
    documents = dice.some([d for d in choices(Answers, "documents")
                           if lead or d != "sub_contracts"], 1)
    members = _members(dice, vehicle)
    commencement, head = _dates(dice, lead)
    data: dict[str, Any] = {
        "schema_version": 1,
        "collaborative": _collaborative(dice, commencement, head is not None),
        "documents": documents,
    }
    if "mou" in documents:  # R13: only with an MOU
        data["mou_binding"] = dice.flag()
    binding = not ("mou" in documents and "collaboration_agreement" not in documents
                   and not data.get("mou_binding"))
    data["members"] = members
    if lead:  # R2: an NHS trust holds the head contract
        data["lead_provider"] = dice.one([m["id"] for m in members
                                          if m["kind"] in NHS_KINDS and m["class"] == "voting"])
        data["head_contract"] = head
    data["governance"] = _governance(dice, model, vehicle, members)
    if lead:
        data["commissioning"] = _commissioning(dice)
        if "sub_contracts" in documents:  # R23: a partner is paid within 30 days
            data["commissioning"]["partner_payment_days"] = dice.number(10, 30)
    has_is = any(m["kind"] == "independent_sector" for m in members)
    has_company = any(m["kind"] in COMPANY_KINDS for m in members)
    data["finance"] = _finance(dice, lead, binding, has_is)
    data["ip"] = {
        "background": dice.pick(IntellectualProperty, "background"),
        "foreground": dice.pick(IntellectualProperty, "foreground",
                                but=[] if lead and binding else ["lead_owns"]),  # R3, R13
        "on_exit": dice.pick(IntellectualProperty, "on_exit"),
        "commercialisation": dice.pick(IntellectualProperty, "commercialisation"),
    }
    data["membership"] = {
        "joining": dice.pick(Membership, "joining"),
        "joining_criteria": dice.subset(Membership, "joining_criteria"),
        "withdrawal_notice_months": dice.whole(Membership, "withdrawal_notice_months"),
        "withdrawal_at_year_end": dice.flag(),
        "minimum_term_years": dice.whole(Membership, "minimum_term_years"),
        "expulsion_grounds": dice.subset(Membership, "expulsion_grounds",
                                         but=[] if has_company else ["change_of_control"]),
        "cure_period_days": dice.whole(Membership, "cure_period_days"),
    }
    if has_company:
        data["membership"]["change_of_control"] = dice.pick(Membership, "change_of_control")
    data["competition"] = {
        # R16: an independent provider at the table needs an information barrier
        "information_barrier": dice.pick(Competition, "information_barrier", but=["none"])
        if has_is else "none",
        "exclusivity": dice.pick(Competition, "exclusivity"),
    }
    data["data"] = _data(dice, lead)
    data["disputes"] = _disputes(dice)
    data["clinical"] = {
        "accountability": dice.pick(Clinical, "accountability",
                                    but=[] if lead else ["lead_framework"]),
        "incident_notification_days": dice.whole(Clinical, "incident_notification_days"),
    }
    _give_contract_values(dice, data)
    if "sub_contracts" in documents:
        data["sub_contract_terms"] = _sub_contract_terms(dice, data, head)
    _explore(dice, data)
    return data


def _give_contract_values(dice: _Dice, data: dict[str, Any]) -> None:
    """Give a contract value to each member whose share is in proportion to it (rule
    `shares`): the rule itself says who, so its conditions are not written twice."""
    answers = Answers.model_validate(data)
    for finding in rules.check(answers):
        if finding.rule == "shares":
            data["members"][finding.path[1]]["annual_contract_value"] = _money(dice)


def _sub_contract_terms(dice: _Dice, data: dict[str, Any],
                        head: dict[str, Any] | None) -> dict[str, Any]:
    """Each partner's terms (R23): its own services, some priced, a payment basis, KPIs.

    Partners are providers other than the lead that are not observers. Prices stay within
    the partner's annual contract value when it has one; some are left out, so the
    placeholder and its drafting note are drafted too.
    """
    terms: dict[str, Any] = {}
    for m in data["members"]:
        if (m["id"] == data.get("lead_provider") or m["kind"] not in PROVIDER_KINDS
                or m["class"] == "observer"):
            continue
        names = dice.some(_SUB_CONTRACTED, 1, 3)
        ceiling = m.get("annual_contract_value") or 12_000_000
        services = []
        for name in names:
            service: dict[str, Any] = {
                "name": name,
                "activity": dice.one(_ACTIVITY).format(n=dice.number(4, 40),
                                                       d=dice.number(300, 15_000)),
            }
            if dice.number(0, 3):
                service["annual_price"] = (ceiling // len(names) // 50_000) * 50_000
            if dice.flag():
                service["location"] = f"{dice.one(_STREETS)}, {m['address'].split(', ')[-1]}"
            services.append(service)
        entry: dict[str, Any] = {
            "services": services,
            "payment_basis": dice.pick(SubContractTerms, "payment_basis"),
            "kpis": [dict(zip(("name", "target", "measure"), k))
                     for k in dice.some(_KPIS, 0, 3)],
        }
        if dice.flag():  # the same days as the agreement promises (R23 warns otherwise)
            entry["payment_days"] = data["commissioning"]["partner_payment_days"]
        if head is not None and dice.flag():
            entry["service_commencement"] = head["start"]
        if dice.flag():
            entry["contract_manager"] = _person(dice)
        terms[m["id"]] = entry
    return terms


# --------------------------------------------------------------------------- the rest of the models

_LEAVE = object()
"""What `_drawn` returns for a field it leaves to its default."""


def _drawn(dice: _Dice, info: FieldInfo) -> Any:
    """A value for a field from its model alone: a choice, a flag, a number within its
    bounds, a set of choices; `_LEAVE` for text, dates and sections (their values need the
    domain) and, half the time, for an optional field."""
    annotation = info.annotation
    if type(None) in typing.get_args(annotation) and dice.flag():
        return _LEAVE
    base = _unwrap(annotation)
    low, high = _bounds(info)
    if typing.get_origin(base) is Literal:
        options = typing.get_args(base)
        if typing.get_origin(_strip_optional(annotation)) is list:
            chosen = set(dice.some(options))
            return [o for o in options if o in chosen]
        return dice.one(options)
    if base is bool:
        return dice.flag()
    if base is int:
        return dice.bounded(low, high)
    if base is float:
        if high is not None and high <= 100:  # a percentage (or a multiple): whole numbers
            strict = any(getattr(m, "gt", None) is not None for m in _metadata(info))
            return dice.number(int(low or 0) + strict, int(high))
        return _money(dice)
    return _LEAVE


def _strip_optional(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return args[0] if len(args) == 1 and type(None) in typing.get_args(annotation) else annotation


def _fill(dice: _Dice, model: type[BaseModel], node: dict[str, Any], path: tuple[Any, ...],
          added: list[tuple[Any, ...]]) -> None:
    """Give each field of `model` that `node` leaves out a value drawn from the model (see
    `_drawn`); recurse into the sections and members `node` has. Record each path added."""
    for name, info in model.model_fields.items():
        key = info.alias or name
        inner = _unwrap(info.annotation)
        if key in node:
            value = node[key]
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                if isinstance(value, dict):
                    _fill(dice, inner, value, (*path, key), added)
                elif isinstance(value, list):
                    for index, item in enumerate(value):
                        if isinstance(item, dict):
                            _fill(dice, inner, item, (*path, key, index), added)
            continue
        if path == () or (isinstance(inner, type) and issubclass(inner, BaseModel)):
            continue  # a whole section left out is one the answers do not need
        value = _drawn(dice, info)
        if value is not _LEAVE:
            node[key] = value
            added.append((*path, key))


def _remove(data: dict[str, Any], path: tuple[Any, ...]) -> None:
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    node.pop(path[-1], None)


def _explore(dice: _Dice, data: dict[str, Any]) -> None:
    """Draw the answers the construction above leaves out (a field added to a model is
    drafted with too), then take back each one the models or the rules refuse here.

    A refused answer is one at, or inside, a path an error names; the rest stay. The set
    was valid before, so it is valid after.
    """
    added: list[tuple[Any, ...]] = []
    _fill(dice, Answers, data, (), added)
    for attempt in range(3):
        errors = _errors(data) if added else []
        if not errors:
            return
        refused = [p for p in added if any(p == e[:len(p)] or e == p[:len(e)] for e in errors)]
        if not refused or attempt == 2:  # the errors name none, or go on: take back all
            refused = list(added)
        for path in refused:
            _remove(data, path)
        added = [p for p in added if p not in refused]


def _errors(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The paths the models or the rules name in an error about `data`."""
    try:
        answers = Answers.model_validate(data)
    except ValidationError as exc:
        return [tuple(e["loc"]) for e in exc.errors(include_url=False)]
    return [f.path for f in rules.check(answers) if f.severity == "error"]


# --------------------------------------------------------------------------- the engine

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
          HealthCheck.large_base_example]


def draw_many(strategy: st.SearchStrategy[T], count: int, seed: int) -> list[T]:
    """`count` values of `strategy`, the same ones for the same `seed` (and code).

    Hypothesis is used as a generator, not a test runner: no example database is read or
    written, only the generate phase runs, and no health check or deadline interrupts it.
    Hypothesis keeps a cache of source constants under its home folder (`.hypothesis/` in the
    working folder): here that is a temporary folder, so linting leaves no trace behind.
    """
    found: list[T] = []
    if count <= 0:
        return found

    @settings(database=None, max_examples=count, phases=[Phase.generate], deadline=None,
              suppress_health_check=_QUIET, derandomize=False, print_blob=False)
    @hypothesis_seed(seed)
    @given(strategy)
    def collect(value: T) -> None:
        found.append(value)

    with tempfile.TemporaryDirectory(prefix="drafting-lint-") as home:
        set_hypothesis_home_dir(home)
        try:
            collect()
        finally:
            set_hypothesis_home_dir(None)
    return found[:count]
