from __future__ import annotations

import itertools
from datetime import date

import factory

from yiwang.identity.models import Person, RealNameLevel, RealNameMethod, User
from yiwang.platform.crypto import blind_index
from yiwang.platform.validators import make_citizen_id, make_uscc

_sequence = itertools.count(1)


def new_citizen_id(*, region: str = "350102", birth: date = date(1990, 5, 17)) -> str:
    return make_citizen_id(region, birth, next(_sequence) % 999 + 1)


def new_uscc() -> str:
    return make_uscc("9", "1", "350102", f"{next(_sequence):08d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Passw0rd!x")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"测试{n}号")
    citizen_id = factory.LazyFunction(new_citizen_id)
    citizen_id_index = factory.LazyAttribute(
        lambda o: blind_index(o.citizen_id, purpose="citizen_id")
    )
    realname_level = RealNameLevel.L2
    realname_method = RealNameMethod.POLICE_ID_CHECK


def make_user(**kwargs: object) -> User:
    """A typed front for `UserFactory` (factory_boy's call is untyped)."""
    user = UserFactory(**kwargs)
    assert isinstance(user, User)
    return user
