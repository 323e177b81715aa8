"""The four staff roles as groups with exact permissions (projects.roles).

A frozen copy of the table as it was when the roles were split: later changes come with their
own migration. The groups "reviewers" and "managers" made before are renamed; the former
reviewers did every decision, so they keep them through the three deciding roles until an
administrator narrows each account.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    'Reviewer': ['add_certification', 'add_needapplication', 'add_organization', 'add_technicalneed',
 'change_certification', 'change_membership', 'change_needapplication', 'change_notification',
 'change_organization', 'change_technicalneed', 'review_needapplication',
 'review_technicalneed', 'verify_organization', 'view_certification', 'view_membership',
 'view_needapplication', 'view_needattachment', 'view_needindicator', 'view_notification',
 'view_organization', 'view_technicalneed', 'view_transitionlog'],
    'Registrar': ['add_transfercontract', 'change_notification', 'change_transfercontract',
 'register_transfercontract', 'view_notification', 'view_organization', 'view_researchproject',
 'view_technicalneed', 'view_transfercontract', 'view_transitionlog'],
    'Project officer': ['add_bottleneck', 'add_fundingallocation', 'add_innovationplatform', 'add_projectparticipant',
 'add_researchproject', 'add_yearlystatistic', 'assess_bottleneck', 'change_bottleneck',
 'change_fundingallocation', 'change_innovationplatform', 'change_notification',
 'change_projectparticipant', 'change_researchproject', 'change_yearlystatistic',
 'supervise_researchproject', 'view_bottleneck', 'view_fundingallocation',
 'view_innovationplatform', 'view_notification', 'view_organization',
 'view_projectparticipant', 'view_researchproject', 'view_technicalneed', 'view_transitionlog',
 'view_yearlystatistic'],
    'Manager': ['add_indicatorrun', 'publish_indicators', 'view_bottleneck', 'view_certification',
 'view_fundingallocation', 'view_indicatorrevision', 'view_indicatorrun',
 'view_indicatorvalue', 'view_innovationplatform', 'view_membership', 'view_needapplication',
 'view_needattachment', 'view_needindicator', 'view_notification', 'view_organization',
 'view_projectparticipant', 'view_publishedfigure', 'view_researchproject',
 'view_technicalneed', 'view_transfercontract', 'view_transitionlog', 'view_yearlystatistic'],
}
DECIDING = ("Reviewer", "Registrar", "Project officer")


def _permissions_exist(apps):
    # Permissions are created after migrate; this migration needs them now (a new database).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def forwards(apps, schema_editor):
    from projects.roles import role_groups_refresh

    _permissions_exist(apps)
    group_model = apps.get_model("auth", "Group")
    old_reviewers = group_model.objects.filter(name="reviewers").first()
    old_managers = group_model.objects.filter(name="managers").first()
    if old_managers is not None and not group_model.objects.filter(name="Manager").exists():
        old_managers.name = "Manager"
        old_managers.save()
    role_groups_refresh(apps=apps, roles={name: frozenset(c) for name, c in ROLES.items()})
    if old_reviewers is not None:
        users = list(old_reviewers.user_set.all())
        for name in DECIDING:
            group_model.objects.get(name=name).user_set.add(*users)
        old_reviewers.delete()


def backwards(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    group_model.objects.filter(name__in=[*DECIDING, "Manager"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_domain_constraints"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
