"""Labels: 0/1 rows for two classes, one-hot columns for K, and the user's own points."""

import numpy as np
import pytest

from core.labels import class_labels, custom_dataset, encode_labels


def test_labels_encode_as_one_hot_for_three_or_more_classes_and_back() -> None:
    labels = np.array([2, 0, 1, 2])
    Y = encode_labels(labels, 3)
    np.testing.assert_array_equal(Y, [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]])
    np.testing.assert_array_equal(class_labels(Y), labels)
    np.testing.assert_array_equal(encode_labels(np.array([1, 0]), 2), [[1.0, 0.0]])


def test_custom_points_become_x_and_y_for_classification_and_regression() -> None:
    points = [[0.5, -1.0, 2], [1.5, 2.0, 0], [3.0, 0.0, 1]]
    X, Y = custom_dataset(np.array(points), "classification", 3)
    np.testing.assert_array_equal(X, [[0.5, 1.5, 3.0], [-1.0, 2.0, 0.0]])
    np.testing.assert_array_equal(class_labels(Y), [2, 0, 1])
    X, Y = custom_dataset(np.array(points), "regression")
    np.testing.assert_array_equal(Y, [[2.0, 0.0, 1.0]])
    with pytest.raises(ValueError, match=r"0\.\.1"):
        custom_dataset(np.array(points), "classification", 2)
    with pytest.raises(ValueError, match="finite"):
        custom_dataset(np.array([[np.nan, 0.0, 1.0]]), "regression")
