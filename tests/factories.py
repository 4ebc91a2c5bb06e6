"""factory_boy factories for Kreds' models. Tenant-owned rows are created outside scopes."""

import datetime as dt

import factory
from django.utils import timezone
from i18nfield.strings import LazyI18nString

from kreds.groups.models import Group, GroupMembership, GroupStatus, MembershipRole
from kreds.meetings.models import Meeting, Venue, VenueKind
from kreds.organizations.models import AgeBand, AgeBandKind, Organization, Role, RoleKind, Topic
from kreds.people.models import Person

PASSWORD = "correct horse battery staple"
# The authenticator-app secret of every staff person in the tests (base32, as apps take it).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def i18n(text: str) -> LazyI18nString:
    return LazyI18nString({"da": f"{text} (da)", "nb": f"{text} (nb)", "en": text})


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Selvhjælp Test {n}")
    slug = factory.Sequence(lambda n: f"test-{n}")
    country = "DK"
    languages = factory.LazyFunction(lambda: ["da", "en"])
    time_zone = "Europe/Copenhagen"
    contact_email = factory.Sequence(lambda n: f"leder{n}@example.org")
    daily_leader_name = "Hanne"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    preferred_language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Mark the email verified (allauth), as after clicking the link."""
        if not create:
            return
        obj.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=obj,
            email=obj.email,
            defaults={"verified": extracted is not False, "primary": True},
        )


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    organization = factory.SubFactory(OrganizationFactory)
    person = factory.SubFactory(PersonFactory)
    kind = RoleKind.COORDINATOR


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: i18n(f"Topic {n}"))
    description = factory.LazyFunction(lambda: i18n("A topic description"))


class AgeBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgeBand

    organization = factory.SubFactory(OrganizationFactory)
    kind = AgeBandKind.ADULTS
    name = factory.LazyFunction(lambda: i18n("Adults"))
    min_age = 25
    max_age = 64


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Library {n}")
    kind = VenueKind.LIBRARY
    address = "Torvet 1"
    postal_code = "7400"
    municipality = "Herning"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    topic = factory.SubFactory(TopicFactory, organization=factory.SelfAttribute("..organization"))
    age_band = factory.SubFactory(
        AgeBandFactory, organization=factory.SelfAttribute("..organization")
    )
    venue = factory.SubFactory(VenueFactory, organization=factory.SelfAttribute("..organization"))
    status = GroupStatus.FORMING


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(PersonFactory)
    role = MembershipRole.PARTICIPANT
    joined_on = factory.LazyFunction(lambda: dt.date(2026, 9, 1))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    venue = factory.SelfAttribute("group.venue")


def give_totp(person, secret: str = TOTP_SECRET):
    """An authenticator app for `person` (stored encrypted, as allauth does), made once."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    authenticator, _created = Authenticator.objects.get_or_create(
        user=person,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": encrypt(secret)}},
    )
    return authenticator


def totp_code(secret: str = TOTP_SECRET, *, steps_ahead: int = 0) -> str:
    """The six digits an authenticator app shows now (or `steps_ahead` periods later)."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2] + steps_ahead))
