"""The `imprompt` command: serve the game, and the small tools an operator reaches for."""

from __future__ import annotations

import argparse
import json
import sys


def _serve(args: argparse.Namespace) -> int:
    from .config import SettingsError, load_settings
    from .ops.logging import configure_logging
    from .ops.shutdown import serve
    from .web.app import create_app

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"imprompt: {exc}", file=sys.stderr)
        return 2
    server = settings.server
    if args.workers < 1:
        print("imprompt: --workers must be 1 or more", file=sys.stderr)
        return 2
    if args.workers > 1:
        if not settings.storage.redis_url:
            print(
                f"imprompt: --workers {args.workers} needs REDIS_URL: each worker is its own process, "
                "and they share rooms, deadlines, images and socket.io messages only through Redis",
                file=sys.stderr,
            )
            return 2
        from .ops.workers import supervise

        configure_logging(settings)
        host, port = args.host or server.host, args.port or server.port
        return supervise(args.workers, host=host, port=port, grace=server.shutdown_grace_seconds)
    configure_logging(settings)
    app = create_app(settings)
    # SIGTERM/SIGINT: drain (clients told, rooms saved) and exit 0 within SHUTDOWN_GRACE_SECONDS.
    # A worker of `--workers N` accepts on the socket its supervisor opened (ops/workers.py).
    listen = {"fd": args.fd} if args.fd is not None else {}
    return serve(
        app,
        host=args.host or server.host,
        port=args.port or server.port,
        lifecycle=app.services.lifecycle,
        log_level=server.log_level,
        ws_per_message_deflate=False,
        # Engine.IO pings every socket itself (25 s); uvicorn's own websocket pings on top
        # were a timer and a frame per socket every 20 s for nothing (bench/README.md)
        ws_ping_interval=None,
        server_header=False,
        lifespan="on",
        # client IPs: TRUSTED_PROXIES alone decides (ops/clientip.py); uvicorn's own lines go
        # through our log format, and requests are logged by our middleware (with request ids)
        proxy_headers=False,
        log_config=None,
        access_log=False,
        **listen,
    )


def _score_one(prompt: str, guess: str) -> dict:
    from .game.scoring import guesser_points, warmth
    from .similarity import details

    result = details(prompt, guess)
    result["warmth"] = warmth(result["similarity"])
    result["points"] = guesser_points(result["similarity"], 0.0, 60.0)
    result["pointsAtDeadline"] = guesser_points(result["similarity"], 60.0, 60.0)
    return result


def _score(args: argparse.Namespace) -> int:
    if args.tsv:
        for n, line in enumerate(sys.stdin, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                print(json.dumps({"line": n, "error": "expected prompt<TAB>guess"}))
                continue
            print(json.dumps({"prompt": parts[0], "guess": parts[1], **_score_one(parts[0], parts[1])}))
        return 0
    if args.prompt is None or args.guess is None:
        print("imprompt score: give PROMPT and GUESS, or --tsv", file=sys.stderr)
        return 2
    print(json.dumps({"prompt": args.prompt, "guess": args.guess, **_score_one(args.prompt, args.guess)}, indent=2))
    return 0


def _draw(args: argparse.Namespace, rest: list[str]) -> int:
    from .images.cli import draw_main

    return draw_main(rest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="imprompt", description="The imprompt party game server and tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the game server (HTTP + socket.io)")
    serve.add_argument("--host", default=None, help="listen address (default: HOST or 0.0.0.0)")
    serve.add_argument("--port", type=int, default=None, help="listen port (default: PORT or 5000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes on this port, to use every core (default 1; more needs REDIS_URL)",
    )
    serve.add_argument("--fd", type=int, default=None, help=argparse.SUPPRESS)  # a worker's listening socket
    score = sub.add_parser("score", help="score a guess against a prompt, as the game does")
    score.add_argument("prompt", nargs="?")
    score.add_argument("guess", nargs="?")
    score.add_argument("--tsv", action="store_true", help="read prompt<TAB>guess lines on standard input")
    sub.add_parser("draw", help="draw a prompt with the built-in generator", add_help=False)
    from .data.cli import register as data_commands
    from .ops.smoke import register as smoke_command

    tools = {**data_commands(sub), **smoke_command(sub)}  # db, backup, restore; smoke
    args, rest = parser.parse_known_args(argv)
    if args.command == "draw":
        return _draw(args, rest)
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    return {"serve": _serve, "score": _score, **tools}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
