"""The access policy: for every URL name, who may open it.

One table for the whole project. `AccessPolicyMiddleware` enforces it on every request,
and the authorization-matrix test walks every URL pattern and fails on a name missing
here. Object-level checks (is this group yours?) stay in each app's access helpers.

Levels:
- PUBLIC: anyone, logged in or not.
- PERSON: any logged-in person; anonymous visitors are sent to log in.
- STAFF: coordinators and admins of the organization in the URL; anonymous visitors are
  sent to log in, everyone else gets 404 (never 403: we do not confirm what exists).
- ORG_ADMIN: admins of the organization in the URL, otherwise as STAFF.
- ACCOUNTS: django-allauth's own pages (login, sign-up, reset, MFA), guarded by allauth.
- SUPERUSER: Django's technical admin, for the people who run the installation.
"""

from enum import StrEnum


class Access(StrEnum):
    PUBLIC = "public"
    PERSON = "person"
    STAFF = "staff"
    ORG_ADMIN = "org_admin"
    ACCOUNTS = "accounts"
    SUPERUSER = "superuser"


ACCESS_POLICY: dict[str, Access] = {
    # Public site
    "public:organizations": Access.PUBLIC,
    "public:home": Access.PUBLIC,
    "public:what_is": Access.PUBLIC,
    "public:how_it_works": Access.PUBLIC,
    "public:find_group": Access.PUBLIC,
    "public:contact": Access.PUBLIC,
    "groups:public_detail": Access.PUBLIC,
    "set_language": Access.PUBLIC,
    # A person's own pages
    "people:my_page": Access.PERSON,
    "people:profile_edit": Access.PERSON,
    # A person's rights: their data, consents and erasure (kreds.privacy)
    "privacy:my_data": Access.PERSON,
    "privacy:my_data_download": Access.PERSON,
    "privacy:consent_withdraw": Access.PERSON,
    "privacy:erase_account": Access.PERSON,
    "privacy:erased": Access.PUBLIC,
    # Sign-in security (accounts and sessions)
    "security:overview": Access.PERSON,
    # Coordinator area
    "organizations:manage_dashboard": Access.STAFF,
    "organizations:topic_list": Access.STAFF,
    "organizations:topic_create": Access.STAFF,
    "organizations:topic_edit": Access.STAFF,
    "organizations:age_band_list": Access.STAFF,
    "organizations:age_band_create": Access.STAFF,
    "organizations:age_band_edit": Access.STAFF,
    "organizations:people_list": Access.STAFF,
    "organizations:settings_edit": Access.ORG_ADMIN,
    # Role management (accounts and sessions): organization admins only
    "organizations:role_grant": Access.ORG_ADMIN,
    "organizations:role_remove": Access.ORG_ADMIN,
    "organizations:person_end_sessions": Access.ORG_ADMIN,
    "groups_manage:list": Access.STAFF,
    "groups_manage:create": Access.STAFF,
    "groups_manage:detail": Access.STAFF,
    "groups_manage:edit": Access.STAFF,
    "meetings:venue_list": Access.STAFF,
    "meetings:venue_create": Access.STAFF,
    "meetings:venue_edit": Access.STAFF,
    "audit:list": Access.ORG_ADMIN,
    # Forming groups (kreds.placement): proposals and offers for coordinators; a person
    # answers their own offers (object-level check: someone else's offer is 404)
    "placement:runs": Access.STAFF,
    "placement:run_start": Access.STAFF,
    "placement:run_detail": Access.STAFF,
    "placement:run_progress": Access.STAFF,
    "placement:run_move": Access.STAFF,
    "placement:run_accept": Access.STAFF,
    "placement:capacity_list": Access.STAFF,
    "placement:capacity_edit": Access.STAFF,
    "placement:group_offers": Access.STAFF,
    "placement:my_offers": Access.PERSON,
    # Intake: applying (the person's side) and the intake pages (coordinators)
    "intake:apply": Access.PERSON,
    "intake:application_edit": Access.PERSON,
    "intake:application_withdraw": Access.PERSON,
    "intake_manage:list": Access.STAFF,
    "intake_manage:waiting_list": Access.STAFF,
    "intake_manage:detail": Access.STAFF,
    "organizations:municipality_list": Access.STAFF,
    "organizations:municipality_create": Access.STAFF,
    "organizations:municipality_edit": Access.STAFF,
}

# URL names owned by libraries, matched by prefix so a library upgrade that adds a page
# is still covered. Each prefix is listed with the level that guards it.
LIBRARY_PREFIXES: dict[str, Access] = {
    "account_": Access.ACCOUNTS,
    "mfa_": Access.ACCOUNTS,
    "usersessions_": Access.ACCOUNTS,
    "admin:": Access.SUPERUSER,
}

PERMISSION_FOR = {
    Access.STAFF: "organizations.manage",
    Access.ORG_ADMIN: "organizations.administer",
}


def access_for(view_name: str | None) -> Access | None:
    """The level guarding a URL name, or None when the table forgets it."""
    if view_name is None:
        return None
    if view_name in ACCESS_POLICY:
        return ACCESS_POLICY[view_name]
    for prefix, access in LIBRARY_PREFIXES.items():
        if view_name.startswith(prefix):
            return access
    return None
