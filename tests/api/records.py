"""Organisation A's records, one of each type, for the API's persona tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projects.models import (
    Bottleneck,
    Certification,
    InnovationPlatform,
    NeedApplication,
    Organization,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
)
from tests import factories
from tests.selectors.helpers import need_in


@dataclass
class RecordsOfA:
    need: TechnicalNeed  # a draft: nobody but A and staff sees it
    published_need: TechnicalNeed
    application: NeedApplication  # by a third organisation, to A's published need
    project: ResearchProject
    contract: TransferContract
    certification: Certification
    bottleneck: Bottleneck
    platform: InnovationPlatform
    organization: Organization

    def url(self, name: str) -> str:
        record: Any = getattr(self, name)
        collection = {
            "need": "needs",
            "published_need": "needs",
            "application": "applications",
            "project": "projects",
            "contract": "contracts",
            "certification": "certifications",
            "bottleneck": "bottlenecks",
            "platform": "platforms",
            "organization": "organisations",
        }[name]
        return f"/api/v1/{collection}/{record.pk}/"


def records_of(org_a: Organization) -> RecordsOfA:
    need = factories.TechnicalNeedFactory(proposer=org_a, title="A的草稿需求")
    published = need_in(TechnicalNeed.State.PUBLISHED, proposer=org_a, title="A的已发布需求")
    for _ in range(5):
        factories.NeedIndicatorFactory(need=need)
    application = factories.NeedApplicationFactory(need=published)
    project = factories.ResearchProjectFactory(lead=org_a)
    factories.FundingAllocationFactory(project=project, organization=org_a)
    contract = factories.TransferContractFactory(seller=org_a)
    return RecordsOfA(
        need=need,
        published_need=published,
        application=application,
        project=project,
        contract=contract,
        certification=factories.CertificationFactory(organization=org_a),
        bottleneck=factories.BottleneckFactory(),
        platform=factories.InnovationPlatformFactory(host=org_a),
        organization=org_a,
    )
