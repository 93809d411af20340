"""Lessons: preset races that reproduce results from the course, with what to watch.

Each lesson is up to four lanes (same data, same initial weights where shapes agree) and a
number of iterations; tests/core/test_lessons.py runs every lesson and checks that it holds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from core.config import (
    DatasetConfig,
    NetworkConfig,
    OptimizerConfig,
    RegularizationConfig,
    TrainConfig,
)


@dataclass(frozen=True)
class Racer:
    """One racer of a lesson: a label, a full config and the course's figure for it (in the
    lesson's criterion, e.g. a training accuracy of 0.9075), if the course reports one."""

    label: str
    config: TrainConfig
    course: float | None = None


@dataclass(frozen=True)
class Lesson:
    """A preset race: title, what to watch, the course's figures, lanes, iterations."""

    name: str
    title: str
    watch: str
    course_result: str
    iterations: int
    lanes: tuple[Racer, ...]
    criterion: str = "accuracy_train"  # the Metrics field that decides the race

    @property
    def higher_is_better(self) -> bool:
        """Accuracies win high, costs win low."""
        return self.criterion.startswith("accuracy")


def variant(base: TrainConfig, **changes: object) -> TrainConfig:
    """base with some sections' fields replaced, e.g. variant(c, network={"hidden": (3,)})."""
    sections = {}
    for section, fields in changes.items():
        current = getattr(base, section)
        sections[section] = (
            dataclasses.replace(current, **fields) if isinstance(fields, dict) else fields
        )
    return dataclasses.replace(base, **sections)


FLOWER = TrainConfig(
    dataset=DatasetConfig(name="flower", samples=400, noise=0.2),
    network=NetworkConfig(hidden=(4,), activation="tanh", init="random", init_scale=0.01),
    optimizer=OptimizerConfig(name="gd", learning_rate=1.2),
)
CIRCLES = TrainConfig(
    dataset=DatasetConfig(name="circles", samples=300, noise=0.05, factor=0.8),
    network=NetworkConfig(hidden=(10, 5), activation="relu", init="he"),
    optimizer=OptimizerConfig(name="gd", learning_rate=0.01),
)
OVERFIT = TrainConfig(
    dataset=DatasetConfig(name="moons", samples=120, noise=0.45, test_fraction=0.5),
    network=NetworkConfig(hidden=(40, 20), activation="relu", init="he"),
    optimizer=OptimizerConfig(name="gd", learning_rate=0.3),
)
MOONS = TrainConfig(
    dataset=DatasetConfig(name="moons", samples=300, noise=0.2),
    network=NetworkConfig(hidden=(5, 2), activation="relu", init="he"),
    optimizer=OptimizerConfig(name="gd", learning_rate=0.0007, batch_size=64),
)

BLOBS = TrainConfig(
    dataset=DatasetConfig(name="blobs", samples=400, noise=0.2, classes=4),
    network=NetworkConfig(hidden=(), activation="tanh", init="xavier"),
    optimizer=OptimizerConfig(name="gd", learning_rate=0.5),
)
ARMS = TrainConfig(
    dataset=DatasetConfig(name="spiral", samples=300, noise=0.1, classes=3),
    network=NetworkConfig(hidden=(), activation="tanh", init="xavier"),
    optimizer=OptimizerConfig(name="adam", learning_rate=0.01),
)


# the course's planar-data notebook: training accuracy for each hidden-layer size
COURSE_HIDDEN_SIZES = {1: 0.675, 2: 0.6725, 3: 0.9075, 4: 0.905, 5: 0.9125, 20: 0.90, 50: 0.9025}


def hidden_sizes(sizes: tuple[int, ...]) -> tuple[Racer, ...]:
    """Flower lanes with one tanh hidden layer of each size."""
    return tuple(
        Racer(
            f"{n} unit{'s' if n > 1 else ''}",
            variant(FLOWER, network={"hidden": (n,)}),
            COURSE_HIDDEN_SIZES[n],
        )
        for n in sizes
    )


