"""The threshold adoption model of lesson 08 (trustcircles.simulate.adoption)."""
import numpy as np
import pytest

from trustcircles.simulate.adoption import compare, simulate_adoption, team_network


def test_same_seed_same_curve_and_other_seed_differs():
    a = simulate_adoption(0.35, 0.2, False, seed=7)
    b = simulate_adoption(0.35, 0.2, False, seed=7)
    c = simulate_adoption(0.35, 0.2, False, seed=8)
    assert np.array_equal(a.curve, b.curve) and np.array_equal(a.adopted_week, b.adopted_week)
    assert not np.array_equal(a.adopted_week, c.adopted_week)


def test_curve_never_falls_and_matches_adoption_weeks():
    run = simulate_adoption(0.4, 0.5, True)
    assert np.all(np.diff(run.curve) >= 0) and 0 <= run.curve[0] <= run.curve[-1] <= 1
    for week, share in enumerate(run.curve):
        assert share == pytest.approx(np.mean((run.adopted_week >= 0) & (run.adopted_week <= week)))


def test_thresholds_of_zero_give_everyone_in_week_zero():
    run = simulate_adoption(0.0, 0.0, False, spread=0.0)
    assert run.curve[0] == 1.0 and run.weeks_to(0.5) == 0


def test_thresholds_of_one_and_no_trickle_leave_only_the_early_adopters():
    run = simulate_adoption(1.0, 0.0, False, spread=0.0, trickle=0.0, early=4)
    assert run.final_share == pytest.approx(4 / 200)
    assert run.weeks_to(0.5) is None


@pytest.mark.parametrize("threshold", [0.3, 0.35, 0.4, 0.45])
@pytest.mark.parametrize("rewiring", [0.0, 0.5, 1.0])
def test_a_leader_never_lowers_adoption_and_raises_it_at_moderate_thresholds(threshold, rewiring):
    runs = compare(threshold, rewiring)
    assert np.all(runs["leader"].curve >= runs["no leader"].curve)
    assert runs["leader"].leader is not None and runs["no leader"].leader is None
    assert runs["leader"].adopted_week[runs["leader"].leader] == 0


def test_a_leader_makes_a_clear_difference_at_the_default_setting():
    runs = compare()
    assert runs["leader"].share_by(12) - runs["no leader"].share_by(12) > 0.2


def test_clustered_team_spreads_further_than_random_without_a_leader():
    # Centola (2010): behaviour that needs several colleagues' example spreads further when they
    # also know each other.
    clustered = simulate_adoption(0.35, 0.0, False)
    random = simulate_adoption(0.35, 1.0, False)
    assert clustered.final_share > random.final_share


def test_network_is_symmetric_cached_and_rewiring_is_checked():
    net = team_network(rewiring=0.3)
    assert net is team_network(rewiring=0.3)
    assert np.array_equal(net, net.T) and np.all(np.diag(net) == 0)
    assert np.all(net.sum(axis=1) >= 1)
    with pytest.raises(ValueError):
        simulate_adoption(0.3, 1.5)
