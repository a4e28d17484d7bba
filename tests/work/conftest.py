"""Work-record fixtures on top of the `world` cast: a catalogue and a month of alice's tasks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from thuocdo.work import services
from thuocdo.work.models import JobPosition, ProductType


@dataclass
class Catalogue:
    position: JobPosition
    report: ProductType  # factor 2
    letter: ProductType  # factor 0.5


@pytest.fixture
def catalogue(world) -> Catalogue:
    """A job position of P1 with two product types."""
    position = services.job_position_create(
        actor=None, code="VT-VP", name="Văn phòng - Thống kê", unit=world.p1
    )
    report = services.product_type_create(
        actor=None,
        job_position=position,
        code="BC",
        name="Báo cáo tổng hợp",
        group="C",
        unit_of_measure="báo cáo",
        conversion_factor=Decimal(2),
        monthly_norm=Decimal(4),
    )
    letter = services.product_type_create(
        actor=None,
        job_position=position,
        code="CV",
        name="Công văn",
        group="B",
        unit_of_measure="văn bản",
        conversion_factor=Decimal("0.5"),
    )
    return Catalogue(position, report, letter)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    """Evidence files land in a temporary folder, not in the work tree."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