LESSONS: dict[str, Lesson] = {
    lesson.name: lesson
    for lesson in (
        Lesson(
            "planar-flower",
            "Planar flower: logistic regression vs one hidden layer",
            "Logistic regression can only draw a straight line, so it stays near chance on "
            "the petals. Four tanh units bend the boundary around them.",
            "course: 47% for logistic regression, 90.75% with 4 tanh units",
            10_000,
            (
                Racer("logistic regression", variant(FLOWER, network={"hidden": ()}), 0.47),
                Racer("4 tanh units", FLOWER, 0.9075),
            ),
        ),
        Lesson(
            "hidden-size-small",
            "Hidden-layer size on the flower: 1 to 4 units",
            "One or two units cannot wrap the petals; from three units on the boundary "
            "follows them.",
            "course: 1-2 units about 67%, 3-5 units about 90%",
            5_000,
            hidden_sizes((1, 2, 3, 4)),
        ),
        Lesson(
            "hidden-size-large",
            "Hidden-layer size on the flower: 5, 20 and 50 units",
            "More units fit the training points a little better but buy little: the "
            "boundary grows fussier rather than more right.",
            "course: 5-50 units all around 90%",
            5_000,
            hidden_sizes((5, 20, 50)),
        ),
        Lesson(
            "initialization",
            "Initialization on circles: zeros vs randn x 10 vs He",
            "Zeros never break the symmetry: every unit stays the same and the cost sits at "
            "log 2 = 0.6931. Weights ten times too large start with a huge cost and saturated "
            "units: the cost falls fast at first, then crawls (about 88% after 15,000 "
            "iterations). He initialization starts slower but ends best (above 99%).",
            "course: zeros 50% (cost 0.6931), large random about 83%, He about 99% train",
            15_000,
            (
                Racer("zeros", variant(CIRCLES, network={"init": "zeros"}), 0.50),
                Racer(
                    "randn x 10",
                    variant(CIRCLES, network={"init": "random", "init_scale": 10.0}),
                    0.83,
                ),
                Racer("He", CIRCLES, 0.9933),
            ),
        ),
        Lesson(
            "regularization",
            "Regularization: none vs L2 vs dropout on a small noisy set",
            "Without regularization the network fits every training point and the test "
            "cost explodes. L2 (lambda 0.7) keeps the weights small and the test cost low; "
            "dropout (keep_prob 0.86) helps less here. Watch train vs test accuracy.",
            "course (football data): none 95%/91.5%, L2 94%/93%, dropout 93%/95% (train/test)",
            20_000,
            (
                Racer("no regularization", OVERFIT, 0.915),
                Racer(
                    "L2 lambda 0.7",
                    variant(OVERFIT, regularization=RegularizationConfig(l2=0.7)),
                    0.93,
                ),
                Racer(
                    "dropout keep 0.86",
                    variant(OVERFIT, regularization=RegularizationConfig(keep_prob=0.86)),
                    0.95,
                ),
            ),
            criterion="accuracy_test",
        ),
        Lesson(
            "optimizers",
            "Optimizers on moons: mini-batch GD vs Momentum vs Adam",
            "With a tiny learning rate mini-batch GD and Momentum crawl; Adam's per-weight "
            "step sizes reach a good boundary in the same number of epochs.",
            "course: about 80% vs 80% vs 94% after 10,000 epochs",
            50_000,
            (
                Racer("mini-batch GD", MOONS, 0.797),
                Racer("Momentum", variant(MOONS, optimizer={"name": "momentum"}), 0.797),
                Racer("Adam", variant(MOONS, optimizer={"name": "adam"}), 0.94),
            ),
        ),
        Lesson(
            "softmax-blobs",
            "Four classes: softmax regression vs a hidden layer on four blobs",
            "With K = 4 the output is a softmax of 4 units, and still dZ = A - Y. Without a "
            "hidden layer each class wins where its z_k = w_k x + b_k is largest: the plane "
            "is cut by straight lines, enough for blobs. Colours mix where classes compete.",
            "beyond the course (softmax is in its week 3 of course 2): both about 99%",
            2_000,
            (
                Racer("softmax regression", BLOBS),
                Racer("8 tanh units", variant(BLOBS, network={"hidden": (8,)})),
            ),
        ),
        Lesson(
            "spiral-arms",
            "Three spiral arms: softmax regression vs one and two hidden layers",
            "Straight cuts cannot follow three interleaved arms, so softmax regression stays "
            "near chance (1/3); 16 tanh units bend the boundaries, two layers of 16 wrap "
            "every arm.",
            "beyond the course: about 39%, 90% and 100% training accuracy",
            5_000,
            (
                Racer("softmax regression", ARMS),
                Racer("16 tanh units", variant(ARMS, network={"hidden": (16,)})),
                Racer("16 + 16 tanh units", variant(ARMS, network={"hidden": (16, 16)})),
            ),
        ),
    )
}
