"""Bulk import and export in the back office: a dry run that lists each bad row (number, field,
message) and writes nothing, an all-or-nothing import checked by the workflows' rules, and
exports of the filtered list with spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects import clock
from projects.admin.imports import TransferContractResource, neutralised
from projects.models import Certification, Organization, TransferContract
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = (
    "registration_number,kind,seller_credit_code,buyer_credit_code,title,contract_amount,"
    "technology_transaction_amount,signed_on,submitted_on,registered_on"
)


@pytest.fixture
def parties() -> tuple[Organization, Organization, Organization]:
    seller = factories.OrganizationFactory(name="重庆大学", kind="university")
    buyer = factories.OrganizationFactory(name="重庆长安汽车股份有限公司")
    pending = factories.OrganizationFactory(name="待核验企业", state="pending")
    return seller, buyer, pending


def _import(client: Any, model: str, name: str, content: bytes, fmt: int = 0) -> Any:
    upload = SimpleUploadedFile(name, content)
    return client.post(
        reverse(f"admin:projects_{model}_import"),
        {"format": fmt, "import_file": upload, "resource": 0},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _confirm(client: Any, model: str, page: Any) -> Any:
    form = page.context["confirm_form"]
    return client.post(
        reverse(f"admin:projects_{model}_process_import"),
        {name: form.initial.get(name, "") for name in form.fields},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )


def _row_errors(page: Any) -> list[tuple[int, str, str]]:
    result = page.context["result"]
    found = []
    for row in result.invalid_rows:
        for field, messages in row.field_specific_errors.items():
            found += [(row.number, field, str(m)) for m in messages]
        found += [(row.number, "", str(m)) for m in row.non_field_specific_errors]
    return found


def test_a_malformed_contract_file_reports_each_bad_row_and_writes_nothing(
    client: Any, parties: Any
) -> None:
    seller, buyer, pending = parties
    today = clock.today()
    rows = [
        f",development,{seller.credit_code},{buyer.credit_code},好合同,100000,90000,2024-03-01,2024-03-05,",
        f",development,91500000ABCDEFGHIJ,{buyer.credit_code},坏代码,100000,90000,2024-03-01,2024-03-05,",
        f",licensing,{seller.credit_code},{buyer.credit_code},负数,-5,0,2024-03-01,2024-03-05,",
        f",transfer,{seller.credit_code},{buyer.credit_code},超额,100,200,2024-03-01,2024-03-05,",
        f",barter,{seller.credit_code},{buyer.credit_code},未知类型,100,50,2024-03-01,2024-03-05,",
        f",service,{pending.credit_code},{buyer.credit_code},未核验卖方,100,50,2024-03-01,2024-03-05,",
        f",service,{seller.credit_code},{buyer.credit_code},日期错,100,50,03/01/2024,2024-03-05,",
        f",service,{seller.credit_code},{seller.credit_code},自买自卖,100,50,2024-03-01,2024-03-05,",
        f",service,{seller.credit_code},{buyer.credit_code},未来,100,50,2024-03-01,"
        f"{today + datetime.timedelta(days=400)},",
    ]
    client.force_login(factories.registrar_user())

    page = _import(client, "transfercontract", "contracts.csv", "\n".join([HEADER, *rows]).encode())

    assert page.status_code == 200
    errors = _row_errors(page)
    numbers = {number for number, _field, _message in errors}
    assert numbers == {2, 3, 4, 5, 6, 7, 8, 9}
    by_row = {number: (field, message) for number, field, message in errors}
    assert by_row[2][0] == "seller" and "credit code" in by_row[2][1]
    assert by_row[3] == ("contract_amount", "An amount cannot be negative.")
    assert by_row[4][0] == "technology_transaction_amount"
    assert by_row[5][0] == "kind" and "barter" in by_row[5][1]
    assert by_row[6][0] == "seller" and "verified" in by_row[6][1]
    assert by_row[7][0] == "signed_on" and "YYYY-MM-DD" in by_row[7][1]
    assert "different organisations" in by_row[8][1]
    assert "future" in by_row[9][1]
    html = page.content.decode()
    assert "An amount cannot be negative." in html
    # In plain sight, one line per error (the package shows them only on hovering a count).
    assert (
        "<tr><td>3</td><td><code>contract_amount</code></td>"
        "<td>An amount cannot be negative.</td></tr>"
    ) in html
    assert 'name="import_file_name"' not in html  # nothing to confirm
    assert not TransferContract.objects.exists()


def test_a_clean_contract_file_is_imported_after_its_dry_run(client: Any, parties: Any) -> None:
    seller, buyer, _pending = parties
    content = "\n".join(
        [
            HEADER,
            f"2024500106000001,development,{seller.credit_code},{buyer.credit_code},已登记合同,6000000,5200000,2024-03-01,2024-03-05,2024-03-20",
            f",consulting,{seller.credit_code},{buyer.credit_code},待登记合同,120000.50,100000,2024-03-01,2024-03-05,",
        ]
    ).encode()
    client.force_login(factories.registrar_user())

    page = _import(client, "transfercontract", "contracts.csv", content)
    assert _row_errors(page) == []
    assert not TransferContract.objects.exists()  # the dry run wrote nothing
    _confirm(client, "transfercontract", page)

    registered = TransferContract.objects.get(registration_number="2024500106000001")
    assert registered.state == "registered" and registered.district == seller.district
    assert registered.registered_on == datetime.date(2024, 3, 20)
    waiting = TransferContract.objects.get(title="待登记合同")
    assert waiting.state == "submitted" and waiting.registration_due_on is not None
    assert waiting.contract_amount == Decimal("120000.50")


def test_a_file_that_stops_passing_after_its_dry_run_imports_nothing(
    client: Any, parties: Any
) -> None:
    seller, buyer, _pending = parties
    content = "\n".join(
        [
            HEADER,
            f",development,{seller.credit_code},{buyer.credit_code},甲,100,50,2024-03-01,2024-03-05,",
            f",development,{buyer.credit_code},{seller.credit_code},乙,100,50,2024-03-01,2024-03-05,",
        ]
    ).encode()
    client.force_login(factories.registrar_user())
    page = _import(client, "transfercontract", "contracts.csv", content)
    assert _row_errors(page) == []

    Organization.objects.filter(pk=buyer.pk).update(state="rejected")
    done = _confirm(client, "transfercontract", page)

    assert not TransferContract.objects.exists()
    assert "Nothing was imported" in done.content.decode()


def test_organisations_from_xlsx_with_a_bad_credit_code_import_nothing(client: Any) -> None:
    good = factories.make_credit_code("500106", 777)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "credit_code", "kind", "district", "pole", "industry"])
    sheet.append(["重庆新材料科技有限公司", good, "enterprise", "500106", "materials", "新材料"])
    sheet.append(["校验位错误公司", bad, "enterprise", "500106", "", ""])
    sheet.append(
        ["区县错误公司", factories.make_credit_code("500106", 778), "enterprise", "999999", "", ""]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(factories.reviewer_only_user())

    page = _import(client, "organization", "orgs.xlsx", buffer.getvalue(), fmt=1)

    errors = _row_errors(page)
    assert [(n, f) for n, f, _m in errors] == [(2, "credit_code"), (3, "district")]
    assert not Organization.objects.exists()
    sheet.delete_rows(3, 2)
    buffer = io.BytesIO()
    book.save(buffer)
    page = _import(client, "organization", "orgs.xlsx", buffer.getvalue(), fmt=1)
    _confirm(client, "organization", page)
    assert Organization.objects.get().state == "pending"


def test_districts_and_poles_may_be_given_by_name_and_a_wrong_one_is_named(client: Any) -> None:
    rows = [
        ["name", "credit_code", "kind", "district", "pole", "industry"],
        [
            "北碚名称公司",
            factories.make_credit_code("500109", 801),
            "enterprise",
            "北碚区",
            "数智科技",
            "",
        ],
        ["英文名称公司", factories.make_credit_code("500109", 802), "enterprise", "Beibei", "", ""],
        ["未知区县公司", factories.make_credit_code("500109", 803), "enterprise", "北陪区", "", ""],
        [
            "未知高地公司",
            factories.make_credit_code("500109", 804),
            "enterprise",
            "500109",
            "x",
            "",
        ],
    ]
    content = "\n".join(",".join(row) for row in rows).encode()
    client.force_login(factories.reviewer_only_user())

    page = _import(client, "organization", "orgs.csv", content)

    errors = _row_errors(page)
    assert [(n, f) for n, f, _m in errors] == [(3, "district"), (4, "pole")]
    district_error, pole_error = errors[0][2], errors[1][2]
    # Not the 38 codes: an example of what is accepted.
    assert "北陪区" in district_error and "500101 (Wanzhou)" in district_error
    assert "500243" not in district_error
    assert "digital (digital and intelligent technology)" in pole_error
    assert not Organization.objects.exists()
    rows[3:] = []
    page = _import(
        client, "organization", "orgs.csv", "\n".join(",".join(r) for r in rows).encode()
    )
    _confirm(client, "organization", page)
    assert sorted(Organization.objects.values_list("district", "pole")) == [
        ("500109", ""),
        ("500109", "digital"),
    ]


def test_certifications_import_checks_dates_and_numbers(client: Any) -> None:
    holder = factories.OrganizationFactory()
    factories.CertificationFactory(organization=holder, kind="high_tech", number="GR202450000001")
    content = "\n".join(
        [
            "organization_credit_code,kind,number,valid_from,valid_until",
            f"{holder.credit_code},high_tech,GR202450000001,2024-01-01,2026-12-31",
            f"{holder.credit_code},tech_enterprise,202450010600001,2024-05-01,2024-01-01",
            f"{holder.credit_code},tech_enterprise,202450010600002,2024-05-01,2025-04-30",
        ]
    ).encode()
    client.force_login(factories.reviewer_only_user())

    page = _import(client, "certification", "certs.csv", content)

    assert [(n, f) for n, f, _m in _row_errors(page)] == [(1, "number"), (2, "valid_until")]
    assert Certification.objects.count() == 1


def test_only_the_role_of_the_records_may_import(client: Any) -> None:
    client.force_login(factories.reviewer_only_user())
    assert client.get(reverse("admin:projects_transfercontract_import")).status_code == 403
    client.force_login(factories.manager_user())
    assert client.get(reverse("admin:projects_organization_import")).status_code == 403


def test_an_export_writes_the_filtered_list_with_formulas_neutralised(client: Any) -> None:
    factories.TransferContractFactory(title='=HYPERLINK("http://evil","点我")')
    factories.TransferContractFactory(title="@SUM(A1:A9)", state="registered")
    client.force_login(factories.manager_user())

    response = client.post(
        reverse("admin:projects_transfercontract_export") + "?state__exact=submitted",
        {"format": 0, "resource": 0, **_all_export_fields()},
    )

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = [row[rows[0].index("title")] for row in rows[1:]]
    assert titles == ['\'=HYPERLINK("http://evil","点我")']
    assert neutralised("-12.50") == "-12.50" and neutralised("+86 23") == "'+86 23"


def _all_export_fields() -> dict[str, str]:
    resource = TransferContractResource()
    return {f"transfercontractresource_{name}": "on" for name in resource.fields}
