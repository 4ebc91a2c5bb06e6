"""Every hard rule, on crafted instances."""

from __future__ import annotations

from bench.checker import check

from .helpers import people, person, starter, venue


def members_of(solution: dict) -> list[set[str]]:
    return [set(g["members"]) for g in solution["groups"]]


def reason_of(solution: dict, ident: str) -> str:
    return next(u["reason"] for u in solution["unassigned"] if u["id"] == ident)


def test_solve_compatible_people_form_one_group(make_instance, solve_dict):
    data = make_instance(people("a", 6))
    solution = solve_dict(data)
    assert members_of(solution) == [{f"a{n}" for n in range(6)}]
    assert solution["status"] == "optimal"
    assert check(data, solution).ok


def test_keep_apart_pair_never_together(make_instance, solve_dict):
    group = people("a", 6)
    group[0]["keep_apart"] = ["a1"]
    data = make_instance(group)
    solution = solve_dict(data)
    assert len(solution["groups"]) == 1
    together = members_of(solution)[0]
    assert not {"a0", "a1"} <= together
    assert len(together) == 5
    assert check(data, solution).ok


def test_slot_group_meets_in_the_shared_slot(make_instance, solve_dict):
    group = people("a", 5, slots=["wed-evening"]) + people("b", 3, slots=["tue-evening"])
    data = make_instance(group)
    solution = solve_dict(data)
    assert [g["slot"] for g in solution["groups"]] == ["wed-evening"]
    assert members_of(solution) == [{f"a{n}" for n in range(5)}]
    assert reason_of(solution, "b0") == "no_common_time"


def test_slot_venue_must_offer_it(make_instance, solve_dict):
    data = make_instance(people("a", 5, slots=["thu-evening"]))
    solution = solve_dict(data)
    assert solution["groups"] == []
    assert reason_of(solution, "a0") == "no_common_time"


def test_travel_far_applicant_left_out(make_instance, solve_dict):
    group = people("a", 5) + [person("far", km_north=45.0)]
    data = make_instance(group)
    solution = solve_dict(data)
    assert "far" not in members_of(solution)[0]
    assert reason_of(solution, "far") == "no_peers_nearby"
    km = {m["id"]: m["km"] for m in solution["groups"][0]["explanation"]["members"]}
    assert all(value <= 30 for value in km.values())


def test_travel_starter_too_far_means_no_group(make_instance, solve_dict):
    far_starter = starter(lat=60.5)  # about 67 km north
    data = make_instance(people("a", 6), starters=[far_starter])
    solution = solve_dict(data)
    assert solution["groups"] == []
    assert reason_of(solution, "a0") == "no_starter_free"


def test_age_span_outlier_left_out(make_instance, solve_dict):
    group = people("a", 5, age=40) + [person("old", age=54, waiting_days=300)]
    data = make_instance(group, max_age_span=10)
    solution = solve_dict(data)
    assert members_of(solution) == [{f"a{n}" for n in range(5)}]
    assert check(data, solution).ok


def test_age_span_picks_the_larger_window(make_instance, solve_dict):
    group = people("y", 5, age=36) + people("o", 6, age=52)
    data = make_instance(group, max_age_span=10)
    solution = solve_dict(data)
    assert members_of(solution) == [{f"o{n}" for n in range(6)}]
    assert reason_of(solution, "y0") in {"no_room", "outscored"}


def test_starter_topic_must_match(make_instance, solve_dict):
    data = make_instance(people("a", 6), starters=[starter(topics=["divorce"])])
    solution = solve_dict(data)
    assert solution["groups"] == []
    assert reason_of(solution, "a0") == "no_starter_free"


def test_starter_max_groups_limits_groups(make_instance, solve_dict):
    group = people("a", 5) + people("b", 5, slots=["wed-evening"])
    data = make_instance(group, starters=[starter(max_groups=1)])
    solution = solve_dict(data)
    assert len(solution["groups"]) == 1
    left_out = solution["unassigned"]
    assert len(left_out) == 5
    assert {u["reason"] for u in left_out} == {"no_starter_free"}
    assert check(data, solution).ok


def test_starter_never_two_groups_in_one_slot(make_instance, solve_dict):
    venues = [venue("v1"), venue("v2", km_north=2.0)]
    group = people("a", 8) + people("b", 8, km_north=2.5)
    data = make_instance(group, venues=venues, starters=[starter(max_groups=3)])
    solution = solve_dict(data)
    slots = [g["slot"] for g in solution["groups"]]
    assert len(slots) == len(set(slots))
    assert check(data, solution).ok


