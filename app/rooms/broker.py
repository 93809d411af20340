"""Room messages between processes: publish to a channel, subscribe to one.

InProcessBroker serves one process without Redis; RedisBroker goes through Redis pub/sub
(redis-py's asyncio client) when DESCENT_REDIS_URL is set, so a room's students, teacher
and projector may sit on any worker of any machine. Both deliver into Subscriptions that
never grow without bound: keyed messages (tiles, spotlight frames) keep only the latest per
key, others (teacher commands) a short FIFO that drops its oldest entry when full.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from typing import Any

import orjson

log = logging.getLogger("descent.broker")
Message = dict[str, Any]
FIFO_LIMIT = 64
RECONNECT_FIRST_SECONDS = 0.1
RECONNECT_MAX_SECONDS = 1.0
NUMPY = orjson.OPT_SERIALIZE_NUMPY


class Subscription:
    """One reader's view of a channel: the latest message per key, or a bounded FIFO."""

    def __init__(
        self, broker: Broker, channel: str, key: str | None, ready: asyncio.Event | None = None
    ) -> None:
        self.broker = broker
        self.channel = channel
        self.key = key
        self.latest: dict[Any, Message] = {}
        self.fifo: deque[Message] = deque(maxlen=FIFO_LIMIT)
        self.ready = ready or asyncio.Event()  # may be shared by several subscriptions
        self.reconnected = False  # set when the broker came back: state may have been missed

    def deliver(self, message: Message) -> None:
        """(broker) Keep a message for the reader."""
        if self.key is None:
            self.fifo.append(message)
        else:
            self.latest[message.get(self.key)] = message
        self.ready.set()

    def mark_reconnected(self) -> None:
        """(broker) Tell the reader that messages may have been lost."""
        self.reconnected = True
        self.ready.set()

    def take(self) -> list[Message]:
        """Everything waiting now (latest per key, or in order), without waiting."""
        if self.key is None:
            items = list(self.fifo)
            self.fifo.clear()
        else:
            items = list(self.latest.values())
            self.latest.clear()
        self.ready.clear()
        return items

    async def get(self, timeout: float | None = None) -> list[Message]:
        """What is waiting, after waiting up to `timeout` seconds for something."""
        if not self.ready.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.ready.wait(), timeout)
        return self.take()

    async def close(self) -> None:
        """Stop receiving."""
        await self.broker.unsubscribe(self)


class Broker:
    """Channels of room messages inside this process (the base of both brokers)."""

    def __init__(self) -> None:
        self.subscriptions: dict[str, set[Subscription]] = {}
        self.published = 0

    def fan_out(self, channel: str, message: Message) -> None:
        """Deliver a message to this process's subscribers of the channel."""
        for subscription in list(self.subscriptions.get(channel, ())):
            subscription.deliver(message)

    async def publish(self, channel: str, message: Message) -> bool:
        """Send a message to every subscriber; False if the broker could not take it."""
        self.published += 1
        self.fan_out(channel, message)
        return True

    async def subscribe(
        self, channel: str, key: str | None = None, ready: asyncio.Event | None = None
    ) -> Subscription:
        """A new Subscription to a channel (latest per message[key] when key is given)."""
        subscription = Subscription(self, channel, key, ready)
        self.subscriptions.setdefault(channel, set()).add(subscription)
        return subscription

    async def unsubscribe(self, subscription: Subscription) -> bool:
        """Forget a subscription; True when it was its channel's last one here."""
        readers = self.subscriptions.get(subscription.channel, set())
        readers.discard(subscription)
        if readers:
            return False
        self.subscriptions.pop(subscription.channel, None)
        return True

    async def close(self) -> None:
        """Release connections (nothing to release in process)."""


class InProcessBroker(Broker):
    """Every publisher and subscriber in this one process."""


