"""The table of Django's database cache (settings.CACHES), made by a migration like any other
so that `migrate` is the only step and backups know it (its rows never travel)."""

from __future__ import annotations

from django.db import models

CACHE_TABLE = "thuocdo_cache"


class CacheEntry(models.Model):
    """One entry of the shared cache: the failed-code counters (thuocdo/web/throttle.py) and
    the API's rate limits, shared by every web process. The columns are the ones
    `createcachetable` makes; only Django's cache backend reads and writes them."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = CACHE_TABLE
        verbose_name = "mục bộ nhớ đệm"
        verbose_name_plural = "bộ nhớ đệm"

    def __str__(self) -> str:
        return "Mục bộ nhớ đệm"
