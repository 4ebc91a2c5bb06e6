"""Writes in the coordinator area check their rules again, whatever the form did."""

import pytest
from django.core.exceptions import ValidationError
from i18nfield.strings import LazyI18nString

from kreds.organizations import services
from kreds.organizations.models import AgeBand, Topic


def test_create_topic_saves_it_in_the_organization(organization, coordinator):
    topic = services.create_topic(
        organization=organization,
        data={"name": LazyI18nString({"da": "Sorg", "en": "Grief"}), "position": 2},
        by=coordinator,
    )
    assert Topic.objects.get(pk=topic.pk).organization == organization
    assert topic.name.localize("en") == "Grief"


def test_create_age_band_with_min_above_max_saves_nothing(organization, coordinator):
    with pytest.raises(ValidationError) as error:
        services.create_age_band(
            organization=organization,
            data={
                "kind": "adults",
                "name": LazyI18nString({"da": "Voksne"}),
                "min_age": 40,
                "max_age": 30,
            },
            by=coordinator,
        )
    assert "max_age" in error.value.message_dict
    assert not AgeBand.objects.exists()


def test_update_age_band_checks_the_range_against_current_values(age_band, coordinator):
    with pytest.raises(ValidationError):
        services.update_age_band(age_band=age_band, data={"min_age": 70}, by=coordinator)
    age_band.refresh_from_db()
    assert age_band.min_age == 25


def test_ordered_languages_keeps_previous_order_after_the_main_language():
    assert services.ordered_languages(
        main="nb", chosen=["da", "en", "nb"], previous=["da", "en", "nb"]
    ) == ["nb", "da", "en"]


def test_ordered_languages_appends_new_languages_in_settings_order():
    assert services.ordered_languages(main="en", chosen=["en", "nb", "da"], previous=["en"]) == [
        "en",
        "da",
        "nb",
    ]


def test_update_organization_settings_refuses_group_min_above_max(organization, org_admin):
    with pytest.raises(ValidationError) as error:
        services.update_organization_settings(
            organization=organization,
            data={"group_min_size": 9, "group_max_size": 6},
            by=org_admin,
        )
    assert "group_max_size" in error.value.message_dict
    organization.refresh_from_db()
    assert organization.group_min_size == 5


def test_update_organization_settings_refuses_unknown_language(organization, org_admin):
    with pytest.raises(ValidationError):
        services.update_organization_settings(
            organization=organization, data={"languages": ["sv"]}, by=org_admin
        )
    organization.refresh_from_db()
    assert organization.languages == ["da", "en", "nb"]


def test_update_organization_settings_never_changes_the_slug(organization, org_admin):
    services.update_organization_settings(
        organization=organization, data={"slug": "elsewhere", "name": "Ny"}, by=org_admin
    )
    organization.refresh_from_db()
    assert (organization.slug, organization.name) == ("herning", "Ny")
