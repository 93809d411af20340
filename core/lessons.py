"""Lessons: preset races that reproduce results from the course, with what to watch.

Each lesson is up to four lanes (same data, same initial weights where shapes agree) and a
number of iterations; tests/core/test_lessons.py runs every lesson and checks that it holds.
A table lesson (table=True) is one of the course's tables: its lanes are the table's rows, on
the course's own data (core/course_data.py) with the notebook's own initial weights, and the
page fills the table as rows finish; tests/core/test_course_results.py pins the rows.
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
    course_test: float | None = None  # the course's test-set figure, where its table has one


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
    table: bool = False  # the course's table: rows (lanes) reported as each one finishes

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
OVERFIT = TrainConfig(
    dataset=DatasetConfig(name="moons", samples=120, noise=0.45, test_fraction=0.5),
    network=NetworkConfig(hidden=(40, 20), activation="relu", init="he"),
    optimizer=OptimizerConfig(name="gd", learning_rate=0.3),
)
# The course's own experiments: its data point for point, its initial weights number for number.
COURSE_FLOWER = TrainConfig(  # planar notebook: nn_model(X, Y, n_h, num_iterations=5000)
    dataset=DatasetConfig(name="course_flower", samples=400, noise=0.2),
    network=NetworkConfig(hidden=(4,), activation="tanh", init="notebook_planar", init_scale=0.01),
    optimizer=OptimizerConfig(name="gd", learning_rate=1.2),
)
COURSE_CIRCLES = TrainConfig(  # initialization notebook: model(X, Y, initialization=...)
    dataset=DatasetConfig(name="course_circles", samples=300, noise=0.05),
    network=NetworkConfig(hidden=(10, 5), activation="relu", init="notebook_he"),
    optimizer=OptimizerConfig(name="gd", learning_rate=0.01),
)
COURSE_MOONS = TrainConfig(  # optimization notebook: model(X, Y, layers_dims, optimizer=...)
    dataset=DatasetConfig(name="course_moons", samples=300, noise=0.2),
    network=NetworkConfig(hidden=(5, 2), activation="relu", init="notebook_he"),
    optimizer=OptimizerConfig(name="gd", learning_rate=0.0007, batch_size=64),
)
DEEP_LINEAR = TrainConfig(  # the lecture's deep chain: g(z) = z, W[l] = c I; 8: the layer limit
    dataset=DatasetConfig(name="course_moons", samples=300, noise=0.2),
    network=NetworkConfig(hidden=(4,) * 8, activation="linear", init="identity_scaled"),
    optimizer=OptimizerConfig(name="gd", learning_rate=0.01),
)
DEEP_TANH = TrainConfig(  # six tanh layers with the course's randn * 0.01: the signal fades
    dataset=DatasetConfig(name="course_moons", samples=300, noise=0.2),
    network=NetworkConfig(hidden=(8,) * 6, activation="tanh", init="random", init_scale=0.01),
    optimizer=OptimizerConfig(name="gd", learning_rate=0.5, batch_size=64),
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
# the initialization notebook's table: (train, test) accuracy after 15,000 iterations
COURSE_INITIALIZATION = {"zeros": (0.50, 0.50), "random": (0.83, 0.86), "he": (0.9933, 0.96)}
# the optimization notebook: training accuracy after 10,000 epochs of mini-batches of 64
COURSE_OPTIMIZERS = {"gd": 0.797, "momentum": 0.797, "adam": 0.94}


def hidden_sizes(sizes: tuple[int, ...]) -> tuple[Racer, ...]:
    """The course's flower with one tanh hidden layer of each size (the notebook's weights)."""
    return tuple(
        Racer(
            f"{n} unit{'s' if n > 1 else ''}",
            variant(COURSE_FLOWER, network={"hidden": (n,)}),
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
            "The course's table: hidden-layer size on its flower, 1 to 4 units",
            "The course's own 400 points and its own initial weights (seed 2, randn x 0.01): "
            "one or two units cannot wrap the petals; from three units on the boundary "
            "follows them. Each row should land on the course's figure exactly.",
            "course: 67.5%, 67.25%, 90.75%, 90.5% for 1, 2, 3, 4 units",
            5_000,
            hidden_sizes((1, 2, 3, 4)),
            table=True,
        ),
        Lesson(
            "hidden-size-large",
            "The course's table: hidden-layer size on its flower, 5, 20 and 50 units",
            "More units fit the training points a little better but buy little: the "
            "boundary grows fussier rather than more right.",
            "course: 91.25%, 90%, 90.25% for 5, 20, 50 units",
            5_000,
            hidden_sizes((5, 20, 50)),
            table=True,
        ),
        Lesson(
            "initialization",
            "The course's table: initialization on its circles, zeros vs randn x 10 vs He",
            "The notebook's own circles and its own weights (seed 3). Zeros never break the "
            "symmetry: every unit stays the same and the cost sits at log 2 = 0.6931. Weights "
            "ten times too large start with a huge cost and saturated units: the cost falls "
            "fast at first, then crawls. He initialization ends best, on the test set too.",
            "course: zeros 50%/50%, randn x 10 83%/86%, He 99.33%/96% (train/test)",
            15_000,
            (
                Racer(
                    "zeros",
                    variant(COURSE_CIRCLES, network={"init": "zeros"}),
                    *COURSE_INITIALIZATION["zeros"],
                ),
                Racer(
                    "randn x 10",
                    variant(
                        COURSE_CIRCLES, network={"init": "notebook_random", "init_scale": 10.0}
                    ),
                    *COURSE_INITIALIZATION["random"],
                ),
                Racer("He", COURSE_CIRCLES, *COURSE_INITIALIZATION["he"]),
            ),
            table=True,
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
            "The course's table: mini-batch GD vs Momentum vs Adam on its moons",
            "The optimization notebook's own 300 moons and He weights (seed 3), mini-batches "
            "of 64 for 10,000 epochs at a learning rate of 0.0007. With so small a rate "
            "mini-batch GD and Momentum crawl; Adam's per-weight step sizes reach a good "
            "boundary in the same number of epochs. (The notebook shuffles its mini-batches "
            "with its own seeds, Descent with the run's: the curves differ, the table holds.)",
            "course: 79.7%, 79.7%, 94% training accuracy",
            50_000,
            (
                Racer("mini-batch GD", COURSE_MOONS, COURSE_OPTIMIZERS["gd"]),
                Racer(
                    "Momentum",
                    variant(COURSE_MOONS, optimizer={"name": "momentum"}),
                    COURSE_OPTIMIZERS["momentum"],
                ),
                Racer(
                    "Adam",
                    variant(COURSE_MOONS, optimizer={"name": "adam"}),
                    COURSE_OPTIMIZERS["adam"],
                ),
            ),
            table=True,
        ),
        Lesson(
            "vanishing-gradients",
            "Vanishing and exploding gradients: W = c I through eight linear layers",
            "The lecture's deep chain: g(z) = z and every W[l] = c I, so y-hat = c^L W x. "
            "With c = 0.5 every ||dW[l]|| starts near 10^-2.9 and the cost sits at log 2 for "
            "thousands of steps; with c = 1.5 they start near 10^0.75, 3^8 times larger, and "
            "the first steps are huge. Xavier and He keep every layer's gradient at one "
            "level. Watch the gradient-norm chart (log axis), and add or remove layers: each "
            "layer moves the level by log10(c).",
            "lecture: activations and gradients scale like c^L",
            2_000,
            (
                Racer("W = 0.5 I", variant(DEEP_LINEAR, network={"init_scale": 0.5})),
                Racer("W = 1.5 I", variant(DEEP_LINEAR, network={"init_scale": 1.5})),
                Racer("Xavier", variant(DEEP_LINEAR, network={"init": "xavier"})),
                Racer("He", variant(DEEP_LINEAR, network={"init": "he"})),
            ),
            criterion="cost_train",
        ),
        Lesson(
            "batch-norm",
            "Batch normalization: the same deep tanh network with and without it",
            "Six tanh layers started with the course's randn x 0.01: each layer shrinks the "
            "signal, so without batch norm the last layers see almost nothing and the cost "
            "stays at log 2. Batch norm rescales every layer's Z to mean 0 and variance 1 on "
            "each mini-batch, and the same network learns. Open 'Inside the network' and "
            "switch lanes to see each layer's distribution with and without it.",
            "course 2, week 3: batch norm speeds up learning and makes deep networks less "
            "sensitive to their initialization",
            3_000,
            (
                Racer("no batch norm", DEEP_TANH),
                Racer("batch norm", variant(DEEP_TANH, network={"batch_norm": True})),
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
