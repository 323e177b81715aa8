"""The catalogue's search on PostgreSQL: the index of characters and pairs of characters
answers words of one, two and more characters, and agrees with ``icontains``."""

from __future__ import annotations

import pytest
from django.db import connection

from projects.models import TechnicalNeed
from projects.selectors.catalogue import catalogue_search
from tests.selectors.helpers import need_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def needs():
    need_in("published", title="高精度传感器芯片研发", summary="面向车规级MCU的毫米波雷达。")
    need_in("published", title="动力电池低温快充技术", summary="寻求-20℃快充方案，芯 片分开写。")
    need_in("in_review", title="未发布的传感器芯片需求")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("传感器", ["高精度传感器芯片研发"]),
        ("芯片", ["高精度传感器芯片研发"]),  # not "芯 片", whose characters are apart
        ("芯", ["动力电池低温快充技术", "高精度传感器芯片研发"]),
        ("mcu", ["高精度传感器芯片研发"]),
        ("低温快充", ["动力电池低温快充技术"]),
        ("快充 -20℃", ["动力电池低温快充技术"]),
        ("传感芯片", []),  # every pair is there, the word is not
        ("50%", []),
    ],
)
def test_the_search_finds_what_icontains_finds(needs, text, found) -> None:
    assert sorted(s.title for s in catalogue_search(text=text)) == sorted(found)


@pytest.fixture
def many_needs(needs):
    """Enough published needs for the planner to prefer an index to reading them all."""
    template = TechnicalNeed.objects.filter(state="published").first()
    TechnicalNeed.objects.bulk_create(
        TechnicalNeed(
            proposer_id=template.proposer_id,
            title=f"其他需求{n}",
            summary=f"与搜索无关的摘要{n}。",
            pole=template.pole,
            industrial_chain=template.industrial_chain,
            state="published",
            submitted_at=template.submitted_at,
            published_at=template.published_at,
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE projects_technicalneed")


@pytest.mark.parametrize("word", ["芯", "芯片", "传感器", "低温快充"])
def test_a_word_is_looked_up_in_the_index(many_needs, word) -> None:
    rows = catalogue_search(text=word)._rows
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "need_catalogue_title_grams" in plan, plan
    assert "need_catalogue_summary_grams" in plan
