import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kreds.audit.models import AuditEvent
from kreds.intake import services
from kreds.intake.models import Application, ApplicationStatus, IntakeOutcome
from kreds.privacy.models import Consent
from kreds.privacy.services import withdraw_consent
from tests import factories as f


def data(topic, municipality, **changes):
    values = {
        "topic": topic,
        "birth_year": 1970,
        "municipality": municipality,
        "availability": ["thu-morning", "tue-evening", "nonsense"],
        "gender": "woman",
        "keep_apart": ["Bo@Example.org "],
        "note": "  I prefer mornings.  ",
        "is_member": True,
        "consent": True,
    }
    values.update(changes)
    return values


def submit(organization, applicant, topic, municipality, **changes):
    return services.submit_application(
        organization=organization,
        person=applicant,
        data=data(topic, municipality, **changes),
        language="da",
    )


def test_submit_application_saves_application_and_consent(
    organization, applicant, topic, municipality
):
    application = submit(organization, applicant, topic, municipality)

    application.refresh_from_db()
    assert application.topic == topic
    assert application.status == ApplicationStatus.RECEIVED
    assert application.availability == ["tue-evening", "thu-morning"]
    assert application.note == "I prefer mornings."
    assert application.is_member is None  # membership is not required here
    consent = Consent.objects.get(person=applicant)
    assert application.consent == consent
    assert (consent.language, consent.text_version) == ("da", "2026-1")
    event = AuditEvent.objects.get(action="application.submitted")
    assert event.object_id == str(application.pk)
    assert event.changes["topic"] == ["***", "***"]  # masked, even the empty side


def test_submit_application_stores_keep_apart_only_as_hashes(
    organization, applicant, topic, municipality
):
    application = submit(organization, applicant, topic, municipality)

    assert application.keep_apart_hashes == [services.email_hash("bo@example.org")]
    assert application.email_hash == services.email_hash("ANNA@example.org")
    assert "bo@example.org" not in str(Application.objects.values().get())


def test_submit_application_without_consent_saves_nothing(
    organization, applicant, topic, municipality
):
    with pytest.raises(ValidationError):
        submit(organization, applicant, topic, municipality, consent=False)

    assert not Application.objects.exists()
    assert not Consent.objects.exists()


def test_submit_application_below_minimum_age_is_refused(
    organization, applicant, topic, municipality
):
    organization.minimum_age = 18
    organization.save()
    year = timezone.localdate().year

    with pytest.raises(ValidationError):
        submit(organization, applicant, topic, municipality, birth_year=year - 17)

    assert not Application.objects.exists()
    assert submit(organization, applicant, topic, municipality, birth_year=year - 18).pk


def test_submit_application_with_other_organizations_topic_is_refused(
    organization, other_organization, applicant, municipality
):
    theirs = f.TopicFactory(organization=other_organization)

    with pytest.raises(ValidationError) as error:
        submit(organization, applicant, theirs, municipality)

    assert "topic" in error.value.message_dict
    assert not Consent.objects.exists()


def test_submit_application_with_other_organizations_municipality_is_refused(
    organization, applicant, topic, other_municipality
):
    with pytest.raises(ValidationError) as error:
        submit(organization, applicant, topic, other_municipality)

    assert "municipality" in error.value.message_dict


def test_submit_application_mixed_needs_an_organization_that_runs_mixed_groups(
    organization, applicant, municipality
):
    with pytest.raises(ValidationError):
        submit(organization, applicant, None, municipality)

    organization.offers_mixed_groups = True
    organization.save()
    assert submit(organization, applicant, None, municipality).topic is None


def test_submit_application_records_membership_where_required(
    organization, applicant, topic, municipality
):
    organization.membership_required = True
    organization.save()

    application = submit(organization, applicant, topic, municipality, is_member=False)

    assert application.is_member is False


def test_withdraw_application_deletes_it_and_withdraws_the_consent(
    organization, applicant, topic, municipality
):
    application = submit(organization, applicant, topic, municipality)

    services.withdraw_application(application=application, by=applicant)

    assert not Application.objects.exists()
    assert Consent.objects.get().withdrawn_at is not None
    event = AuditEvent.objects.get(action="application.withdrawn")
    assert event.object_id == str(application.pk)


def test_withdraw_application_removes_that_application_only(
    organization, applicant, topic, municipality
):
    first = submit(organization, applicant, topic, municipality)
    other_topic = f.TopicFactory(organization=organization)
    second = submit(organization, applicant, other_topic, municipality)

    services.withdraw_application(application=first, by=applicant)

    assert list(Application.objects.all()) == [second]
    assert Consent.objects.get(pk=first.consent_id).withdrawn_at is not None
    assert Consent.objects.get(pk=second.consent_id).withdrawn_at is None
    assert AuditEvent.objects.filter(action="application.withdrawn").count() == 1


