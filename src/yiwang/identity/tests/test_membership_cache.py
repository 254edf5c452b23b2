import pytest

from yiwang.identity.models import StaffMembership, StaffRole
from yiwang.identity.selectors import departments_where, memberships_cached, user_has_role
from yiwang.identity.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_roles_are_read_once_per_request_and_fresh_outside_one(
    department, django_assert_num_queries
):
    user = make_user()
    StaffMembership.objects.create(user=user, department=department, role=StaffRole.REVIEWER)
    with memberships_cached(), django_assert_num_queries(1):
        assert user_has_role(user, StaffRole.REVIEWER) is True
        assert user_has_role(user, StaffRole.REVIEWER, department_id=department.pk) is True
        assert user_has_role(user, StaffRole.LEADER) is False
        assert departments_where(user, StaffRole.REVIEWER) == [department.pk]
    StaffMembership.objects.filter(user=user).update(is_active=False)
    assert user_has_role(user, StaffRole.REVIEWER) is False  # a new scope reads again
    with memberships_cached():
        assert departments_where(user, StaffRole.REVIEWER) == []
