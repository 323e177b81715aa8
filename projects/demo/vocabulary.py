"""Words the demo data is made of, read from ``data/*.toml``: sectors, real institutions,
technical topics, people's names, reviewers' comments.

District, pole and industrial-chain names are the product's own choices (``District``,
``Pole``, ``IndustrialChain`` in their zh-hans labels), never a second list, so the demo
cannot name a place or a chain differently from the forms and reports. The data files name
them by code; loading fails on a code the product does not know.

The names of real universities, institutes and laboratories are public; enterprise names are
composed from common trade-name characters and do not copy any registered company.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from django.utils import translation

from projects.models import MIN_NEED_INDICATORS, District, IndustrialChain, Pole

DATA = resources.files(__package__).joinpath("data")


def _load(name: str) -> dict[str, Any]:
    with DATA.joinpath(name).open("rb") as file:
        return tomllib.load(file)


def _tuples(value: Any) -> Any:
    """Lists as tuples, all the way down: the generators sample and hash them."""
    if isinstance(value, list):
        return tuple(_tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: _tuples(item) for key, item in value.items()}
    return value


def _rows(rows: list[dict[str, Any]], *keys: str) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(_tuples(row[key]) for key in keys) for row in rows)


def _known(kind: str, codes: Any, choices: type[Any]) -> None:
    unknown = sorted(set(codes) - set(choices.values))
    if unknown:
        raise ValueError(f"the demo's data names {kind} the product does not know: {unknown}")


def _labels(choices: type[Any]) -> dict[str, str]:
    with translation.override("zh-hans"):
        return {choice.value: str(choice.label) for choice in choices}


@cache
def district_names() -> dict[str, str]:
    """District names in Chinese by GB/T 2260 code, as the product shows them."""
    return _labels(District)


@cache
def chain_names() -> dict[str, str]:
    """Industrial-chain names in Chinese by code, as the product shows them."""
    return _labels(IndustrialChain)


def district_name(code: str) -> str:
    return district_names()[code]


def chain_name(code: str) -> str:
    return chain_names()[code]


# --- Districts ------------------------------------------------------------------------------

_places = _load("places.toml")
# (GB/T 2260 code, weight), in the data file's order (the order of the draws).
DISTRICT_WEIGHTS: tuple[tuple[str, float], ...] = tuple(_places["district_weights"].items())

# --- Industrial chains and poles ------------------------------------------------------------

_sectors = _load("sectors.toml")
# Chains each pole works on, most important first.
POLE_CHAINS: dict[str, tuple[str, ...]] = _tuples(_sectors["pole_chains"])


@dataclass(frozen=True)
class Sector:
    """A kind of enterprise: its pole, the chains it works on, the words its name uses and its
    GB/T 4754 industry."""

    pole: str
    chains: tuple[str, ...]
    name_words: tuple[str, ...]
    industry: str
    weight: float


SECTORS: tuple[Sector, ...] = tuple(Sector(**_tuples(sector)) for sector in _sectors["sector"])

# --- Organisations --------------------------------------------------------------------------

_organisations = _load("organisations.toml")
TRADE_NAME_CHARACTERS: str = _organisations["trade_name_characters"]
COMPANY_FORMS: tuple[tuple[str, int], ...] = _rows(
    _organisations["company_forms"], "form", "weight"
)
# (name, short name, district, pole)
UNIVERSITIES: tuple[tuple[str, str, str, str], ...] = _rows(
    _organisations["universities"], "name", "short", "district", "pole"
)
# (name, short name, district, pole, public institution?)
RESEARCH_INSTITUTES: tuple[tuple[str, str, str, str, bool], ...] = _rows(
    _organisations["research_institutes"], "name", "short", "district", "pole", "public"
)
# The three Chongqing laboratories: (name, district, pole, (year, month, day) established).
LABORATORIES: tuple[tuple[str, str, str, tuple[int, int, int]], ...] = tuple(
    (lab["name"], lab["district"], lab["pole"], lab["established"].timetuple()[:3])
    for lab in _organisations["laboratories"]
)
NAMED_NEW_RD_INSTITUTIONS: tuple[tuple[str, str, str], ...] = _rows(
    _organisations["named_new_rd_institutions"], "name", "district", "pole"
)
OUTSIDE_UNIVERSITIES: tuple[str, ...] = _tuples(_organisations["outside_universities"])
NEW_RD_FORMS: tuple[str, ...] = _tuples(_organisations["new_rd_forms"])
NEW_RD_TOPIC_FORMS: tuple[str, ...] = _tuples(_organisations["new_rd_topic_forms"])
OTHER_ORGANISATIONS: tuple[tuple[str, str, str], ...] = _rows(
    _organisations["other_organisations"], "name", "district", "pole"
)
GOVERNMENT_BODY: str = _organisations["government_body"]

# --- Topics ---------------------------------------------------------------------------------

_topics = _load("topics.toml")
PLATFORM_TOPICS: dict[str, tuple[str, ...]] = _tuples(_topics["platform_topics"])
CHAIN_OBJECTS: dict[str, tuple[str, ...]] = _tuples(_topics["chain_objects"])
BOTTLENECK_ASPECTS: tuple[str, ...] = _tuples(_topics["bottleneck_aspects"])
NEED_ASPECTS: tuple[str, ...] = _tuples(_topics["need_aspects"])
PROJECT_FORMS: tuple[str, ...] = _tuples(_topics["project_forms"])
CONTRACT_FORMS: dict[str, str] = _topics["contract_forms"]
CONDITIONS: tuple[str, ...] = _tuples(_topics["conditions"])
DEFICIENCIES: tuple[str, ...] = _tuples(_topics["deficiencies"])
KEY_TECHNIQUES: tuple[str, ...] = _tuples(_topics["key_techniques"])
APPROACHES: tuple[str, ...] = _tuples(_topics["approaches"])

# --- Technical indicators of needs: (metric, target, current benchmark, test method) ----------

Indicator = tuple[str, str, str, str]
_INDICATOR_KEYS = ("metric", "target", "benchmark", "method")
_indicators = _load("indicators.toml")
CHAIN_INDICATORS: dict[str, tuple[Indicator, ...]] = {
    chain: _rows(rows, *_INDICATOR_KEYS) for chain, rows in _indicators["chain_indicators"].items()
}
GENERIC_INDICATORS: tuple[Indicator, ...] = _rows(
    _indicators["generic_indicators"], *_INDICATOR_KEYS
)

# --- People ---------------------------------------------------------------------------------

_people = _load("people.toml")
# (characters, pinyin)
SURNAMES: tuple[tuple[str, str], ...] = _rows(_people["surnames"], "name", "pinyin")
GIVEN_NAMES: tuple[tuple[str, str], ...] = _rows(_people["given_names"], "name", "pinyin")

# --- Reviewers' words -----------------------------------------------------------------------

_comments = _load("comments.toml")
# A need returned for lacking indicators has fewer than the minimum (projects.demo.needs).
FEW_INDICATORS_COMMENT: str = _comments["few_indicators_return_comment"].format(
    minimum=MIN_NEED_INDICATORS
)
RETURN_COMMENTS: tuple[str, ...] = tuple(
    FEW_INDICATORS_COMMENT if comment == "{few_indicators}" else comment
    for comment in _comments["return_comments"]
)
REJECTION_COMMENTS: dict[str, str] = _comments["rejection_comments"]
SUPPLEMENT_COMMENTS: tuple[str, ...] = _tuples(_comments["supplement_comments"])
REFUSAL_REASONS: tuple[str, ...] = _tuples(_comments["refusal_reasons"])
LATE_SUPPLEMENTS_REFUSAL: str = _comments["late_supplements_refusal"]
CANCEL_COMMENTS: tuple[str, ...] = _tuples(_comments["cancel_comments"])
TERMINATION_COMMENTS: tuple[str, ...] = _tuples(_comments["termination_comments"])
WITHDRAWN_PROPOSAL_COMMENTS: tuple[str, ...] = _tuples(_comments["withdrawn_proposal_comments"])
RECTIFICATION_COMMENTS: tuple[str, ...] = _tuples(_comments["rectification_comments"])
FAILURE_COMMENT: str = _comments["failure_comment"]
FAILURE_AFTER_RECTIFICATION: str = _comments["failure_after_rectification"]
DROP_COMMENTS: tuple[str, ...] = _tuples(_comments["drop_comments"])
ORGANISATION_REJECTIONS: tuple[str, ...] = _tuples(_comments["organisation_rejections"])


def chains_named() -> set[str]:
    """Every industrial chain the data files name."""
    return {
        *(chain for chains in POLE_CHAINS.values() for chain in chains),
        *(chain for sector in SECTORS for chain in sector.chains),
        *CHAIN_OBJECTS,
        *CHAIN_INDICATORS,
    }


def poles_named() -> set[str]:
    """Every innovation pole the data files name."""
    return {
        *POLE_CHAINS,
        *PLATFORM_TOPICS,
        *(sector.pole for sector in SECTORS),
        *(row[3] for row in UNIVERSITIES),
        *(row[3] for row in RESEARCH_INSTITUTES),
        *(row[2] for row in LABORATORIES),
        *(row[2] for row in (*NAMED_NEW_RD_INSTITUTIONS, *OTHER_ORGANISATIONS)),
    }


def districts_named() -> set[str]:
    """Every district the data files name."""
    return {
        *(code for code, _weight in DISTRICT_WEIGHTS),
        *(row[2] for row in UNIVERSITIES),
        *(row[2] for row in RESEARCH_INSTITUTES),
        *(row[1] for row in LABORATORIES),
        *(row[1] for row in (*NAMED_NEW_RD_INSTITUTIONS, *OTHER_ORGANISATIONS)),
    }


_known("districts", districts_named(), District)
_known("innovation poles", poles_named(), Pole)
_known("industrial chains", chains_named(), IndustrialChain)
