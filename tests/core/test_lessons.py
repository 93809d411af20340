"""Every lesson, run headless through the core, shows what it says it shows."""

from collections.abc import Callable

import numpy as np
import pytest

from core import Metrics, Trainer
from core.lessons import LESSONS


def run(name: str) -> dict[str, Metrics]:
    """Train every lane of a lesson for its iterations; lanes share initial weights."""
    lesson = LESSONS[name]
    first = Trainer(lesson.lanes[0].config)
    results = {}
    for lane in lesson.lanes:
        shapes_agree = lane.config.layer_sizes == lesson.lanes[0].config.layer_sizes
        a, b = lane.config.network, lesson.lanes[0].config.network  # as the app's shares_init
        same_init = (a.init, a.init_scale, a.batch_norm) == (b.init, b.init_scale, b.batch_norm)
        initial = first.network.params if shapes_agree and same_init else None
        trainer = Trainer(lane.config, initial_params=initial)
        result = trainer.step(lesson.iterations)
        assert result.diverged is None, (lane.label, result.diverged)
        results[lane.label] = result.metrics
    return results


def planar_flower(r: dict[str, Metrics]) -> None:
    assert r["logistic regression"].accuracy_train <= 0.60
    assert r["4 tanh units"].accuracy_train >= 0.88


def hidden_size_small(r: dict[str, Metrics]) -> None:
    assert r["1 unit"].accuracy_train <= 0.75
    assert r["3 units"].accuracy_train >= 0.88 and r["4 units"].accuracy_train >= 0.88
    assert r["4 units"].accuracy_train > r["1 unit"].accuracy_train + 0.15


def hidden_size_large(r: dict[str, Metrics]) -> None:
    assert all(m.accuracy_train >= 0.88 for m in r.values())


def initialization(r: dict[str, Metrics]) -> None:
    assert r["zeros"].accuracy_train == pytest.approx(0.5)
    assert r["zeros"].cost_train == pytest.approx(0.6931, abs=1e-3)
    assert r["He"].accuracy_train >= 0.95
    assert r["He"].accuracy_train > r["randn x 10"].accuracy_train


def regularization(r: dict[str, Metrics]) -> None:
    none, l2, drop = r["no regularization"], r["L2 lambda 0.7"], r["dropout keep 0.86"]
    assert none.accuracy_train - none.accuracy_test >= 0.2
    assert l2.accuracy_test >= none.accuracy_test + 0.05
    assert l2.cost_test < none.cost_test / 2
    assert drop.cost_test < none.cost_test


def optimizers(r: dict[str, Metrics]) -> None:
    assert r["Adam"].accuracy_train >= r["mini-batch GD"].accuracy_train + 0.08
    assert r["Adam"].accuracy_train >= r["Momentum"].accuracy_train + 0.08


def softmax_blobs(r: dict[str, Metrics]) -> None:
    assert r["softmax regression"].accuracy_train >= 0.97
    assert r["8 tanh units"].accuracy_train >= 0.97


def spiral_arms(r: dict[str, Metrics]) -> None:
    assert r["softmax regression"].accuracy_train <= 0.5
    assert r["16 tanh units"].accuracy_train >= 0.8
    assert r["16 + 16 tanh units"].accuracy_train >= 0.98


def vanishing_gradients(r: dict[str, Metrics]) -> None:
    assert r["W = 0.5 I"].cost_train >= 0.69  # 0.5^8: the gradients are too small to learn
    assert all(r[label].cost_train <= 0.4 for label in ("W = 1.5 I", "Xavier", "He"))


def batch_norm(r: dict[str, Metrics]) -> None:
    assert r["no batch norm"].accuracy_train <= 0.55 and r["no batch norm"].cost_train >= 0.69
    assert r["batch norm"].accuracy_train >= 0.9


CLAIMS: dict[str, Callable[[dict[str, Metrics]], None]] = {
    "planar-flower": planar_flower,
    "hidden-size-small": hidden_size_small,
    "hidden-size-large": hidden_size_large,
    "initialization": initialization,
    "regularization": regularization,
    "optimizers": optimizers,
    "vanishing-gradients": vanishing_gradients,
    "batch-norm": batch_norm,
    "softmax-blobs": softmax_blobs,
    "spiral-arms": spiral_arms,
}


def test_every_lesson_has_a_claim_and_at_most_four_lanes() -> None:
    assert set(CLAIMS) == set(LESSONS)
    assert all(1 <= len(lesson.lanes) <= 4 for lesson in LESSONS.values())


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LESSONS))
def test_lesson_holds(name: str) -> None:
    CLAIMS[name](run(name))


def test_the_deep_chain_starts_with_gradients_scaled_like_c_to_the_depth() -> None:
    lanes = {lane.label: Trainer(lane.config) for lane in LESSONS["vanishing-gradients"].lanes}
    norms = {}
    for label, trainer in lanes.items():
        trainer.step(1, metrics=False)
        norms[label] = np.log10(np.array(trainer.gradient_norms()))
    depth = len(lanes["He"].config.network.hidden) + 1
    # a linear chain of c I: every dW[l] = dZ[l] A[l-1]^T scales like c^(L-1), whatever l
    ratio = norms["W = 1.5 I"] - norms["W = 0.5 I"]
    np.testing.assert_allclose(ratio, (depth - 1) * np.log10(3.0), atol=0.3)  # dZ[L] = A - Y too
    assert norms["W = 0.5 I"].max() < -2.5 and norms["W = 1.5 I"].min() > 0.5
    for label in ("He", "Xavier"):  # level: every layer within a factor of 10 of the others
        assert np.ptp(norms[label]) < 1.0 and norms[label].min() > -5
