"""Frames: what one holds, how big it is, and that its text is encoded once."""

import json

import numpy as np

from app.wire.config import TrainConfig
from app.wire.encoding import encode_message
from app.wire.frames import METRIC_FIELDS, Frame, frame_body
from core import Trainer
from core.pictures import Pictures
from tests.decoding import bytes_grid, decode_binary, decode_grid


def test_a_frame_with_a_100x100_grid_fits_in_16_kb():
    trainer = Trainer(TrainConfig().to_core())
    pictures = Pictures(trainer)
    costs = np.concatenate([trainer.step(1).costs for _ in range(500)])  # 10,000 it/s at 20 fps
    body = frame_body(
        0, pictures, costs, boundary_resolution=100, neuron_resolution=20, exact=False
    )
    assert len(encode_message(body).encode()) <= 16 * 1024
    grid = decode_grid(body["boundary"]["data"], 0.0, 1.0, (100, 100))
    assert np.abs(grid - pictures.boundary(100)).max() <= 0.5 / 255 + 1e-12


def test_a_frame_carries_every_metrics_field():
    pictures = Pictures(Trainer(TrainConfig().to_core()))
    body = frame_body(
        0, pictures, np.empty(0), boundary_resolution=10, neuron_resolution=None, exact=True
    )
    assert set(METRIC_FIELDS) <= set(body) and "neurons" not in body


def test_a_frame_encodes_its_text_once_and_again_after_absorbing_older_costs():
    older = Frame(0, 1, {"type": "frame", "lane": 0, "costs": np.array([3.0, 2.0])})
    frame = Frame(0, 1, {"type": "frame", "lane": 0, "costs": np.array([1.0])})
    text = frame.encoded()
    assert frame.encoded() is text
    frame.absorb(older)
    assert json.loads(frame.encoded())["costs"] == [3.0, 2.0, 1.0]


def test_a_binary_frame_carries_the_same_grids_as_bytes_deflated_only_where_that_pays():
    trainer = Trainer(TrainConfig().to_core())
    trainer.step(100)
    pictures = Pictures(trainer)
    kwargs = {"boundary_resolution": 100, "neuron_resolution": 20, "exact": False}
    text = frame_body(0, pictures, np.ones(3), **kwargs)
    binary = Frame(0, 1, frame_body(0, pictures, np.ones(3), binary=True, **kwargs), binary=True)
    data = binary.encoded()
    assert isinstance(data, bytes) and len(data) < len(encode_message(text).encode())
    message = decode_binary(data)
    boundary = message["boundary"]
    assert boundary["encoding"] == "u8-deflate", "10,000 smooth bytes deflate well"
    np.testing.assert_array_equal(
        bytes_grid(boundary["data"], 0.0, 1.0, (100, 100)),
        decode_grid(text["boundary"]["data"], 0.0, 1.0, (100, 100)),
    )
    for layer, same in zip(message["neurons"]["layers"], text["neurons"]["layers"], strict=True):
        assert layer["encoding"] == "u8", "neuron maps go raw"
        low, high = same["range"]
        shape = (same["units"], 20, 20)
        np.testing.assert_array_equal(
            bytes_grid(layer["data"], low, high, shape), decode_grid(same["data"], low, high, shape)
        )
    assert message["iteration"] == text["iteration"] == 100
    assert message["confusion"] == json.loads(encode_message(text))["confusion"]
