"""Rooms: the service that runs commands through the rules, and where rooms live."""
