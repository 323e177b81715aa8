"""The roles read the records added since the roles were split (projects.roles): requests to
join an organisation (reviewers read them and decide them through change_membership) and the
attachments of applications. A frozen copy of the table as it is now."""

from django.db import migrations

ROLES = {
    "Reviewer": [
        "add_certification",
        "add_needapplication",
        "add_organization",
        "add_technicalneed",
        "change_certification",
        "change_membership",
        "change_needapplication",
        "change_notification",
        "change_organization",
        "change_technicalneed",
        "review_needapplication",
        "review_technicalneed",
        "verify_organization",
        "view_applicationattachment",
        "view_certification",
        "view_membership",
        "view_membershiprequest",
        "view_needapplication",
        "view_needattachment",
        "view_needindicator",
        "view_notification",
        "view_organization",
        "view_technicalneed",
        "view_transitionlog",
    ],
    "Registrar": [
        "add_transfercontract",
        "change_notification",
        "change_transfercontract",
        "register_transfercontract",
        "view_notification",
        "view_organization",
        "view_researchproject",
        "view_technicalneed",
        "view_transfercontract",
        "view_transitionlog",
    ],
    "Project officer": [
        "add_bottleneck",
        "add_fundingallocation",
        "add_innovationplatform",
        "add_projectparticipant",
        "add_researchproject",
        "add_yearlystatistic",
        "assess_bottleneck",
        "change_bottleneck",
        "change_fundingallocation",
        "change_innovationplatform",
        "change_notification",
        "change_projectparticipant",
        "change_researchproject",
        "change_yearlystatistic",
        "supervise_researchproject",
        "view_bottleneck",
        "view_fundingallocation",
        "view_innovationplatform",
        "view_notification",
        "view_organization",
        "view_projectparticipant",
        "view_researchproject",
        "view_technicalneed",
        "view_transitionlog",
        "view_yearlystatistic",
    ],
    "Manager": [
        "add_indicatorrun",
        "publish_indicators",
        "view_applicationattachment",
        "view_bottleneck",
        "view_certification",
        "view_fundingallocation",
        "view_indicatorrevision",
        "view_indicatorrun",
        "view_indicatorvalue",
        "view_innovationplatform",
        "view_membership",
        "view_membershiprequest",
        "view_needapplication",
        "view_needattachment",
        "view_needindicator",
        "view_notification",
        "view_organization",
        "view_projectparticipant",
        "view_publishedfigure",
        "view_researchproject",
        "view_technicalneed",
        "view_transfercontract",
        "view_transitionlog",
        "view_yearlystatistic",
    ],
}


def _permissions_exist(apps):
    from django.contrib.auth.management import create_permissions

    # The new models' permissions are created after migrate; this migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def forwards(apps, schema_editor):
    from projects.roles import role_groups_refresh

    _permissions_exist(apps)
    role_groups_refresh(apps=apps, roles={name: frozenset(c) for name, c in ROLES.items()})


class Migration(migrations.Migration):
    dependencies = [("projects", "0014_indicatorrun_heartbeat")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
