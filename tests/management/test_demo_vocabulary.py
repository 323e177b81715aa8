"""The demo's word lists (``projects/demo/data/*.toml``) name only what the product knows."""

from __future__ import annotations

from django.utils import translation

from projects.demo import vocabulary
from projects.models import District, IndustrialChain, Pole


def test_every_chain_pole_and_district_the_demo_names_is_one_of_the_products_choices() -> None:
    assert vocabulary.chains_named() <= set(IndustrialChain.values)
    assert vocabulary.poles_named() <= set(Pole.values)
    assert vocabulary.districts_named() <= set(District.values)
    # Every district is weighted once, so the demo can place an organisation anywhere.
    assert sorted(code for code, _weight in vocabulary.DISTRICT_WEIGHTS) == sorted(District.values)


def test_chain_and_district_names_are_the_products_chinese_labels() -> None:
    with translation.override("zh-hans"):
        assert vocabulary.chain_name("software_services") == str(IndustrialChain.SOFTWARE.label)
        assert vocabulary.chain_name("light_alloys") == str(IndustrialChain.LIGHT_ALLOYS.label)
        assert vocabulary.district_name("500112") == str(District.YUBEI.label)
    assert vocabulary.chain_name("light_alloys") == "轻合金"
    assert vocabulary.district_name("500112") == "渝北区"


def test_the_word_lists_are_read_from_the_package_data_and_agree() -> None:
    assert vocabulary.DATA.joinpath("topics.toml").is_file()
    assert vocabulary.SECTORS
    for sector in vocabulary.SECTORS:
        assert set(sector.chains) <= set(vocabulary.POLE_CHAINS[sector.pole]), sector
    assert vocabulary.LABORATORIES[0] == ("金凤实验室", "500107", "health", (2022, 3, 28))
    assert all(len(row) == 4 for rows in vocabulary.CHAIN_INDICATORS.values() for row in rows)
