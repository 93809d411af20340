"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis).

Positive and negative cases for every operation, in process (ASGI). The promise: no 5xx,
and every 4xx is FastAPI's `detail` list in which each entry names its field. `field` is
null only for an error about the whole body (`loc` == ["body"]: no body, not an object).
Limits are lowered so a generated /api/train stays cheap and the run stays under a minute.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from schemathesis import GenerationMode  # noqa: E402

from app.main import create_app  # noqa: E402
from app.settings import Settings  # noqa: E402

SMALL_LIMITS = Settings(
    max_hidden_layers=3,
    max_neurons=16,
    max_samples=200,
    max_iterations=300,
    max_history=300,
    # rate limits wide open, so every request reaches validation (429 is still allowed below)
    room_lookups_per_minute=1e6,
    room_lookup_burst=10**6,
    rooms_per_minute=1e6,
    room_burst=10**6,
    max_rooms_per_client=10**6,
    max_rooms=10**6,
)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(SMALL_LIMITS))
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=100,
    deterministic=True,
    database="none",
)


@schema.parametrize()
def test_no_server_error_and_every_rejection_names_its_field(case):
    response = case.call()
    assert response.status_code < 500, (case.path, case.body, response.text[:500])
    if response.status_code == 429:  # a fuzzer is a flood: rooms and sweeps rate-limit it
        retry = response.headers["retry-after"]
        assert int(retry[0] if isinstance(retry, list) else retry) >= 1, response.headers
        return
    if 400 <= response.status_code < 500:
        assert response.status_code in (400, 404, 405, 415, 422, 429), response.status_code
        if response.status_code == 429:  # a rate limit or cap (rooms, sweeps): says when
            retry = response.headers["retry-after"]  # schemathesis lists each header's values
            assert int(retry[0] if isinstance(retry, list) else retry) >= 1
        detail = response.json()["detail"]
        if response.status_code not in (400, 422):
            return  # routing answers (unknown path/method): Starlette's plain message
        assert isinstance(detail, list) and detail, response.text
        for entry in detail:
            assert entry["message"], entry
            assert "field" in entry, entry
            if entry["field"] is None:
                assert entry["loc"][:1] == ["body"] and len(entry["loc"]) == 1, entry
            else:
                assert isinstance(entry["field"], str), entry  # "" for a key named ""
