"""Writes in the coordinator area: topics, age bands and the organization's settings.

Each function takes the cleaned data of a form, checks the rules again and saves inside one
transaction. `by` is the person acting and `request_id` the request's id: both go to the
audit log with the change (values masked by data class), in the same transaction.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kreds.audit.services import record_saved, stored_snapshot
from kreds.organizations.models import MAX_AGE_SPAN, MIN_AGE_SPAN, AgeBand, Organization, Topic

TOPIC_FIELDS = ("name", "description", "is_active", "position")
AGE_BAND_FIELDS = ("kind", "name", "min_age", "max_age")
SETTINGS_FIELDS = (
    "name",
    "languages",
    "time_zone",
    "introduction",
    "daily_leader_name",
    "contact_email",
    "contact_phone",
    "address",
    "website",
    "membership_required",
    "annual_fee",
    "currency",
    "minimum_age",
    "group_min_size",
    "group_max_size",
    "starters_min",
    "starters_max",
    "offers_mixed_groups",
    "offer_days",
    "max_travel_km",
    "max_age_span",
    "retention_days",
)
TIME_ZONES = ("Europe/Copenhagen", "Europe/Oslo")
MIN_TRAVEL_KM, MAX_TRAVEL_KM = 1, 200


def assign(instance, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    """Copy the named fields that are present in `data` onto `instance`."""
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


# Topics


@transaction.atomic
def create_topic(
    *, organization: Organization, data: Mapping[str, Any], by, request_id: str = ""
) -> Topic:
    """Add a topic to the organization. Saves one Topic row and one audit event."""
    topic = Topic(organization=organization)
    assign(topic, data, TOPIC_FIELDS)
    topic.save()
    record_saved(
        organization=organization,
        actor=by,
        action="topic.created",
        obj=topic,
        before={},
        fields=TOPIC_FIELDS,
        request_id=request_id,
    )
    return topic


@transaction.atomic
def update_topic(*, topic: Topic, data: Mapping[str, Any], by, request_id: str = "") -> Topic:
    """Change a topic's names, description, order or active flag; audited when changed."""
    before = stored_snapshot(topic, TOPIC_FIELDS)
    assign(topic, data, TOPIC_FIELDS)
    topic.save()
    record_saved(
        organization=topic.organization,
        actor=by,
        action="topic.updated",
        obj=topic,
        before=before,
        fields=TOPIC_FIELDS,
        request_id=request_id,
    )
    return topic


# Age bands


def validate_age_range(*, min_age: int | None, max_age: int | None) -> None:
    """An age band's upper age may be empty (no limit), but never below its lower age."""
    if min_age is not None and max_age is not None and min_age > max_age:
        message = _("The upper age cannot be lower than the lower age (%(min)s).")
        raise ValidationError({"max_age": ValidationError(message, params={"min": min_age})})


@transaction.atomic
def create_age_band(
    *, organization: Organization, data: Mapping[str, Any], by, request_id: str = ""
) -> AgeBand:
    """Add an age band to the organization. Saves one AgeBand row and one audit event."""
    validate_age_range(min_age=data.get("min_age"), max_age=data.get("max_age"))
    age_band = AgeBand(organization=organization)
    assign(age_band, data, AGE_BAND_FIELDS)
    age_band.save()
    record_saved(
        organization=organization,
        actor=by,
        action="age_band.created",
        obj=age_band,
        before={},
        fields=AGE_BAND_FIELDS,
        request_id=request_id,
    )
    return age_band


@transaction.atomic
def update_age_band(
    *, age_band: AgeBand, data: Mapping[str, Any], by, request_id: str = ""
) -> AgeBand:
    """Change an age band's kind, names or ages; audited when changed."""
    validate_age_range(
        min_age=data.get("min_age", age_band.min_age),
        max_age=data.get("max_age", age_band.max_age),
    )
    before = stored_snapshot(age_band, AGE_BAND_FIELDS)
    assign(age_band, data, AGE_BAND_FIELDS)
    age_band.save()
    record_saved(
        organization=age_band.organization,
        actor=by,
        action="age_band.updated",
        obj=age_band,
        before=before,
        fields=AGE_BAND_FIELDS,
        request_id=request_id,
    )
    return age_band


# The organization's settings


def ordered_languages(*, main: str, chosen: Iterable[str], previous: Iterable[str]) -> list[str]:
    """The main language first, then the others in their previous order, new ones last."""
    chosen = set(chosen)
    ordered = [main]
    for code in [*previous, *(code for code, _name in settings.LANGUAGES)]:
        if code in chosen and code not in ordered:
            ordered.append(code)
    return ordered


def validate_organization_policies(data: Mapping[str, Any]) -> None:
    """Group sizes and starter counts are ranges: the smallest may not exceed the largest."""
    errors = {}
    pairs = (
        (
            "group_min_size",
            "group_max_size",
            _("The largest group cannot be smaller than the smallest group (%(min)s)."),
        ),
        (
            "starters_min",
            "starters_max",
            _("The most starters cannot be fewer than the fewest starters (%(min)s)."),
        ),
    )
    for low_name, high_name, message in pairs:
        low, high = data.get(low_name), data.get(high_name)
        if low is not None and high is not None and low > high:
            errors[high_name] = ValidationError(message, params={"min": low})
    if errors:
        raise ValidationError(errors)


def validate_organization_settings(data: Mapping[str, Any]) -> None:
    """Everything the settings form promises, checked again before saving."""
    validate_organization_policies(data)
    known = {code for code, _name in settings.LANGUAGES}
    languages = data.get("languages")
    if languages is not None and (not languages or not set(languages) <= known):
        raise ValidationError({"languages": _("Offer at least one language.")})
    if "time_zone" in data and data["time_zone"] not in TIME_ZONES:
        raise ValidationError({"time_zone": _("Choose one of the time zones offered.")})
    span = data.get("max_age_span")
    if span is not None and not MIN_AGE_SPAN <= span <= MAX_AGE_SPAN:
        raise ValidationError(
            {
                "max_age_span": _("Choose an age difference from %(min)s to %(max)s years.")
                % {"min": MIN_AGE_SPAN, "max": MAX_AGE_SPAN}
            }
        )
    km = data.get("max_travel_km")
    if km is not None and not MIN_TRAVEL_KM <= km <= MAX_TRAVEL_KM:
        raise ValidationError(
            {
                "max_travel_km": _("Choose a distance from %(min)s to %(max)s km.")
                % {"min": MIN_TRAVEL_KM, "max": MAX_TRAVEL_KM}
            }
        )


@transaction.atomic
def update_organization_settings(
    *, organization: Organization, data: Mapping[str, Any], by, request_id: str = ""
) -> Organization:
    """Save the organization's settings; audited when changed. The slug never changes here."""
    validate_organization_settings(data)
    before = stored_snapshot(organization, SETTINGS_FIELDS)
    assign(organization, data, SETTINGS_FIELDS)
    organization.save()
    record_saved(
        organization=organization,
        actor=by,
        action="organization.updated",
        obj=organization,
        before=before,
        fields=SETTINGS_FIELDS,
        request_id=request_id,
    )
    return organization
