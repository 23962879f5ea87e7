"""What a :class:`~sync.testing.faultproxy.FaultProxy` does to the traffic: random faults
per request (:class:`Faults`), a shaped link (:class:`Link`), and what it did (:class:`Stats`,
:class:`Event`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from typing import Literal, NamedTuple

Fault = Literal["drop", "cut_request", "cut_response", "status_before", "status_after"]
FAULTS: tuple[Fault, ...] = ("drop", "cut_request", "cut_response", "status_before", "status_after")


@dataclass(frozen=True)
class Faults:
    """Probabilities of each fault per request (at most one fault per request, so they add up
    to at most 1), and their parameters. ``Faults()`` injects nothing.

    - ``drop``: close the client's connection without forwarding the request.
    - ``cut_request``: forward the head and part of the body, then close both sides: the
      server never gets a whole request.
    - ``cut_response``: forward the request, read the server's whole answer, send the client
      part of it, then close: the server applied the request, the client never learns it.
    - ``status_before``: answer one of ``statuses`` without forwarding.
    - ``status_after``: forward, let the server apply it, and answer one of ``statuses``
      instead of the server's answer.
    - ``delay``: probability of waiting a random time in ``delay_s`` before forwarding
      (drawn independently, so it can come on top of a fault).
    - ``paths``: the path prefixes faults apply to (``("/v1/push", "/v1/pull")``); None for
      every path. Other requests pass untouched and draw nothing from the random stream.
    """

    drop: float = 0.0
    cut_request: float = 0.0
    cut_response: float = 0.0
    status_before: float = 0.0
    status_after: float = 0.0
    statuses: tuple[int, ...] = (500, 502, 503)
    retry_after: str | None = "0"  # Retry-After sent with an injected 503; None: none
    delay: float = 0.0
    delay_s: tuple[float, float] = (0.0, 0.5)
    paths: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        chances = [getattr(self, name) for name in (*FAULTS, "delay")]
        if any(not 0.0 <= p <= 1.0 for p in chances):
            raise ValueError(f"probabilities must be within [0, 1]: {self}")
        if sum(getattr(self, name) for name in FAULTS) > 1.0 + 1e-9:
            raise ValueError(f"fault probabilities add up to more than 1: {self}")
        if not self.statuses or any(not 500 <= s <= 599 for s in self.statuses):
            raise ValueError(f"statuses must be 5xx codes: {self.statuses}")
        if not 0.0 <= self.delay_s[0] <= self.delay_s[1]:
            raise ValueError(f"bad delay range {self.delay_s}")
        if isinstance(self.paths, str):
            raise TypeError("paths is a tuple of path prefixes, not one string")

    def applies_to(self, path: str) -> bool:
        return self.paths is None or any(path.startswith(p) for p in self.paths)


@dataclass(frozen=True)
class Link:
    """The shape of the link between the client and the server. ``Link()``: loopback as is.

    ``bandwidth_bps``: bits per second in each direction, shared by all the proxy's
    connections (one office's link; give each client its own proxy for separate links).
    ``latency_s``: round-trip time added, half to each message direction, so an exchange
    pays it once. The TCP handshake is not delayed.
    """

    bandwidth_bps: float | None = None
    latency_s: float = 0.0

    def __post_init__(self) -> None:
        if self.bandwidth_bps is not None and self.bandwidth_bps <= 0:
            raise ValueError(f"bandwidth must be positive: {self.bandwidth_bps}")
        if self.latency_s < 0:
            raise ValueError(f"latency must not be negative: {self.latency_s}")

    def floor_s(self, total_bytes: int, round_trips: int) -> float:
        """The least time ``total_bytes`` (both ways) in ``round_trips`` exchanges can take."""
        wire = total_bytes * 8 / self.bandwidth_bps if self.bandwidth_bps else 0.0
        return wire + round_trips * self.latency_s


@dataclass(frozen=True)
class Plan:
    """What the proxy does to one request."""

    fault: Fault | None = None
    delay_s: float = 0.0
    status: int = 503
    cut_at: float = 0.0  # fraction of the message sent before a cut, in [0, 1)


def plan(faults: Faults, rng: random.Random) -> Plan:
    """Draw one request's fate. Always five draws, so the stream stays aligned whatever the
    probabilities: the same seed and requests give the same faults."""
    u, d, delay, pick, cut_at = (rng.random() for _ in range(5))
    fault: Fault | None = None
    edge = 0.0
    for name in FAULTS:
        edge += getattr(faults, name)
        if u < edge:
            fault = name
            break
    low, high = faults.delay_s
    status = faults.statuses[int(pick * len(faults.statuses))]
    return Plan(fault, low + delay * (high - low) if d < faults.delay else 0.0, status, cut_at)


class Event(NamedTuple):
    """One request the proxy handled: its method, path, fault (None: passed) and delay."""

    method: str
    path: str
    fault: Fault | None
    delay_s: float


@dataclass(frozen=True)
class Stats:
    """Counts since the proxy was made. ``passed``: requests answered by the server with no
    fault (delays aside); one count per fault; bytes written to the server (``bytes_up``)
    and to clients (``bytes_down``), partial messages included."""

    connections: int = 0
    refused: int = 0  # connections reset while the link was cut
    requests: int = 0
    passed: int = 0
    delayed: int = 0
    drop: int = 0
    cut_request: int = 0
    cut_response: int = 0
    status_before: int = 0
    status_after: int = 0
    bytes_up: int = 0
    bytes_down: int = 0

    @property
    def faults(self) -> int:
        return sum(getattr(self, name) for name in FAULTS)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]