def test_withdraw_application_keeps_a_consent_another_application_rests_on(
    organization, applicant, topic, municipality
):
    first = submit(organization, applicant, topic, municipality)
    second = submit(
        organization, applicant, f.TopicFactory(organization=organization), municipality
    )
    Application.objects.filter(pk=second.pk).update(consent=first.consent)

    services.withdraw_application(application=first, by=applicant)

    assert list(Application.objects.all()) == [second]
    assert Consent.objects.get(pk=first.consent_id).withdrawn_at is None


def test_withdrawing_a_consent_removes_the_applications_resting_on_it_only(
    organization,
    other_organization,
    applicant,
    topic,
    municipality,
    other_municipality,
    make_application,
):
    first = submit(organization, applicant, topic, municipality)
    second = submit(
        organization, applicant, f.TopicFactory(organization=organization), municipality
    )
    f.TopicFactory(organization=other_organization)
    elsewhere = make_application(other_organization, person=applicant, topic=None)

    withdraw_consent(consent=first.consent, by=applicant)

    assert set(Application.objects.all()) == {second, elsewhere}
    assert Consent.objects.get(pk=second.consent_id).withdrawn_at is None
    assert elsewhere.consent.withdrawn_at is None
    event = AuditEvent.objects.get(action="application.withdrawn")
    assert event.object_id == str(first.pk)


def test_update_application_changes_availability_and_municipality(
    organization, applicant, topic, municipality
):
    application = submit(organization, applicant, topic, municipality)
    ikast = municipality.__class__.objects.create(
        organization=organization, name="Ikast", latitude=56.1, longitude=9.1
    )

    services.update_application(
        application=application,
        data={"municipality": ikast, "availability": ["mon-morning"]},
        by=applicant,
    )

    application.refresh_from_db()
    assert application.municipality == ikast
    assert application.availability == ["mon-morning"]
    assert AuditEvent.objects.filter(action="application.updated").count() == 1


def test_update_application_refuses_other_organizations_municipality(
    organization, applicant, topic, municipality, other_municipality
):
    application = submit(organization, applicant, topic, municipality)

    with pytest.raises(ValidationError):
        services.update_application(
            application=application, data={"municipality": other_municipality}, by=applicant
        )


def test_plan_intake_talk_sets_date_and_status(
    organization, coordinator, topic, municipality, make_application
):
    application = make_application(organization, topic=topic)

    services.plan_intake_talk(application=application, on=dt.date(2026, 12, 1), by=coordinator)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.TALK_PLANNED
    assert application.intake_talk_on == dt.date(2026, 12, 1)
    assert AuditEvent.objects.get(action="application.talk_planned").actor == coordinator


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (IntakeOutcome.FITS, ApplicationStatus.WAITING),
        (IntakeOutcome.REFERRED, ApplicationStatus.REFERRED),
        (IntakeOutcome.DECLINED, ApplicationStatus.DECLINED),
    ],
)
def test_record_intake_outcome_sets_status(
    organization, coordinator, topic, municipality, make_application, outcome, status
):
    application = make_application(organization, topic=topic)
    now = timezone.now()

    services.record_intake_outcome(
        application=application, outcome=outcome, by=coordinator, now=now
    )

    application.refresh_from_db()
    assert application.status == status
    assert application.intake_outcome == outcome
    assert application.intake_talk_on == timezone.localdate(now)
    assert application.waiting_since == (now if outcome == IntakeOutcome.FITS else None)


def test_record_intake_outcome_twice_is_refused(
    organization, coordinator, topic, municipality, make_application
):
    application = make_application(organization, topic=topic, status=ApplicationStatus.WAITING)

    with pytest.raises(ValidationError):
        services.record_intake_outcome(
            application=application, outcome=IntakeOutcome.DECLINED, by=coordinator
        )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WAITING


def test_email_hash_ignores_case_and_spaces():
    assert services.email_hash(" Bo@Example.ORG ") == services.email_hash("bo@example.org")
    assert len(services.email_hash("bo@example.org")) == 64


def test_submit_application_twice_for_the_same_topic_is_refused(
    organization, applicant, topic, municipality
):
    submit(organization, applicant, topic, municipality)

    with pytest.raises(ValidationError) as error:
        submit(organization, applicant, topic, municipality)

    assert "already applied" in error.value.message_dict["topic"][0]
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("note", "x" * 501), ("gender", "robot"), ("birth_year", 1850), ("birth_year", "1970")],
)
def test_submit_application_checks_fields_again(
    organization, applicant, topic, municipality, field, value
):
    with pytest.raises(ValidationError) as error:
        submit(organization, applicant, topic, municipality, **{field: value})

    assert field in error.value.message_dict
    assert not Application.objects.exists()
