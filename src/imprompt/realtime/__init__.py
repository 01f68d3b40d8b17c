"""socket.io adapter: validate each event, turn it into a command, answer through the ack.

- `events.py`: every client event declared in one table (schema, seat, limit, command);
- `dispatch.py`: the one dispatcher: admit, parse, find the seat, run, answer;
- `schemas.py`: the payload models; `wire.py`: replies as camelCase JSON, error answers;
- `limits.py`: rate limits per socket, per seat and per client IP;
- `seats.py`: which seat a socket holds (at most one);
- `emitter.py`: how the RoomService reaches sockets; `server.py`: the socket.io server;
- `handlers.py`: `Realtime`, binding it all to the socket.io server.
"""
