"""Factories: the one way tests make objects."""

import factory
from django.contrib.auth import get_user_model

from annotations.models import Document, Membership, Project, Role
from annotations.services.projects import project_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")


def make_project(*, admin, name: str = "News", **fields) -> Project:
    """A project with the news preset, created the way the API creates one."""
    return project_create(creator=admin, preset="news", name=name, **fields)


def add_member(project: Project, user, role: str = Role.ANNOTATOR) -> Membership:
    return Membership.objects.create(project=project, user=user, role=role)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    text = "Jens Stoltenberg berkata: “Kami siap,” kata dia di Brussel."
    title = factory.Sequence(lambda n: f"Article {n}")
    external_id = factory.Sequence(lambda n: f"doc-{n}")
    length = factory.LazyAttribute(lambda d: len(d.text))
