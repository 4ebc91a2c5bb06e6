"""Two-step login for the demo's coordinators and admins, with one published secret.

Staff must log in in two steps (kreds.core.auth.StaffMfaMiddleware), so every demo person
with a coordinator or admin role gets an authenticator app with `DEMO_TOTP_SECRET`. Add
the secret to any authenticator app, or print the current code with `make demo-code`
(`manage.py demo_code`). The secret is public: it is for the demo only.
"""

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt

DEMO_TOTP_SECRET = "KREDSDEMOKREDSDEMOKREDSDEMO23456"  # noqa: S105 -- published, demo only
STAFF_ROLE_KINDS = {"coordinator", "admin"}


def give_demo_authenticator(person, role_kinds) -> None:
    """An authenticator app with the demo secret for demo staff (idempotent)."""
    if not STAFF_ROLE_KINDS & set(role_kinds):
        return
    Authenticator.objects.update_or_create(
        user=person,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}},
    )


def demo_code(now: float) -> str:
    """The six digits an authenticator app with the demo secret shows at `now`."""
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now) // app_settings.TOTP_PERIOD))
