"""Operations: health check, backups and restores (docs/operations.md)."""
