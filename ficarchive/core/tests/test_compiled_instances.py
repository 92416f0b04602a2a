"""Instances built by ``core.compiledqs`` without ``Model.__init__`` are Django's: the same
loaded values, the same deferred fields, the same state; a model whose construction
something listens to is built by Django."""

from __future__ import annotations

import pytest
from django.db.models.signals import post_init

from ficarchive.core import compiledqs
from ficarchive.tags.models import Tag
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Work

pytestmark = pytest.mark.django_db


def _same(a, b):
    assert type(a) is type(b)
    assert {k: v for k, v in a.__dict__.items() if k != "_state"} == {
        k: v for k, v in b.__dict__.items() if k != "_state"
    }
    assert (a._state.adding, a._state.db) == (b._state.adding, b._state.db)
    assert a.get_deferred_fields() == b.get_deferred_fields()


def test_fast_instances_equal_from_db_whole_and_deferred():
    work = make_work(make_user("inst_author"), title="Inst", freeforms=["Fluff"])
    row = Work.objects.filter(pk=work.pk).values_list(
        *[f.attname for f in Work._meta.concrete_fields]
    )[0]
    names = [f.attname for f in Work._meta.concrete_fields]
    _same(compiledqs._from_db(Work, "default", names, row), Work.from_db("default", names, row))
    some = ["id", "title", "rating"]
    values = [work.pk, work.title, work.rating]
    fast = compiledqs._from_db(Work, "default", some, values)
    _same(fast, Work.from_db("default", some, values))
    assert "summary" in fast.get_deferred_fields()
    assert fast.summary == work.summary  # a deferred field still loads when read


def test_a_model_with_an_init_listener_is_built_by_django():
    """Even when the model was built directly before the receiver connected."""
    compiledqs._from_db(Tag, "default", ["id", "name", "kind"], [1, "Fluff", "freeform"])
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(listener, sender=Tag)
    try:
        tag = compiledqs._from_db(Tag, "default", ["id", "name", "kind"], [1, "Fluff", "freeform"])
    finally:
        post_init.disconnect(listener, sender=Tag)
    assert seen == [tag]