class RedisBroker(Broker):
    """Redis pub/sub: one connection listens for this process, one pool publishes."""

    def __init__(self, client: Any, listening: Any) -> None:
        super().__init__()
        self.client = client
        self.listening = listening  # no retries of its own: every outage reaches listen()
        self.pubsub: Any = None
        self.listener: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()
        self.connected_before = False
        self.failures = 0

    async def publish(self, channel: str, message: Message) -> bool:
        """PUBLISH the message as JSON; False (and logged once per outage) when Redis is down."""
        try:
            await self.client.publish(channel, orjson.dumps(message, option=NUMPY))
        except (OSError, ConnectionError, *redis_errors()) as error:
            self.failures += 1
            if self.failures == 1:
                log.warning("cannot publish to Redis: %s", error)
            return False
        self.failures = 0
        self.published += 1
        return True

    async def subscribe(
        self, channel: str, key: str | None = None, ready: asyncio.Event | None = None
    ) -> Subscription:
        """Subscribe here, and in Redis when it is the channel's first subscriber here."""
        first = channel not in self.subscriptions
        subscription = await super().subscribe(channel, key, ready)
        self.start()
        if first and self.connected.is_set():
            with contextlib.suppress(OSError, ConnectionError, *redis_errors()):
                await self.pubsub.subscribe(channel)  # else the listener does on reconnect
        return subscription

    async def unsubscribe(self, subscription: Subscription) -> bool:
        """Unsubscribe in Redis when no reader of the channel is left here."""
        last = await super().unsubscribe(subscription)
        if last and self.connected.is_set():
            with contextlib.suppress(OSError, ConnectionError, *redis_errors()):
                await self.pubsub.unsubscribe(subscription.channel)
        return last

    def start(self) -> None:
        """Start the listener task once."""
        if self.listener is None or self.listener.done():
            self.listener = asyncio.get_running_loop().create_task(self.listen())

    async def listen(self) -> None:
        """Receive messages forever; when Redis goes away, reconnect and resubscribe."""
        delay = RECONNECT_FIRST_SECONDS
        while True:
            try:
                await self.connect()
                delay = RECONNECT_FIRST_SECONDS
                while True:
                    message = await self.pubsub.get_message(
                        ignore_subscribe_messages=True, timeout=1.0
                    )
                    if message is not None and message.get("type") == "message":
                        self.receive(message)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # connection lost: any redis or socket error
                log.warning("Redis subscription lost (%s); reconnecting", error)
            self.connected.clear()
            await self.drop_pubsub()
            await asyncio.sleep(delay)
            delay = min(2 * delay, RECONNECT_MAX_SECONDS)

    async def connect(self) -> None:
        """A fresh pub/sub connection subscribed to every channel with a reader here."""
        self.pubsub = self.listening.pubsub()
        await self.pubsub.subscribe("descent:broker")  # a channel, so get_message blocks
        channels = list(self.subscriptions)
        if channels:
            await self.pubsub.subscribe(*channels)
        reconnecting = self.failures > 0 or self.connected_before
        self.connected.set()
        self.connected_before = True
        if reconnecting:
            for readers in list(self.subscriptions.values()):
                for subscription in list(readers):
                    subscription.mark_reconnected()

    def receive(self, message: dict[str, Any]) -> None:
        """Decode one Redis message and fan it out."""
        channel = message["channel"]
        channel = channel.decode() if isinstance(channel, bytes) else channel
        try:
            body = orjson.loads(message["data"])
        except orjson.JSONDecodeError:
            log.warning("ignored a malformed message on %s", channel)
            return
        self.fan_out(channel, body)

    async def drop_pubsub(self) -> None:
        """Close the pub/sub connection, whatever state it is in."""
        if self.pubsub is not None:
            with contextlib.suppress(Exception):
                await self.pubsub.aclose()
            self.pubsub = None

    async def close(self) -> None:
        """Stop listening and close the connections."""
        if self.listener is not None:
            self.listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.listener
        await self.drop_pubsub()
        await self.client.aclose()
        await self.listening.aclose()


def redis_errors() -> tuple[type[BaseException], ...]:
    """redis-py's error classes (its ConnectionError is not the built-in one)."""
    from redis.exceptions import RedisError

    return (RedisError,)


def redis_client(url: str, retries: int = 1) -> Any:
    """A redis.asyncio client that fails fast while Redis is away (`retries` quick retries)."""
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import ConstantBackoff

    return Redis.from_url(
        url,
        socket_connect_timeout=1.0,
        retry=Retry(ConstantBackoff(0.05), retries),
        health_check_interval=5,
    )


def make_broker(redis_url: str | None) -> tuple[Broker, Any]:
    """(RedisBroker, its client) when a URL is given, else (InProcessBroker, None)."""
    if not redis_url:
        return InProcessBroker(), None
    client = redis_client(redis_url)
    return RedisBroker(client, redis_client(redis_url, retries=0)), client
