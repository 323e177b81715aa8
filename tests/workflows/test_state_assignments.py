"""Only the workflows change a ``state``: nothing else in ``projects/`` assigns one.

Constructing a row with a ``state=`` keyword (``Model(state=…)``, ``objects.create(state=…)``)
stays allowed: the demo seed loader builds historical records that way. So does a dataclass
setting its own ``self.state`` (the demo's in-memory simulation): a dataclass is never a model.
Any other object that only looks like a record to this scan is waived line by line, visibly,
with a trailing ``# state-scan: not a model`` comment.
"""

from __future__ import annotations

import ast
from pathlib import Path

import projects

PROJECTS = Path(projects.__file__).resolve().parent
# The outbox is the state machine of a notification, kept with the notifications.
EXEMPT = (
    PROJECTS / "workflows",
    PROJECTS / "notifications" / "outbox.py",
    PROJECTS / "migrations",
)
BULK_WRITES = {"update", "bulk_update", "update_or_create"}
WAIVER = "# state-scan: not a model"


def _is_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "state"


def _targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        found: list[ast.AST] = []
        for target in node.targets:
            found.extend(_flatten(target))
        return found
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return _flatten(node.target)
    return []


def _flatten(target: ast.AST) -> list[ast.AST]:
    if isinstance(target, ast.Tuple | ast.List):
        return [leaf for element in target.elts for leaf in _flatten(element)]
    if isinstance(target, ast.Starred):
        return _flatten(target.value)
    return [target]


def _names_state(node: ast.AST) -> bool:
    """A literal "state" key or list item, as in ``update(**{"state": …})`` or
    ``bulk_update(rows, ["state"])``."""
    return any(isinstance(leaf, ast.Constant) and leaf.value == "state" for leaf in ast.walk(node))


def _is_dataclass(node: ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        function = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        if name == "dataclass":
            return True
    return False


def _own_dataclass_fields(tree: ast.AST) -> set[int]:
    """Ids of ``self.state`` targets written inside a dataclass's own methods."""
    own: set[int] = set()
    for cls in ast.walk(tree):
        if not (isinstance(cls, ast.ClassDef) and _is_dataclass(cls)):
            continue
        for node in ast.walk(cls):
            for target in _targets(node):
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    if target.value.id == "self":
                        own.add(id(target))
    return own


def _offences(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    own = _own_dataclass_fields(tree)
    for node in ast.walk(tree):
        for target in _targets(node):
            if _is_state(target) and id(target) not in own:
                found.append((node.lineno, "assigns .state"))
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id == "setattr":
            if len(node.args) >= 2 and _names_state(node.args[1]):
                found.append((node.lineno, 'setattr(…, "state", …)'))
        if isinstance(function, ast.Attribute) and function.attr in BULK_WRITES:
            keywords = {keyword.arg for keyword in node.keywords}
            unpacked = [keyword.value for keyword in node.keywords if keyword.arg is None]
            listed = node.args[1:] if function.attr == "bulk_update" else []
            defaults = [k.value for k in node.keywords if k.arg in ("defaults", "create_defaults")]
            if "state" in keywords or any(
                _names_state(value) for value in unpacked + listed + defaults
            ):
                found.append((node.lineno, f".{function.attr}(state=…)"))
    return found


def _scanned_files() -> list[Path]:
    return sorted(
        path
        for path in PROJECTS.rglob("*.py")
        if not any(path.is_relative_to(exempt) for exempt in EXEMPT)
    )


def _unwaived(source: str) -> list[tuple[int, str]]:
    lines = source.splitlines()
    return [
        (line, what)
        for line, what in _offences(ast.parse(source))
        if not lines[line - 1].rstrip().endswith(WAIVER)
    ]


def test_no_code_outside_the_workflows_assigns_a_state() -> None:
    offences = [
        f"{path.relative_to(PROJECTS.parent)}:{line}: {what}"
        for path in _scanned_files()
        for line, what in _unwaived(path.read_text(encoding="utf-8"))
    ]
    assert offences == [], "state changes belong in projects/workflows/:\n" + "\n".join(offences)


def test_the_scan_finds_each_kind_of_state_write() -> None:
    source = """
need.state = "published"
need.state += "x"
a, b.state = 1, 2
setattr(need, "state", "published")
TechnicalNeed.objects.filter(pk=1).update(state="published")
TechnicalNeed.objects.filter(pk=1).update(**{"state": "published"})
TechnicalNeed.objects.bulk_update(needs, ["state"])
TechnicalNeed.objects.update_or_create(pk=1, defaults={"state": "published"})

class NotADataclass:
    def happen(self, need):
        self.state = need.state
"""
    assert [line for line, _what in _offences(ast.parse(source))] == [
        2, 3, 4, 5, 6, 7, 8, 9, 13
    ]  # fmt: skip


def test_the_scan_allows_constructing_rows_with_a_state() -> None:
    source = """
TechnicalNeed(title="x", state="published")
TechnicalNeed.objects.create(title="x", state="published")
TechnicalNeed.objects.bulk_create([TechnicalNeed(state="matched")])
TechnicalNeed.objects.filter(state="published").update(title="y")
state = need.state

@dataclass(slots=True)
class SimulatedRecord:
    state: str

    def happen(self, to_state):
        self.state = to_state
"""
    assert _offences(ast.parse(source)) == []


def test_a_waived_line_is_skipped_and_only_that_line() -> None:
    source = """
simulated.state = "pending"  # state-scan: not a model
need.state = "published"
"""
    assert _unwaived(source) == [(3, "assigns .state")]


def test_the_scan_covers_the_tree() -> None:
    scanned = {path.relative_to(PROJECTS).as_posix() for path in _scanned_files()}
    assert "notifications/delivery.py" in scanned
    assert "notifications/outbox.py" not in scanned
    assert "models/needs.py" in scanned
    assert not any(path.startswith(("workflows/", "migrations/")) for path in scanned)
