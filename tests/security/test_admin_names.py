"""The admin names the apps we take from others in Vietnamese (issue 16: "AUTH TOKEN / Tokens")."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from thuocdo.org.models import User

ENGLISH = (
    "Auth Token",
    "Tokens",
    "Axes",
    "Access attempt",
    "Access log",
    "TOTP device",
    "Task Result",
)


@pytest.mark.django_db
def test_the_admin_index_reads_in_vietnamese() -> None:
    admin = User.objects.create_superuser("quantri-thu", password="Mat-khau-quan-tri-2026")
    client = Client()
    client.force_login(admin)
    page = client.get("/quan-tri/").content.decode()
    for words in ("Khóa truy cập API", "Khóa đăng nhập sai", "Xác thực hai lớp"):
        assert words in page
    text = re.sub(r"<[^>]+>", " ", page)
    assert [word for word in ENGLISH if word.lower() in text.lower()] == []
