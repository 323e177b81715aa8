"""Wording a Chinese reader would find wrong: names written family name first, a form's part
"in progress" not read as a project "under way"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.portal.conftest import complete_need

pytestmark = pytest.mark.django_db


def test_a_chinese_member_is_named_family_name_first(as_chen, chen) -> None:
    chen.first_name, chen.last_name = "晓雯", "陈"
    chen.save()
    page = as_chen.get(reverse("organisation"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "陈晓雯" in page
    assert "晓雯 陈" not in page


def test_a_western_name_keeps_its_order(as_chen, chen) -> None:
    chen.first_name, chen.last_name = "Anne", "Martin"
    chen.save()
    page = as_chen.get(reverse("organisation"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Anne Martin" in page


def test_a_part_being_filled_in_is_not_called_under_way(as_chen, org_a) -> None:
    need = complete_need(org_a, open_until=None)
    page = as_chen.get(
        reverse("need_detail", kwargs={"pk": need.pk}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "填写中" in page
    assert "实施中" not in page  # a research project's state, not a form's


def test_a_participants_role_is_in_the_readers_brackets(as_chen, org_a) -> None:
    project = factories.ResearchProjectFactory(lead=org_a)
    partner = factories.ProjectParticipantFactory(project=project)
    url = reverse("project_detail", args=[project.pk])
    page = as_chen.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"{partner.organization.name}（" in page  # full-width brackets in Chinese
    page = as_chen.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{partner.organization.name} (" in page


def test_the_error_summary_names_each_field(as_chen) -> None:
    page = as_chen.post(
        reverse("need_new"), {"title": "", "summary": "摘要"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    summary = page.split('id="form-summary"', 1)[1].split("</ul>", 1)[0]
    assert "名称：" in summary
    assert "科创高地：" in summary
