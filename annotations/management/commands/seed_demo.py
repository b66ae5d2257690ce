"""Create the demo project on first start: news preset, sample articles, three users.

Idempotent: a second run changes nothing and only reminds where the passwords are.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotations.errors import DomainError
from annotations.models import Membership, Project, Role
from annotations.services.documents import documents_upload
from annotations.services.projects import project_create

DEMO_NAME = "Demo: news articles"
ARTICLES = Path(__file__).resolve().parents[2] / "demo" / "articles.jsonl"
USERS = [
    ("admin", Role.ADMIN, True),
    ("annotator1", Role.ANNOTATOR, False),
    ("annotator2", Role.ANNOTATOR, False),
]
GUIDELINES = """# How to annotate

- **PER, ORG, LOC, EVENT, MISC**: mark the shortest span naming the entity (no titles
  like *Kepala Pelaksana* unless part of the name).
- **QUOTE**: the words inside the quotation marks, without the marks. Set *quote_type*
  (direct or indirect) and the quote's *sentiment*.
- **SPEAKER**: link every QUOTE to the PER or ORG span of the person who said it
  (select the quote, then press `s` and click the speaker).
- **sentiment** (document): the article's overall tone.
"""


class Command(BaseCommand):
    help = "Create the demo project, its users and sample articles (first run only)."

    def handle(self, *args, **options) -> None:
        credentials = Path(settings.DATA_DIR) / "demo-credentials.txt"
        if Project.objects.filter(name=DEMO_NAME).exists():
            self.stdout.write(f"Demo project exists; its users' passwords are in {credentials}")
            return
        try:
            with transaction.atomic():
                lines = self._create(credentials)
        except DomainError as exc:  # e.g. an edited demo file that no longer imports
            raise CommandError(f"Could not create the demo project: {exc}") from None
        self.stdout.write(self.style.SUCCESS("Demo project created. Log in with:"))
        for line in lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"(also saved in {credentials})")

    def _create(self, credentials: Path) -> list[str]:
        users, lines = {}, []
        for username, role, is_superuser in USERS:
            password = secrets.token_urlsafe(9)
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.set_password(password)
            user.is_superuser = user.is_staff = is_superuser
            user.save()
            users[username] = (user, role)
            lines.append(f"{username:<11} {password}   ({role})")
        admin = users["admin"][0]
        project = project_create(
            creator=admin,
            preset="news",
            name=DEMO_NAME,
            language="id",
            description="Indonesian and English news with quotes to attribute.",
            guidelines=GUIDELINES,
            annotators_per_document=2,
        )
        for user, role in users.values():
            if user != admin:
                Membership.objects.create(project=project, user=user, role=role)
        with ARTICLES.open("rb") as raw:
            documents_upload(
                project=project,
                raw=raw,
                name=ARTICLES.name,
                format="jsonl",
                offset_unit=None,
                actor=admin,
            )
        credentials.write_text("\n".join(lines) + "\n")
        credentials.chmod(0o600)
        return lines
