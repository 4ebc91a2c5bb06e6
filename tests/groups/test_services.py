"""Group services refuse what the form would refuse, even when called directly."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kreds.groups import services
from kreds.groups.models import Group, GroupStatus
from tests import factories as f


def new_group_data(topic, age_band, **changes) -> dict:
    data = {"name": "Ny gruppe", "topic": topic, "age_band": age_band, "status": "forming"}
    data.update(changes)
    return data


def test_create_group_saves_it_in_the_organization(organization, coordinator, topic, age_band):
    group = services.create_group(
        organization=organization, data=new_group_data(topic, age_band), by=coordinator
    )
    assert Group.objects.get(pk=group.pk).organization == organization


@pytest.mark.parametrize("field", ["topic", "age_band", "venue"])
def test_create_group_refuses_another_organizations_choice(
    organization, other_organization, coordinator, topic, age_band, field
):
    theirs = {
        "topic": f.TopicFactory,
        "age_band": f.AgeBandFactory,
        "venue": f.VenueFactory,
    }[field](organization=other_organization)
    data = new_group_data(topic, age_band) | {field: theirs}
    with pytest.raises(ValidationError) as error:
        services.create_group(organization=organization, data=data, by=coordinator)
    assert field in error.value.message_dict
    assert not Group.objects.exists()


def test_update_group_refuses_size_override_below_organizations_smallest(group, coordinator):
    with pytest.raises(ValidationError) as error:
        services.update_group(group=group, data={"max_size": 3}, by=coordinator)
    assert "max_size" in error.value.message_dict
    group.refresh_from_db()
    assert group.max_size is None


def test_update_group_accepts_sizes_within_organizations_range(group, coordinator):
    services.update_group(group=group, data={"min_size": 6}, by=coordinator)
    group.refresh_from_db()
    assert (group.effective_min_size, group.effective_max_size) == (6, 8)


def test_update_group_ending_requires_an_end_date(group, coordinator):
    with pytest.raises(ValidationError) as error:
        services.update_group(group=group, data={"status": GroupStatus.ENDED}, by=coordinator)
    assert "ended_on" in error.value.message_dict
    group.refresh_from_db()
    assert group.status == GroupStatus.RUNNING


def test_update_group_checks_end_against_stored_start(group, coordinator):
    group.started_on = dt.date(2026, 9, 1)
    group.save()
    with pytest.raises(ValidationError):
        services.update_group(
            group=group,
            data={"status": GroupStatus.ENDED, "ended_on": dt.date(2026, 8, 1)},
            by=coordinator,
        )


def test_update_group_ends_the_group(group, coordinator):
    services.update_group(
        group=group,
        data={"status": GroupStatus.ENDED, "ended_on": dt.date(2026, 12, 1)},
        by=coordinator,
    )
    group.refresh_from_db()
    assert (group.status, group.ended_on) == (GroupStatus.ENDED, dt.date(2026, 12, 1))
