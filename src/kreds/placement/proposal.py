"""The coordinator's working copy of a run's proposal: plain dicts with ids, JSON-ready.

    {"groups": [{"key": "g1", "topic": "3", "age_band": "2", "slot": "tue-evening",
                 "venue": "5", "members": ["12", "14"], "starters": ["7"],
                 "group_id": null}],
     "unassigned": [{"id": "15", "reason": "outscored"}],
     "mixed_waiting": 0, "without_age_band": 0}

`group_id` is set once the group is accepted (a real Group exists). A person the
coordinator moves back to the list gets the reason "moved_out"; a member who no longer
fits the group when it is accepted, "no_longer_fits".
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MOVED_OUT = "moved_out"
NO_LONGER_FITS = "no_longer_fits"
TO_LIST = "list"

REASON_TEXTS = {
    "no_peers_nearby": _("Not enough people with the same topic and age live near a venue."),
    "no_common_time": _("Not enough people nearby share a weekly time a venue offers."),
    "no_peers_of_similar_age": _("Not enough people of a similar age share a time and place."),
    "no_starter_free": _("No starter for this topic is free at a time that would work."),
    "no_room": _("Every venue and time this person could use is taken by other groups."),
    "outscored": _(
        "A group was possible, but the places went to people who have waited longer or live closer."
    ),
    "placed_for_other_topic": _(
        "Proposed for a group with another topic this person applied for: one place per run."
    ),
    MOVED_OUT: _("Moved back to the waiting list by a coordinator."),
    NO_LONGER_FITS: _(
        "No longer fitted the group when it was accepted, so was not offered a place."
    ),
}


def reason_text(code: str) -> str:
    return str(REASON_TEXTS.get(code, _("No fitting group this time.")))


def proposal_from_solution(solution: dict, built) -> dict:
    groups = [
        {
            "key": f"g{index}",
            "topic": group["topic"],
            "age_band": group["age_band"],
            "slot": group["slot"],
            "venue": group["venue"],
            "members": [str(member) for member in group["members"]],
            "starters": [str(starter) for starter in group["starters"]],
            "group_id": None,
        }
        for index, group in enumerate(solution.get("groups", []), start=1)
    ]
    return {
        "groups": groups,
        "unassigned": [dict(item) for item in solution.get("unassigned", [])],
        "mixed_waiting": built.mixed_waiting,
        "without_age_band": built.without_age_band,
    }


def find_group(proposal: dict, key: str) -> dict | None:
    return next((group for group in proposal["groups"] if group["key"] == key), None)


def group_of(proposal: dict, application_id: str) -> dict | None:
    return next((group for group in proposal["groups"] if application_id in group["members"]), None)


def is_in(proposal: dict, application_id: str) -> bool:
    return group_of(proposal, application_id) is not None or any(
        item["id"] == application_id for item in proposal["unassigned"]
    )


def moved(proposal: dict, application_id: str, target_key: str) -> dict:
    """A copy of the proposal with the person in group `target_key`, or on the list."""
    result = {**proposal, "groups": [dict(g) for g in proposal["groups"]]}
    for group in result["groups"]:
        group["members"] = [m for m in group["members"] if m != application_id]
    unassigned = [item for item in proposal["unassigned"] if item["id"] != application_id]
    if target_key == TO_LIST:
        unassigned.append({"id": application_id, "reason": MOVED_OUT})
    else:
        find_group(result, target_key)["members"].append(application_id)
    result["unassigned"] = unassigned
    return result


def left_out(proposal: dict, application_ids: list[str]) -> dict:
    """A copy of the proposal with these people back on the list as no longer fitting."""
    result = proposal
    for application_id in application_ids:
        result = moved(result, application_id, TO_LIST)
        result["unassigned"][-1]["reason"] = NO_LONGER_FITS
    return result


def proposed_ids(proposal: dict) -> set[int]:
    """The application ids in any proposed group (accepted or not)."""
    return {int(member) for group in proposal["groups"] for member in group["members"]}


def open_groups(proposal: dict) -> list[dict]:
    return [group for group in proposal["groups"] if group["group_id"] is None]
