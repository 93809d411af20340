"""The in-process broker: the same interface as Redis's, inside one process."""

from __future__ import annotations

import asyncio

from app.rooms.broker import FIFO_LIMIT, InProcessBroker, make_broker


def test_without_a_redis_url_the_broker_is_in_process() -> None:
    broker, client = make_broker(None)
    assert isinstance(broker, InProcessBroker) and client is None


def test_every_subscriber_of_a_channel_hears_a_message_and_no_other_channel_does() -> None:
    async def run() -> tuple[list, list, list]:
        broker = InProcessBroker()
        one = await broker.subscribe("room:A")
        two = await broker.subscribe("room:A")
        other = await broker.subscribe("room:B")
        assert await broker.publish("room:A", {"command": "pause"})
        return await one.get(0.1), await two.get(0.1), await other.get(0.01)

    one, two, other = asyncio.run(run())
    assert one == two == [{"command": "pause"}] and other == []


def test_keyed_subscriptions_keep_only_the_latest_message_per_key() -> None:
    async def run() -> list:
        broker = InProcessBroker()
        tiles = await broker.subscribe("tiles", key="name")
        for i in range(1000):
            await broker.publish("tiles", {"name": f"s{i % 3}", "iteration": i})
        return tiles.take()

    assert sorted(t["iteration"] for t in asyncio.run(run())) == [997, 998, 999]


def test_commands_wait_in_a_bounded_fifo_that_drops_its_oldest() -> None:
    async def run() -> list:
        broker = InProcessBroker()
        commands = await broker.subscribe("commands")
        for i in range(FIFO_LIMIT + 10):
            await broker.publish("commands", {"n": i})
        return commands.take()

    taken = asyncio.run(run())
    assert [c["n"] for c in taken] == list(range(10, FIFO_LIMIT + 10))


def test_a_closed_subscription_hears_nothing_more() -> None:
    async def run() -> tuple[list, dict]:
        broker = InProcessBroker()
        commands = await broker.subscribe("commands")
        await commands.close()
        await broker.publish("commands", {"n": 1})
        return commands.take(), broker.subscriptions

    taken, channels = asyncio.run(run())
    assert taken == [] and channels == {}
