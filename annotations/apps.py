from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(using: str = "default", **_kwargs: Any) -> None:
    """The database cache's table (settings.CACHES) is no model's, so `migrate` alone would
    not make it; `createcachetable` is idempotent and does nothing for other caches."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class AnnotationsConfig(AppConfig):
    name = "annotations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="cache-table")
        # Sources that need the ORM register themselves with the suggester registry here.
        from annotations.services import suggestion_backend  # noqa: F401
