"""Innovation platforms: the Chongqing laboratories, national and municipal key laboratories,
engineering and technology innovation centres, new R&D institutions and enterprise technology
centres, opened (and a few closed) so that the count open on 31 December is the report's; plus
district-level platforms, which the indicator does not count."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .figures import (
    DISTRICT_PLATFORMS,
    NATIONAL_SHARE,
    PLATFORM_CLOSURES,
    PLATFORMS,
    scaled,
)
from .organizations import new_rd_institution_add
from .vocabulary import (
    CHAIN_OBJECTS,
    LABORATORIES,
    PLATFORM_TOPICS,
    POLE_CHAINS,
    TRADE_NAME_CHARACTERS,
    district_name,
)
from .world import CST, Chooser, Org, day_in, day_of_year

if TYPE_CHECKING:
    from .builder import World

KINDS: Chooser[str] = Chooser(
    [
        "key_laboratory",
        "engineering_research_center",
        "technology_innovation_center",
        "new_rd_institution",
        "enterprise_technology_center",
    ],
    [25, 30, 10, 15, 20],
)
POLES: Chooser[str] = Chooser(["digital", "health", "materials", "low_carbon"], [35, 20, 23, 22])


@dataclass(slots=True, eq=False)
class Platform:
    name: str
    kind: str
    level: str
    host: Org
    pole: str
    established_on: datetime.date
    closed_on: datetime.date | None = None


def platforms_build(w: World) -> None:
    rng = w.rng
    counted = {year: scaled(count, w.scale) for year, count in PLATFORMS.items()}
    first = min(counted)
    open_: list[Platform] = []
    # Open at the end of the first year: established over the previous two decades.
    for _ in range(counted[first]):
        year = rng.choices(range(first - 18, first + 1), weights=range(1, 20))[0]
        open_.append(_platform(w, established_on=day_of_year(rng, year)))
    for year in range(first + 1, max(counted) + 1):
        laboratories = [lab for lab in LABORATORIES if lab[3][0] == year]
        closures = scaled(PLATFORM_CLOSURES.get(year, 0), w.scale)
        openings = counted[year] - counted[year - 1] + closures
        # At a small scale the laboratories can outnumber the openings: close more instead.
        closures += max(0, len(laboratories) - openings)
        openings = max(openings, len(laboratories))
        closable = [p for p in open_ if p.kind not in ("chongqing_laboratory",)]
        for platform in rng.sample(closable, min(closures, len(closable))):
            platform.closed_on = day_in(
                rng,
                max(platform.established_on, datetime.date(year, 1, 2)),
                datetime.date(year, 12, 20),
            )
            open_.remove(platform)
        for name, _district, pole, established in laboratories:
            host = w.laboratories[name]
            lab = Platform(
                name, "chongqing_laboratory", "municipal", host, pole, datetime.date(*established)
            )
            w.platforms.append(lab)
            open_.append(lab)
        for _ in range(openings - len(laboratories)):
            open_.append(_platform(w, established_on=day_of_year(rng, year)))
    for _ in range(scaled(DISTRICT_PLATFORMS, w.scale)):
        _district_platform(w)
    _write(w)


def _platform(w: World, *, established_on: datetime.date) -> Platform:
    rng = w.rng
    kind = KINDS.pick(rng)
    if kind == "new_rd_institution" and established_on.year < 2015:
        kind = "engineering_research_center"  # the municipality recognised them from 2015 on
    national = kind != "new_rd_institution" and rng.random() < NATIONAL_SHARE
    level = "national" if national else "municipal"
    host, pole = _host(w, kind)
    if kind == "new_rd_institution":
        host = new_rd_institution_add(w, pole=pole)
        name = host.name
    elif kind == "enterprise_technology_center":
        name = host.name + ("技术中心（国家认定）" if national else "技术中心")
    else:
        name = _topic_name(
            w, kind=kind, national=national, pole=pole, host=host, year=established_on.year
        )
    host.seen(established_on)
    platform = Platform(name, kind, level, host, pole, established_on)
    w.platforms.append(platform)
    w.names.add(name)
    return platform


def _host(w: World, kind: str) -> tuple[Org, str]:
    rng = w.rng
    roll = rng.random()
    if kind == "key_laboratory":
        group = (
            "university" if roll < 0.65 else "research_institute" if roll < 0.9 else "enterprise"
        )
    elif kind in ("engineering_research_center", "technology_innovation_center"):
        group = (
            "enterprise" if roll < 0.65 else "university" if roll < 0.9 else "research_institute"
        )
    else:
        group = "enterprise"
    if group == "enterprise":
        while True:
            host = rng.choice(w.high_tech)
            if kind != "enterprise_technology_center" or host.id not in w.technology_centres:
                break
        if kind == "enterprise_technology_center":
            w.technology_centres.add(host.id)
        return host, host.pole
    host = rng.choice(w.by_kind[group])
    pole = host.pole if rng.random() < 0.6 else POLES.pick(rng)
    return host, pole


def _topic_name(w: World, *, kind: str, national: bool, pole: str, host: Org, year: int) -> str:
    rng = w.rng
    if kind == "key_laboratory":
        form = (
            ("{topic}全国重点实验室" if year >= 2022 else "{topic}国家重点实验室")
            if national
            else ("重庆市{topic}重点实验室")
        )
    elif kind == "engineering_research_center":
        form = "国家{topic}工程研究中心" if national else "重庆市{topic}工程技术研究中心"
    else:
        form = "国家{topic}技术创新中心" if national else "重庆市{topic}技术创新中心"
    topics = PLATFORM_TOPICS[pole] + tuple(
        obj for chain in POLE_CHAINS[pole] for obj in CHAIN_OBJECTS[chain]
    )
    for _attempt in range(12):
        name = form.format(topic=rng.choice(topics))
        if name not in w.names:
            return name
    # Several hosts work on the same subject: the host's name tells their platforms apart.
    return f"{form.format(topic=rng.choice(topics))}（{host.name}）"


def _district_platform(w: World) -> None:
    rng = w.rng
    year = rng.randint(2015, 2025)
    established_on = day_of_year(rng, year)
    if rng.random() < 0.55:
        host = rng.choice(w.enterprises)
        brand = "".join(rng.sample(TRADE_NAME_CHARACTERS, 2))
        name = (
            f"{district_name(host.district)}{brand}科技企业孵化器"
            if rng.random() < 0.5
            else f"{brand}众创空间"
        )
        kind = "incubator"
    else:
        host = rng.choice(w.enterprises)
        name = host.name + "技术中心（区级）"
        kind = "enterprise_technology_center"
    host.seen(established_on)
    platform = Platform(name, kind, "district", host, host.pole, established_on)
    if rng.random() < 0.08 and year < 2025:
        platform.closed_on = day_in(rng, datetime.date(year + 1, 1, 2), datetime.date(2025, 12, 20))
    w.platforms.append(platform)


def _write(w: World) -> None:
    table = w.tables.platforms
    for p in w.platforms:
        stamp = datetime.datetime.combine(p.established_on, datetime.time(9, 30), CST)
        updated = (
            datetime.datetime.combine(p.closed_on, datetime.time(9, 30), CST)
            if p.closed_on
            else stamp
        )
        table.add(
            stamp,
            updated,
            p.name,
            p.kind,
            p.level,
            p.host.id,
            p.pole,
            p.established_on,
            p.closed_on,
        )
