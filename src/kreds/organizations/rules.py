"""Who may do what in an organization, as `rules` predicates used by name.

Predicates take (person, organization). Roles are read from the database on every
request, so removing a role takes effect at once.
"""

import rules

from kreds.organizations.models import RoleKind
from kreds.organizations.queries import role_kinds


@rules.predicate
def is_coordinator(person, organization) -> bool:
    return RoleKind.COORDINATOR in role_kinds(person, organization)


@rules.predicate
def is_org_admin(person, organization) -> bool:
    return RoleKind.ADMIN in role_kinds(person, organization)


@rules.predicate
def is_starter(person, organization) -> bool:
    return RoleKind.STARTER in role_kinds(person, organization)


is_staff_member = is_coordinator | is_org_admin

rules.add_perm("organizations.manage", is_staff_member)
rules.add_perm("organizations.administer", is_org_admin)
