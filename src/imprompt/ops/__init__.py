"""Operations: what lets an operator see the server, be warned, and trust it.

- logging.py: structlog set-up (JSON in production) and the secret redactor
- metrics.py: Prometheus metrics in the app's own registry, room and image accounting
- health.py: /health, /livez, /readyz logic, dependency checks, event-loop lag
- alerts.py: the built-in alert evaluator and the webhook (rules as in deploy/prometheus)
- ratelimit.py, clientip.py: per-IP rate limits (memory or Redis) and the trusted-proxy rule
- runtime.py: `Operations`, one per app, wiring the above together
- shutdown.py: graceful shutdown; smoke.py: the smoke-test command
"""
