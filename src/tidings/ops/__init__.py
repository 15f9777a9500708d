"""Operations: periodic work run once per period across nodes, health and metrics endpoints, logs, backups."""