def test_starter_count_within_bounds(make_instance, solve_dict):
    starters = [starter(f"s{n}") for n in range(4)]
    data = make_instance(people("a", 6), starters=starters, starters_min=2, starters_max=3)
    solution = solve_dict(data)
    assert 2 <= len(solution["groups"][0]["starters"]) <= 3


def test_room_capacity_one_group_per_slot(make_instance, solve_dict):
    group = people("a", 5) + people("b", 5, topic="divorce")
    venues = [venue(slots=["tue-evening"])]
    starters = [
        starter(topics=["grief", "divorce"], max_groups=2),
        starter("s2", topics=["divorce"]),
    ]
    data = make_instance(group, venues=venues, starters=starters)
    solution = solve_dict(data)
    assert len(solution["groups"]) == 1
    assert {u["reason"] for u in solution["unassigned"]} == {"no_room"}


def test_size_too_many_people_split_or_capped(make_instance, solve_dict):
    starters = [starter("s1"), starter("s2")]
    data = make_instance(people("a", 12), venues=[venue(groups_per_slot=2)], starters=starters)
    solution = solve_dict(data)
    sizes = sorted(len(g["members"]) for g in solution["groups"])
    assert sizes in ([5, 7], [6, 6])
    assert check(data, solution).ok


def test_size_below_minimum_no_group(make_instance, solve_dict):
    data = make_instance(people("a", 4))
    solution = solve_dict(data)
    assert solution["groups"] == []
    assert {u["reason"] for u in solution["unassigned"]} == {"no_peers_nearby"}


def test_topic_and_band_never_mixed(make_instance, solve_dict):
    group = people("a", 3) + people("b", 3, topic="divorce") + people("c", 2, age_band="55-74")
    data = make_instance(group, starters=[starter(topics=["grief", "divorce"])])
    solution = solve_dict(data)
    assert solution["groups"] == []


def test_lone_gender_penalty_avoided_when_possible(make_instance, solve_dict):
    group = people("f", 5) + [person("m", gender="male", waiting_days=10)]
    data = make_instance(group)
    solution = solve_dict(data)
    # Placing the lone man adds 1000 + 10 - 5 km but costs 200: still worth it.
    assert "m" in members_of(solution)[0]
    report = check(data, solution)
    assert abs(report.objective - solution["objective"]) < 0.01
    expected = sum(1000 + 10 - 5 * 1.0 for _ in range(6)) - 200
    assert abs(solution["objective"] - expected) < 0.05


def test_lone_gender_outweighs_placement_when_weighted(make_instance, solve_dict):
    group = people("f", 5) + [person("m", gender="male")]
    weights = {"placed": 100, "wait_day": 0, "travel_km": 0, "lone_gender": 500}
    data = make_instance(group, weights=weights)
    solution = solve_dict(data)
    assert members_of(solution) == [{f"f{n}" for n in range(5)}]


def test_one_place_per_person_across_their_topics(make_instance, solve_dict):
    """a0 and b0 are one person: grief can form without them, loneliness cannot."""
    group = people("a", 6) + people("b", 5, topic="loneliness", slots=["wed-evening"])
    group[0]["person"] = group[6]["person"] = "p1"
    starters = [starter(topics=["grief", "loneliness"])]
    data = make_instance(group, starters=starters)

    solution = solve_dict(data)

    assert sorted(len(g) for g in members_of(solution)) == [5, 5]
    assert reason_of(solution, "a0") == "placed_for_other_topic"
    assert "b0" in set().union(*members_of(solution))
    assert check(data, solution).ok


def test_one_place_per_person_even_when_their_groups_share_nothing_else(make_instance, solve_dict):
    """Venues 40 km apart, each with its own starter: only the person links the groups."""
    north = people("a", 5, km_north=1.0)
    south = people("b", 5, topic="loneliness", km_north=-39.0)
    middle = [
        person("pa", km_north=-19.0, person="p1"),
        person("pb", km_north=-19.0, topic="loneliness", person="p1"),
    ]
    venues = [venue("v1"), venue("v2", km_north=-40.0)]
    starters = [starter("s1"), starter("s2", topics=["loneliness"], lat=venues[1]["lat"])]
    data = make_instance(north + south + middle, venues=venues, starters=starters)

    solution = solve_dict(data)

    placed = set().union(*members_of(solution))
    assert len(solution["groups"]) == 2
    assert len({"pa", "pb"} & placed) == 1
    assert check(data, solution).ok
