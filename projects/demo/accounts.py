"""The demo's accounts: five people to log in as (an enterprise member and one person per
staff role), and the bureau's officers who signed the records' history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from projects.roles import DECIDING_ROLES, MANAGER, PROJECT_OFFICER, REGISTRAR, REVIEWER, role_group


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str
    last_name: str
    first_name: str
    email: str


# Published on purpose: the command prints them, a demo database is meant to be shared.
DEMO_ACCOUNTS = (
    DemoAccount(
        "enterprise",
        "demo.enterprise",
        "Jialing-River-2025",
        "陈",
        "晓雯",
        "chen.xiaowen@example.cn",
    ),
    DemoAccount("reviewer", "demo.reviewer", "Jinfeng-Lab-7421", "何", "佳", "he.jia@example.cn"),
    DemoAccount("manager", "demo.manager", "Mingyue-Lake-9034", "赵", "磊", "zhao.lei@example.cn"),
    DemoAccount(
        "registrar", "demo.registrar", "Liangjiang-Area-5186", "冉", "欣", "ran.xin@example.cn"
    ),
    DemoAccount(
        "project_officer",
        "demo.officer",
        "Science-City-3307",
        "邓",
        "宇",
        "deng.yu@example.cn",
    ),
)
ENTERPRISE_ACCOUNT, REVIEWER_ACCOUNT, MANAGER_ACCOUNT, REGISTRAR_ACCOUNT, OFFICER_ACCOUNT = (
    DEMO_ACCOUNTS
)
# The staff role each demo account logs in with (projects.roles).
_ROLE_GROUPS = {
    "reviewer": REVIEWER,
    "manager": MANAGER,
    "registrar": REGISTRAR,
    "project_officer": PROJECT_OFFICER,
}

# The bureau's other reviewers, who did most of the past reviews (they cannot log in).
REVIEWER_POOL = (
    ("kjj.wangjing", "王", "静"),
    ("kjj.liuyang", "刘", "洋"),
    ("kjj.lina", "李", "娜"),
    ("kjj.zhanglei", "张", "磊"),
    ("kjj.chenxi", "陈", "曦"),
    ("kjj.yangfan", "杨", "帆"),
    ("kjj.zhoumin", "周", "敏"),
    ("kjj.ranhao", "冉", "浩"),
)
STAFF_USERNAMES = tuple(a.username for a in DEMO_ACCOUNTS) + tuple(u for u, _l, _f in REVIEWER_POOL)


def demo_accounts_ensure() -> dict[str, AbstractUser]:
    """Create the demo accounts, or restore them (password, staff flag, group) so that the
    printed credentials work; returns them by role."""
    groups = {role: role_group(name) for role, name in _ROLE_GROUPS.items()}
    users: dict[str, AbstractUser] = {}
    for account in DEMO_ACCOUNTS:
        user = _staff_or_member(
            account.username, account.last_name, account.first_name, account.email
        )
        user.is_staff = account.role != "enterprise"
        user.is_active = True
        validate_password(account.password, user)
        user.set_password(account.password)
        user.save()
        if account.role in groups:
            user.groups.add(groups[account.role])
        users[account.role] = user
    return users


def reviewer_pool_ensure() -> list[int]:
    # They signed every kind of decision in the records' history.
    groups = [role_group(name) for name in DECIDING_ROLES]
    ids = []
    for username, last_name, first_name in REVIEWER_POOL:
        user = _staff_or_member(username, last_name, first_name, f"{username}@kjj.example.cn")
        if user.pk is None:
            user.set_unusable_password()
        user.is_staff = True
        user.save()
        user.groups.add(*groups)
        ids.append(user.pk)
    return ids


def _staff_or_member(username: str, last_name: str, first_name: str, email: str) -> User:
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is None:
        user = model(username=username)
    user.last_name, user.first_name, user.email = last_name, first_name, email
    return user
