"""`makemessages` with the project's options, so `manage.py makemessages -l id`, `make
messages-update` and the completeness test (tests/test_translations.py) extract the same way:
only our code and templates, no source locations (a moved line is no catalog change) and no
obsolete entries."""

from typing import Any

from django.core.management.commands import makemessages

# Not ours, or not shipped: nothing in them is shown to a user by Django.
IGNORED = [".venv", "venv", "frontend", "var", "bench", "tests", "scripts", "locale", "*/demo"]


class Command(makemessages.Command):
    def handle(self, *args: Any, **options: Any) -> Any:
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED]
        options["no_location"] = True
        options["no_obsolete"] = True
        return super().handle(*args, **options)
