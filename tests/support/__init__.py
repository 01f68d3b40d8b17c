"""Helpers shared between test suites: the real app on loopback, socket.io players,
scriptable image providers, metrics parsing, log capture, free ports.

Suites import from here (`from tests.support.players import Player`), never from another
suite's conftest or test module; conftest files keep only fixtures."""
