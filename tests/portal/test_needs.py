"""The need form in parts: a draft saved at any point, errors at the field and at the top
with nothing typed lost, indicators added and removed without a script, attachments checked
by content and served to the need's readers only, submission once complete, the reviewer's
comment beside the form after a return, resubmission and withdrawal."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects import clock
from projects.models import NeedAttachment, Organization, TechnicalNeed
from projects.workflows.needs import need_return, need_start_review
from tests import factories

from .conftest import complete_need

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def _overview(**overrides: str) -> dict[str, str]:
    return {
        "title": "高精度传感器芯片研发",
        "summary": "寻求车规级高精度压力传感器芯片的设计与量产方案。",
        "pole": "digital",
        "industrial_chain": "electronic_information",
        "then": "next",
        **overrides,
    }


def _rows(rows: list[dict[str, str]], **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {"rows": str(len(rows)), **extra}
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"indicator-{i}-{name}"] = value
    return data


def _indicator(n: int) -> dict[str, str]:
    return {
        "metric": f"测量精度{n}",
        "target_value": "±0.1%FS",
        "current_benchmark": "±0.5%FS",
        "test_method": "GB/T 15478",
    }


def test_a_draft_is_created_from_its_first_part_and_continues_with_the_next(
    as_chen, org_a, chen
) -> None:
    response = as_chen.post(reverse("need_new"), _overview())

    need = TechnicalNeed.objects.get()
    assert (need.proposer, need.state, need.created_by) == (org_a, "draft", chen)
    assert response["Location"] == reverse("need_part", args=[need.pk, "problem"])


def test_errors_are_at_the_field_and_in_the_summary_and_nothing_is_lost(as_chen) -> None:
    response = as_chen.post(reverse("need_new"), _overview(title="", pole="nowhere"), **EN)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "There is a problem" in page
    assert 'href="#id_title"' in page and 'href="#id_pole"' in page
    assert "寻求车规级高精度压力传感器芯片的设计与量产方案。" in page
    assert 'aria-invalid="true"' in page
    assert not TechnicalNeed.objects.exists()


def test_a_part_saved_as_draft_keeps_its_values_and_logs_what_changed(as_chen, org_a) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a, budget=None, open_until=None)
    url = reverse("need_part", args=[need.pk, "scope"])
    later = clock.today() + datetime.timedelta(days=120)

    response = as_chen.post(
        url, {"budget": "5000000", "open_until": later.isoformat(), "then": "list"}
    )

    assert response["Location"] == reverse("need_detail", args=[need.pk])
    need.refresh_from_db()
    assert need.budget == 5000000 and need.open_until == later
    detail = as_chen.get(reverse("need_detail", args=[need.pk])).content.decode()
    assert "500 万元" in detail


def test_a_closing_date_in_the_past_is_refused_at_its_field(as_chen, org_a) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a)
    response = as_chen.post(
        reverse("need_part", args=[need.pk, "scope"]),
        {"budget": "12a", "open_until": "2020-01-01", "then": "list"},
        **EN,
    )
    form = response.context["form"]
    assert "after today" in form.errors["open_until"][0]
    assert form.errors["budget"]
    assert 'value="12a"' in response.content.decode()


def test_indicator_rows_start_at_five_and_are_added_and_removed_without_a_script(
    as_chen, org_a
) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a)
    url = reverse("need_indicators", args=[need.pk])
    assert len(as_chen.get(url).context["rows"]) == 5

    typed = [_indicator(n) for n in range(1, 6)]
    added = as_chen.post(url, _rows(typed, add_row="1"))
    assert len(added.context["rows"]) == 6
    assert "测量精度5" in added.content.decode()  # nothing typed is lost

    removed = as_chen.post(url, _rows([*typed, _indicator(6)], remove_row="0"))
    page = removed.content.decode()
    assert "测量精度1" not in page and "测量精度6" in page
    assert need.indicators.count() == 0  # adding and removing rows saves nothing


def test_indicators_are_saved_in_order_and_blank_rows_left_out(as_chen, org_a) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a)
    rows = [_indicator(n) for n in range(1, 6)] + [dict.fromkeys(_indicator(0), "")]
    as_chen.post(reverse("need_indicators", args=[need.pk]), _rows(rows, then="list"))
    assert [i.metric for i in need.indicators.order_by("position")] == [
        f"测量精度{n}" for n in range(1, 6)
    ]


def test_an_incomplete_indicator_row_is_refused_and_every_row_kept(as_chen, org_a) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a)
    rows = [_indicator(n) for n in range(1, 5)] + [{"metric": "响应时间", "target_value": ""}]
    response = as_chen.post(
        reverse("need_indicators", args=[need.pk]), _rows(rows, then="list"), **EN
    )
    page = response.content.decode()
    assert "Indicator 5: Give the value the solution must reach." in page
    assert 'href="#id_indicator-4-target_value"' in page
    assert "测量精度4" in page and "响应时间" in page
    assert need.indicators.count() == 0


def test_an_attachment_is_stored_under_a_random_name_and_downloaded_under_its_own(
    as_chen, org_a
) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a)
    upload = SimpleUploadedFile("技术规格书.pdf", PDF, content_type="application/pdf")
    as_chen.post(
        reverse("need_attachments", args=[need.pk]),
        {"file": upload, "description": "规格书", "attach": "1"},
    )

    attachment = NeedAttachment.objects.get()
    assert "技术规格书" not in attachment.file.name
    assert attachment.file.name.startswith(f"needs/{need.pk}/")
    assert attachment.original_name == "技术规格书.pdf"
    response = as_chen.get(reverse("need_attachment", args=[need.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert "%E6%8A%80%E6%9C%AF" in response["Content-Disposition"]  # 技术, encoded


def test_a_file_that_is_not_what_its_name_says_is_refused_with_what_to_do(as_chen, org_a) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a)
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf")
    response = as_chen.post(
        reverse("need_attachments", args=[need.pk]),
        {"file": fake, "description": "测试报告", "attach": "1"},
        **EN,
    )
    page = response.content.decode()
    assert "does not contain what its name says" in page
    assert "Choose the file again" in page
    assert 'value="测试报告"' in page
    assert not NeedAttachment.objects.exists()


def test_the_workflow_itself_refuses_a_disguised_file(org_a, chen) -> None:
    from projects.workflows.errors import RuleViolation
    from projects.workflows.needs import need_attachment_add

    need = factories.TechnicalNeedFactory(proposer=org_a)
    with pytest.raises(RuleViolation):
        need_attachment_add(
            need=need, actor=chen, file=SimpleUploadedFile("a.docx", b"PK\x03\x04junk")
        )


def test_an_attachment_is_removed(as_chen, org_a) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a)
    attachment = factories.NeedAttachmentFactory(need=need)
    as_chen.post(reverse("need_attachment_remove", args=[need.pk, attachment.pk]))
    assert not NeedAttachment.objects.exists()


def test_submission_waits_until_every_part_is_complete(as_chen, org_a) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a, contact_name="")
    url = reverse("transition", kwargs={"kind": "needs", "pk": need.pk, "name": "submit"})

    response = as_chen.post(url, {}, **EN)

    page = response.content.decode()
    assert "Finish this part first: Technical indicators." in page
    assert "Finish this part first: Contact." in page
    assert TechnicalNeed.objects.get(pk=need.pk).state == "draft"


def test_the_submit_page_lists_the_parts_to_finish_before_anything_is_pressed(
    as_chen, org_a
) -> None:
    need = factories.TechnicalNeedFactory(proposer=org_a, contact_name="")
    url = reverse("transition", kwargs={"kind": "needs", "pk": need.pk, "name": "submit"})

    page = as_chen.get(url, **EN).content.decode()

    contact = reverse("need_part", kwargs={"pk": need.pk, "part": "contact"})
    assert f'<a href="{contact}">Finish this part first: Contact.</a>' in page
    assert 'type="submit">Submit<' not in page  # no button that can only be refused


def test_a_complete_need_is_checked_then_submitted(as_chen, org_a, chen) -> None:
    need = complete_need(org_a)
    url = reverse("transition", kwargs={"kind": "needs", "pk": need.pk, "name": "submit"})
    check = as_chen.get(url, **EN).content.decode()
    assert "Check your answers" in check
    assert need.indicators.first().metric in check
    assert need.contact_phone in check
    assert reverse("need_part", args=[need.pk, "contact"]) in check  # each answer's change link

    response = as_chen.post(url, {"comment": "请审核"})

    assert response["Location"] == reverse("need_detail", args=[need.pk])
    need.refresh_from_db()
    assert need.state == "submitted"


def test_a_pending_organisation_cannot_submit_and_is_told_why(client, org_a) -> None:
    org_a.state = Organization.State.PENDING
    org_a.save()
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organization=org_a)
    client.force_login(user)
    need = complete_need(org_a)
    url = reverse("transition", kwargs={"kind": "needs", "pk": need.pk, "name": "submit"})
    page = client.post(url, {}, **EN).content.decode()
    assert "only a verified organisation can" in page
    assert TechnicalNeed.objects.get(pk=need.pk).state == "draft"


def test_a_returned_need_shows_the_reviewers_comment_beside_its_form_and_is_resubmitted(
    as_chen, org_a, reviewer
) -> None:
    need = complete_need(org_a, state="submitted")
    need_start_review(need=need, actor=reviewer)
    need_return(need=need, actor=reviewer, comment="请补充测试方法的标准编号。")

    for url in (
        reverse("need_detail", args=[need.pk]),
        reverse("need_part", args=[need.pk, "problem"]),
        reverse("need_indicators", args=[need.pk]),
    ):
        page = as_chen.get(url).content.decode()
        assert "请补充测试方法的标准编号。" in page, url

    as_chen.post(
        reverse("need_part", args=[need.pk, "problem"]),
        {
            "problem": "低温下精度漂移。",
            "key_technology": "MEMS",
            "goals": "两年量产",
            "then": "list",
        },
    )
    url = reverse("transition", kwargs={"kind": "needs", "pk": need.pk, "name": "resubmit"})
    as_chen.post(url, {"comment": "已补充"})
    need.refresh_from_db()
    assert need.state == "submitted"
    assert need.problem == "低温下精度漂移。"


def test_a_need_is_withdrawn_before_publication(as_chen, org_a) -> None:
    need = complete_need(org_a, state="submitted")
    detail = as_chen.get(reverse("need_detail", args=[need.pk])).content.decode()
    url = reverse("transition", kwargs={"kind": "needs", "pk": need.pk, "name": "withdraw"})
    assert url in detail
    as_chen.post(url, {"comment": "需求已内部解决"})
    assert TechnicalNeed.objects.get(pk=need.pk).state == "withdrawn"


def test_a_submitted_need_can_no_longer_be_edited(as_chen, org_a) -> None:
    need = complete_need(org_a, state="submitted")
    response = as_chen.post(
        reverse("need_part", args=[need.pk, "overview"]), _overview(title="改名")
    )
    assert response.status_code == 302
    assert TechnicalNeed.objects.get(pk=need.pk).title != "改名"


def test_the_timeline_reads_transitions_and_states_in_the_readers_language(
    as_chen, org_a, reviewer
) -> None:
    need = complete_need(org_a, state="submitted")
    need_start_review(need=need, actor=reviewer, comment="开始审核")
    page = as_chen.get(reverse("need_detail", args=[need.pk]), **EN).content.decode()
    assert "Start reviewing" in page
    assert "in review" in page
    assert "开始审核" in page
    assert "wang.reviewer" in page


def test_enter_in_an_indicator_field_saves_rather_than_removes_a_row(as_chen, org_a) -> None:
    # The form's first submit button is the one Enter presses: a hidden "save as draft".
    need = factories.TechnicalNeedFactory(proposer=org_a)
    page = as_chen.get(reverse("need_indicators", args=[need.pk])).content.decode()
    first = page.index('type="submit"', page.index('name="rows"'))
    assert 'name="then" value="list"' in page[first : first + 60]
