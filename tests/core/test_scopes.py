"""django-scopes on every tenant-owned model, and `scopes_disabled()` only where allowed.

The models come from the app registry, so a model in an app added tomorrow is checked
tomorrow: if any chain of foreign keys leads from it to Organization, its default
manager must be a ScopedManager whose `organization` path really ends at Organization.
"""

import re
from pathlib import Path

import pytest
from django.db import models
from django_scopes import ScopeError, scope

from kreds.core.data_classes import model_key, project_models
from kreds.organizations.models import Organization

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "kreds"
STRUCTURE = ROOT / "docs" / "structure.md"
MAX_DEPTH = 4

# The only modules that may switch scopes off, each for a commented reason (docs/structure.md,
# "How a request finds its organization"). Add a file here only together with the docs.
SCOPES_DISABLED_ALLOWED = {
    "organizations/queries.py": "builds a person's scope from their own rows",
    "demo/loader.py": "writes both demo organizations",
    "core/fields.py": "rotate_model re-encrypts every row with the newest key",
    "audit/services.py": "pseudonymise_actor renames an erased person across organizations",
    # A person's rights cover their rows in every organization; each query filters on them.
    "privacy/own_rows.py": "exports and erases the person's own rows in every organization",
    "privacy/rows.py": "the shared helper of own_rows: rows filtered on the person",
    "privacy/registry.py": "finds which audited objects are the person's own rows",
    "privacy/queries.py": "lists the person's own consents in every organization",
    "privacy/services.py": "the organizations where the person has any row, for erasure",
    "privacy/retention.py": "the daily run walks every organization, one at a time",
}


def scope_path(model, manager=None) -> str | None:
    """The `organization` lookup of the model's (or manager's) ScopedManager, or None."""
    get_queryset = type(manager or model._default_manager).get_queryset
    cells = dict(
        zip(
            get_queryset.__code__.co_freevars,
            (cell.cell_contents for cell in get_queryset.__closure__ or ()),
            strict=True,
        )
    )
    scopes = cells.get("scopes")
    return scopes.get("organization") if isinstance(scopes, dict) else None


def path_to_organization(model) -> str | None:
    """The shortest chain of forward foreign keys from `model` to Organization."""
    frontier = [(model, "")]
    for _depth in range(MAX_DEPTH):
        following = []
        for current, path in frontier:
            for field in current._meta.concrete_fields:
                if not isinstance(field, models.ForeignKey):
                    continue
                here = f"{path}__{field.name}" if path else field.name
                if field.related_model is Organization:
                    return here
                following.append((field.related_model, here))
        frontier = following
    return None


def model_at_end(model, path: str):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


TENANT_MODELS = [
    model
    for model in project_models()
    if model is not Organization and path_to_organization(model) is not None
]


def test_tenant_models_are_found():
    names = {model_key(model) for model in TENANT_MODELS}
    assert {"groups.Group", "groups.GroupMembership", "organizations.Topic"} <= names


@pytest.mark.parametrize("model", TENANT_MODELS, ids=model_key)
def test_tenant_model_uses_a_scoped_manager_ending_at_organization(model):
    path = scope_path(model)
    assert path is not None, (
        f"{model_key(model)} reaches Organization through {path_to_organization(model)} but "
        "its default manager is not a django_scopes ScopedManager(organization=...)"
    )
    assert model_at_end(model, path) is Organization, f"{model_key(model)}: {path}"
    unscoped = [m.name for m in model._meta.managers if scope_path(model, m) is None]
    assert not unscoped, f"{model_key(model)} has managers without a scope: {unscoped}"


@pytest.mark.parametrize("model", TENANT_MODELS, ids=model_key)
def test_tenant_model_refuses_queries_outside_a_scope(model, db):
    with scope(), pytest.raises(ScopeError):
        list(model.objects.all())


# --- scopes_disabled() only where allowed ---------------------------------------------------

USE = re.compile(r"\bscopes_disabled\b|with_scopes_disabled\b")


def files_using_scopes_disabled() -> set[str]:
    return {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and USE.search(path.read_text(encoding="utf-8"))
    }


def test_scopes_disabled_only_in_the_allow_list():
    unexpected = sorted(files_using_scopes_disabled() - set(SCOPES_DISABLED_ALLOWED))
    assert not unexpected, (
        f"scopes_disabled() in {unexpected}: outside the allow-list. If the use is needed, "
        "add the file with its reason to SCOPES_DISABLED_ALLOWED in tests/core/test_scopes.py "
        "and to the list in docs/structure.md; otherwise query inside the request's scope."
    )


def test_allow_list_matches_the_documented_list():
    text = STRUCTURE.read_text(encoding="utf-8")
    undocumented = sorted(
        name
        for name in SCOPES_DISABLED_ALLOWED
        if f"`{name}`" not in text and f"`{name.split('/')[0]}/`" not in text
    )
    assert not undocumented, f"allowed but not listed in docs/structure.md: {undocumented}"


def test_allow_list_has_no_stale_entries():
    stale = sorted(set(SCOPES_DISABLED_ALLOWED) - files_using_scopes_disabled())
    assert not stale, f"no longer use scopes_disabled(): remove {stale} from the allow-list"


def test_each_allowed_use_says_why():
    """Every `with scopes_disabled()` has a comment or docstring line nearby that says why."""
    silent = []
    for name in SCOPES_DISABLED_ALLOWED:
        lines = (SRC / name).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if "scopes_disabled()" in line and "import" not in line:
                before = "\n".join(lines[max(0, number - 12) : number + 1])
                if not re.search(r"#|\"\"\"|allow", before, re.IGNORECASE):
                    silent.append(f"{name}:{number + 1}")
    assert not silent, f"scopes_disabled() without a reason nearby: {silent}"
