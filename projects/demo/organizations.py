"""Organisations: the real institutions by name, the enterprises composed, each with a unique,
valid unified social credit code."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from projects.credit_code import ALPHABET, credit_code_check_character
from projects.models import Organization

from .figures import AS_OF, PENDING_ORGANISATIONS, REJECTED_ORGANISATIONS, scaled
from .vocabulary import (
    COMPANY_FORMS,
    GOVERNMENT_BODY,
    LABORATORIES,
    NEW_RD_FORMS,
    NEW_RD_TOPIC_FORMS,
    ORGANISATION_REJECTIONS,
    OTHER_ORGANISATIONS,
    OUTSIDE_UNIVERSITIES,
    PLATFORM_TOPICS,
    RESEARCH_INSTITUTES,
    SECTORS,
    TRADE_NAME_CHARACTERS,
    UNIVERSITIES,
    Sector,
    district_name,
)
from .world import DISTRICT_CHOOSER, Chooser, Org, after, day_in, moment, pick

if TYPE_CHECKING:
    from .builder import World

# Registration authority + category of GB 32100: 9/1 enterprise, 1/2 public institution
# (事业单位), 1/1 government body.
ENTERPRISE, PUBLIC_INSTITUTION, GOVERNMENT = "91", "12", "11"

SECTOR_CHOOSER: Chooser[Sector] = Chooser(SECTORS, [s.weight for s in SECTORS])
FORM_CHOOSER: Chooser[str] = Chooser(
    [form for form, _w in COMPANY_FORMS], [w for _f, w in COMPANY_FORMS]
)
# The showcase enterprise of the demo account (Liangjiang New Area, intelligent vehicles).
SHOWCASE_NAME = "重庆两江智行汽车电子有限公司"


def credit_code_make(w: World, *, category: str, district: str) -> str:
    """A unique code: category, division, a 9-character organisation code, check character.

    Enterprises registered since 2015 have codes beginning with ``MA``; older ones and public
    bodies keep their former 8-digit organisation code and its check digit.
    """
    rng = w.rng
    while True:
        if category == ENTERPRISE and rng.random() < 0.7:
            body = "MA" + _base31(int(rng.random() * 31**7), 7)
        else:
            body = f"{int(rng.random() * 10**8):08d}" + pick(rng, "0123456789X")
        if body in w.organisation_codes:
            continue
        prefix = f"{category}{district}{body}"
        code = prefix + credit_code_check_character(prefix)
        if code in w.taken_credit_codes:
            continue
        w.organisation_codes.add(body)
        w.taken_credit_codes.add(code)
        return code


def _base31(number: int, digits: int) -> str:
    characters = []
    for _ in range(digits):
        number, digit = divmod(number, 31)
        characters.append(ALPHABET[digit])
    return "".join(characters)


def organization_add(
    w: World,
    *,
    name: str,
    kind: str,
    district: str,
    pole: str,
    category: str,
    industry: str = "",
    sector: Sector | None = None,
    verified: bool = True,
) -> Org:
    """A registered organisation; ``verified`` ones are verified once their registration
    date is known (see ``builder``), the others stay with the reviewers."""
    org = Org(
        id=w.ids.next(Organization),
        state="pending",
        verified=verified,
        created_at=w.epoch,
        name=name,
        credit_code=credit_code_make(w, category=category, district=district),
        kind=kind,
        district=district,
        pole=pole,
        industry=industry,
        sector=sector,
    )
    w.names.add(name)
    w.orgs.append(org)
    w.by_kind.setdefault(kind, []).append(org)
    return org


def institutions_build(w: World) -> None:
    """Universities, research institutes, the Chongqing laboratories, government bodies."""
    for name, _short, district, pole in UNIVERSITIES:
        organization_add(
            w,
            name=name,
            kind="university",
            district=district,
            pole=pole,
            category=PUBLIC_INSTITUTION,
            industry="高等教育",
        )
    for name, _short, district, pole, public in RESEARCH_INSTITUTES:
        organization_add(
            w,
            name=name,
            kind="research_institute",
            district=district,
            pole=pole,
            category=PUBLIC_INSTITUTION if public else ENTERPRISE,
            industry="研究和试验发展",
        )
    for name, district, pole, _established in LABORATORIES:
        w.laboratories[name] = organization_add(
            w,
            name=name,
            kind="laboratory",
            district=district,
            pole=pole,
            category=PUBLIC_INSTITUTION,
            industry="研究和试验发展",
        )
    organization_add(
        w,
        name="重庆市科学技术局",
        kind="government",
        district="500112",
        pole="",
        category=GOVERNMENT,
        industry="国家机构",
    )
    for district in ("500103", "500105", "500106", "500107", "500108", "500109", "500112"):
        organization_add(
            w,
            name=district_name(district) + GOVERNMENT_BODY,
            kind="government",
            district=district,
            pole="",
            category=GOVERNMENT,
            industry="国家机构",
        )
    for name, district, pole in OTHER_ORGANISATIONS:
        organization_add(
            w,
            name=name,
            kind="other",
            district=district,
            pole=pole,
            category=PUBLIC_INSTITUTION,
            industry="科技推广和应用服务业",
        )
    w.names.add(SHOWCASE_NAME)


def new_rd_institution_add(w: World, *, pole: str) -> Org:
    """A new R&D institution (新型研发机构): first the ones the report names, then institutes
    of universities from elsewhere and topic institutes."""
    rng = w.rng
    if w.named_new_rd:
        name, district, pole = w.named_new_rd.pop(0)
    else:
        district = DISTRICT_CHOOSER.pick(rng)
        for _attempt in range(50):
            if rng.random() < 0.5:
                form = rng.choice(NEW_RD_FORMS)
                name = form.format(university=rng.choice(OUTSIDE_UNIVERSITIES))
            else:
                form = rng.choice(NEW_RD_TOPIC_FORMS)
                name = form.format(topic=rng.choice(PLATFORM_TOPICS[pole]))
            if name not in w.names:
                break
        else:
            name = f"重庆{_trade_name(w)}{rng.choice(PLATFORM_TOPICS[pole])}研究院"
    company = rng.random() < 0.4
    return organization_add(
        w,
        name=name + ("有限公司" if company else ""),
        kind="new_rd_institution",
        district=district,
        pole=pole,
        category=ENTERPRISE if company else PUBLIC_INSTITUTION,
        industry="研究和试验发展",
    )


def enterprise_add(w: World, *, verified: bool = True) -> Org:
    rng = w.rng
    sector = SECTOR_CHOOSER.pick(rng)
    district = DISTRICT_CHOOSER.pick(rng)
    while True:
        brand = _trade_name(w)
        word = pick(rng, sector.name_words)
        name = FORM_CHOOSER.pick(rng).format(brand=brand, word=word)
        if name not in w.names:
            break
    org = organization_add(
        w,
        name=name,
        kind="enterprise",
        district=district,
        pole=sector.pole,
        category=ENTERPRISE,
        industry=sector.industry,
        sector=sector,
        verified=verified,
    )
    if verified:
        w.enterprises.append(org)
    return org


def _trade_name(w: World) -> str:
    rng = w.rng
    length = 3 if rng.random() < 0.12 else 2
    while True:
        brand = "".join([pick(rng, TRADE_NAME_CHARACTERS) for _ in range(length)])
        if len(set(brand)) == length:
            return brand


def unverified_build(w: World) -> None:
    """Registrations still waiting for a reviewer, and a few refused ones (no records)."""
    rng = w.rng
    for _ in range(scaled(PENDING_ORGANISATIONS, w.scale)):
        org = enterprise_add(w, verified=False)
        org.created_at = moment(rng, _recent_day(w))
    for _ in range(scaled(REJECTED_ORGANISATIONS, w.scale)):
        org = enterprise_add(w, verified=False)
        org.created_at = moment(rng, _recent_day(w, days=2000))
        org.happen(
            "reject",
            "rejected",
            after(rng, org.created_at, 1, 6),
            w.reviewer(),
            rng.choice(ORGANISATION_REJECTIONS),
        )


def _recent_day(w: World, *, days: int = 75) -> datetime.date:
    return day_in(w.rng, AS_OF - datetime.timedelta(days=days), AS_OF - datetime.timedelta(days=2))
