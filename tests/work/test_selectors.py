"""`task_items_for_month`: the bridge from the work record to NĐ 335 scoring."""

from __future__ import annotations

from decimal import Decimal

from tests.work.helpers import MONTH, YEAR, complete, day, register
from thuocdo.rules.scoring import TaskItem, nonleader_results_points, task_results
from thuocdo.work import selectors, services


def _verify(world, task, **kwargs):
    return services.task_verify(actor=world.users["lena"], task=task, **kwargs)


def test_items_weigh_quantity_times_the_conversion_factor(world, catalogue):
    register(world, catalogue, quantity="3", product=catalogue.report)  # 3 × 2
    register(world, catalogue, quantity="4", product=catalogue.letter)  # 4 × 0.5
    items = selectors.task_items_for_month(world.alice, YEAR, MONTH, as_at=day(1))
    assert [item.weight for _, item in items] == [Decimal(6), Decimal(2)]


def test_a_month_of_three_tasks_gives_the_items_the_formula_expects(world, catalogue):
    on_time = complete(world, register(world, catalogue, title="Đúng hạn", due=10), on=10)
    late = complete(world, register(world, catalogue, title="Trễ", due=10), on=13)
    failed = complete(world, register(world, catalogue, title="Lỗi", due=20), on=18)
    _verify(world, on_time, quality_passed=True)
    _verify(world, late, quality_passed=True)
    _verify(world, failed, quality_passed=False, reason="Sai số liệu")
    complete(world, failed, on=19)
    _verify(world, failed, quality_passed=True)
    items = dict(selectors.task_items_for_month(world.alice, YEAR, MONTH))
    w = Decimal(2)
    assert items[on_time] == TaskItem(weight=w, done=True)
    assert items[late] == TaskItem(weight=w, done=True, delays=1)
    assert items[failed] == TaskItem(weight=w, done=True, failed_reviews=1)
    results = task_results(items.values())
    # a = 1, b = (1 + 1 + 0.75) / 3, c = (1 + 0.75 + 1) / 3: 70 × (34 / 36) = 66.11
    assert nonleader_results_points(results) == Decimal("66.11")


def test_a_confirmed_exemption_zeroes_the_delays_it_covers(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=12)
    exemption = services.exemption_request(
        actor=world.users["alice"], task=task, kind="delay", reason="Bão"
    )
    services.exemption_decide(
        actor=world.users["lena"], exemption=exemption, confirm=True, reason="Đúng"
    )
    _verify(world, task, quality_passed=True)
    ((_, item),) = selectors.task_items_for_month(world.alice, YEAR, MONTH)
    assert (item.delays, item.objective_cause) == (0, True)


def test_a_confirmed_error_exemption_zeroes_failed_reviews_but_not_delays(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=12)
    _verify(world, task, quality_passed=False, reason="Sai")
    exemption = services.exemption_request(
        actor=world.users["alice"], task=task, kind="error", reason="Số liệu cấp trên sai"
    )
    services.exemption_decide(
        actor=world.users["lena"], exemption=exemption, confirm=True, reason="Đúng"
    )
    ((_, item),) = selectors.task_items_for_month(world.alice, YEAR, MONTH, as_at=day(31))
    # The engine's flag would also cancel the delay, so it stays off while a delay remains.
    assert (item.failed_reviews, item.delays, item.objective_cause) == (0, 1, False)


def test_a_refused_exemption_changes_nothing(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=12)
    exemption = services.exemption_request(
        actor=world.users["alice"], task=task, kind="delay", reason="Bận"
    )
    services.exemption_decide(
        actor=world.users["lena"], exemption=exemption, confirm=False, reason="Không khách quan"
    )
    ((_, item),) = selectors.task_items_for_month(world.alice, YEAR, MONTH)
    assert (item.delays, item.objective_cause) == (1, False)


def test_unfinished_work_is_not_done_and_late_once_its_due_date_passed(world, catalogue):
    register(world, catalogue, due=10)
    ((_, before),) = selectors.task_items_for_month(world.alice, YEAR, MONTH, as_at=day(10))
    ((_, after),) = selectors.task_items_for_month(world.alice, YEAR, MONTH, as_at=day(11))
    assert (before.done, before.meets_quality, before.delays) == (False, False, 0)
    assert after.delays == 1


def test_a_completion_waiting_for_verification_is_not_done_yet(world, catalogue):
    complete(world, register(world, catalogue))
    ((_, item),) = selectors.task_items_for_month(world.alice, YEAR, MONTH)
    assert item.done is False


def test_other_people_and_other_months_are_left_out(world, catalogue):
    register(world, catalogue)
    services.task_register(
        actor=world.users["lena"],
        person=world.carol,
        year=YEAR,
        month=MONTH,
        title="Của Ánh",
        quantity=Decimal(1),
        due_date=day(5),
    )
    assert len(selectors.task_items_for_month(world.alice, YEAR, MONTH)) == 1
    assert selectors.task_items_for_month(world.alice, YEAR, MONTH + 1) == []
