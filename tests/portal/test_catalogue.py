"""The public catalogue: anybody finds published needs by a Chinese word, filters and pages
them, and reads their public summary, never their confidential details."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import clock
from projects.models import IndustrialChain, Pole
from tests import factories
from tests.selectors.helpers import need_in

pytestmark = pytest.mark.django_db

LIST = reverse("catalogue:list")


def titles(response) -> list[str]:
    return [need.title for need in response.context["needs"]]


@pytest.fixture
def sensor_need():
    return need_in(
        "published",
        title="高精度传感器芯片研发",
        summary="面向智能网联汽车的毫米波雷达芯片。",
        proposer=factories.OrganizationFactory(name="重庆芯感微电子有限公司"),
        pole=Pole.DIGITAL,
        industrial_chain=IndustrialChain.ELECTRONICS,
        budget=Decimal("5000000"),
    )


@pytest.fixture
def battery_need():
    return need_in("published", title="动力电池低温快充技术", summary="寻求-20℃快充方案。")


def test_anonymous_visitor_finds_a_chinese_word_inside_a_title(
    client, sensor_need, battery_need
) -> None:
    response = client.get(LIST, {"q": "传感器"})

    assert response.status_code == 200
    assert titles(response) == ["高精度传感器芯片研发"]
    assert "1" in response.context["page_obj"].paginator.count.__str__()


@pytest.mark.parametrize("word", ["芯片", "毫米波", "智能网联汽车", "雷达 芯片"])
def test_words_of_two_characters_and_more_are_found_in_title_and_summary(
    client, sensor_need, battery_need, word
) -> None:
    assert titles(client.get(LIST, {"q": word})) == ["高精度传感器芯片研发"]


def test_a_word_nobody_wrote_finds_nothing_and_says_so(client, sensor_need) -> None:
    response = client.get(LIST, {"q": "量子"})

    assert titles(response) == []
    assert "没有符合" in response.content.decode()


def test_latin_words_are_found_whatever_their_case(client) -> None:
    need_in("published", title="车规级MCU国产化替代")

    assert titles(client.get(LIST, {"q": "mcu"})) == ["车规级MCU国产化替代"]


def test_only_needs_taking_applications_are_listed(client, sensor_need) -> None:
    for state in ("draft", "in_review", "returned", "rejected", "withdrawn"):
        need_in(state, title=f"传感器{state}")
    for state in ("matched", "closed", "expired"):
        need_in(state, title=f"传感器{state}")

    assert titles(client.get(LIST, {"q": "传感器"})) == ["高精度传感器芯片研发"]


def test_filters_by_pole_chain_budget_and_open_until(client, sensor_need, battery_need) -> None:
    assert titles(client.get(LIST, {"pole": Pole.DIGITAL})) == ["高精度传感器芯片研发"]
    assert titles(client.get(LIST, {"chain": IndustrialChain.NEV})) == ["动力电池低温快充技术"]
    assert titles(client.get(LIST, {"budget": "5m-10m"})) == ["高精度传感器芯片研发"]
    assert titles(client.get(LIST, {"budget": "1m-5m"})) == ["动力电池低温快充技术"]
    assert titles(client.get(LIST, {"budget": "gte10m"})) == []

    battery_need.open_until = clock.today() + datetime.timedelta(days=10)
    battery_need.save()
    later = clock.today() + datetime.timedelta(days=30)
    assert titles(client.get(LIST, {"open_on": later.isoformat()})) == ["高精度传感器芯片研发"]


def test_a_bad_filter_value_is_said_beside_its_field_and_the_others_still_apply(
    client, sensor_need, battery_need
) -> None:
    response = client.get(LIST, {"open_on": "明天", "q": "传感器"})

    assert response.context["form"].errors["open_on"]
    assert titles(response) == ["高精度传感器芯片研发"]


def test_results_are_paged_newest_first_with_the_total(client) -> None:
    for day in range(25):
        need_in(
            "published",
            title=f"传感器需求{day:02d}",
            published_at=datetime.datetime(2025, 1, 1 + day, tzinfo=datetime.UTC),
        )

    first = client.get(LIST, {"q": "传感器"})
    second = client.get(LIST, {"q": "传感器", "page": 2})

    assert titles(first)[0] == "传感器需求24"
    assert len(titles(first)) == 20
    assert titles(second) == [f"传感器需求{day:02d}" for day in range(4, -1, -1)]
    assert first.context["page_obj"].paginator.count == 25
    page = second.content.decode()
    assert "25 个技术需求" in page
    assert "q=%E4%BC%A0%E6%84%9F%E5%99%A8&amp;page=1" in page  # the search is kept


def test_the_need_page_shows_the_public_summary_and_the_call_to_apply(client, sensor_need) -> None:
    response = client.get(reverse("catalogue:detail", args=[sensor_need.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    for shown in ("高精度传感器芯片研发", "毫米波雷达芯片", "重庆芯感微电子有限公司", "500 万元"):
        assert shown in page
    assert reverse("catalogue:apply", args=[sensor_need.pk]) in page


def test_a_matched_need_is_readable_but_takes_no_application(client) -> None:
    need = need_in("matched", title="已揭榜的需求")

    page = client.get(reverse("catalogue:detail", args=[need.pk])).content.decode()

    assert "已揭榜的需求" in page
    assert reverse("catalogue:apply", args=[need.pk]) not in page


@pytest.mark.parametrize("state", ["draft", "submitted", "in_review", "rejected", "withdrawn"])
def test_a_need_before_publication_is_not_there(client, state) -> None:
    need = need_in(state)

    assert client.get(reverse("catalogue:detail", args=[need.pk])).status_code == 404
    assert client.get(reverse("catalogue:apply", args=[need.pk])).status_code == 404


def test_the_catalogue_never_shows_confidential_details(client, enterprise_user) -> None:
    need = need_in(
        "published",
        title="机密测试需求",
        problem="机密问题描述",
        key_technology="机密关键技术",
        goals="机密目标",
        contact_name="机密联系人",
        contact_phone="023-99990000",
        contact_email="secret@example.cn",
    )
    factories.NeedIndicatorFactory(need=need, metric="机密指标")
    factories.NeedAttachmentFactory(need=need, description="机密附件")
    secrets = [
        "机密问题描述",
        "机密关键技术",
        "机密目标",
        "机密联系人",
        "023-99990000",
        "secret@example.cn",
        "机密指标",
        "机密附件",
    ]

    pages = [
        client.get(LIST).content.decode(),
        client.get(LIST, {"q": "机密"}).content.decode(),
        client.get(reverse("catalogue:detail", args=[need.pk])).content.decode(),
    ]
    client.force_login(enterprise_user)
    pages.append(client.get(reverse("catalogue:apply", args=[need.pk])).content.decode())

    assert all("机密测试需求" in page for page in pages)
    for page in pages:
        assert [secret for secret in secrets if secret in page] == []


def test_a_search_for_a_confidential_word_finds_nothing(client) -> None:
    need_in("published", title="公开标题", summary="公开摘要", problem="秘密工艺参数")

    assert titles(client.get(LIST, {"q": "秘密工艺"})) == []


def test_the_catalogue_reads_in_english_and_french(client, sensor_need) -> None:
    english = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Catalogue of technical needs" in english
    assert "5,000,000 yuan" in english
    assert "Catalogue des besoins technologiques" in french
    assert "5\u202f000\u202f000 yuans" in french


def _list_page_queries(client, django_assert_num_queries, rows: int) -> None:
    for n in range(rows):
        need_in("published", title=f"传感器需求{n}")
    with django_assert_num_queries(2):  # the count and the page
        assert len(titles(client.get(LIST, {"q": "传感器", "pole": Pole.LOW_CARBON}))) == rows


@pytest.mark.parametrize("rows", [1, 15])
def test_the_catalogue_page_issues_the_same_queries_for_one_need_or_many(
    client, django_assert_num_queries, rows
) -> None:
    _list_page_queries(client, django_assert_num_queries, rows)


def test_the_need_page_issues_a_fixed_number_of_queries(
    client, django_assert_num_queries, sensor_need, enterprise_user
) -> None:
    with django_assert_num_queries(1):
        client.get(reverse("catalogue:detail", args=[sensor_need.pk]))
    factories.NeedApplicationFactory.create_batch(3, need=sensor_need)
    client.force_login(enterprise_user)
    # The session, the user, the summary, the user's own application to it, and whether the
    # user belongs to an organisation (the header's "my organisation" link).
    with django_assert_num_queries(5):
        client.get(reverse("catalogue:detail", args=[sensor_need.pk]))
