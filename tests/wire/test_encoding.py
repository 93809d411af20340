"""Wire encodings: quantised grids, finite numbers, messages with NumPy arrays."""

import json

import numpy as np

from app.wire.encoding import encode_grid, encode_message, float_list, matrix, pack
from tests.decoding import decode_grid, unpack


def test_grids_survive_quantisation_within_half_a_step():
    values = np.random.default_rng(0).uniform(-1, 1, (30, 30))
    decoded = decode_grid(encode_grid(values, -1.0, 1.0), -1.0, 1.0, (30, 30))
    assert np.abs(decoded - values).max() <= 1 / 255 + 1e-12
    assert unpack(pack(b"descent")) == b"descent"


def test_non_finite_numbers_become_null():
    assert float_list(np.array([1.0, np.nan, np.inf])) == [1.0, None, None]
    assert matrix(np.array([[np.nan, 2.0]])) == [[None, 2.0]]
    assert float_list(np.array([0.123456789]), 5) == [0.12346]


def test_messages_are_written_with_numpy_arrays_nan_as_null_and_huge_integers_too():
    message = {"w": np.array([[0.5, np.nan]]), "c": np.array([1.0, np.inf], dtype=np.float32)}
    assert json.loads(encode_message(message)) == {"w": [[0.5, None]], "c": [1.0, None]}
    echoed = {"type": "error", "value": 10**30, "w": np.array([1.5])}  # beyond orjson's ints
    assert json.loads(encode_message(echoed)) == {"type": "error", "value": 10**30, "w": [1.5]}
