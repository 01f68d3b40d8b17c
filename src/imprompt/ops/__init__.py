"""Operations: logging (and, later, metrics, alerts, shutdown)."""
