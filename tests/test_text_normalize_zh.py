"""Mandarin reading: phone numbers with 幺 for 1, clock times, yuan, dates, long digit runs."""

from __future__ import annotations

import pytest

from kokoro_tui.text.normalize import normalize

MANDARIN = [
    ("13812345678", "幺三八,幺二三四,五六七八"),
    ("138 1234 5678", "幺三八,幺二三四,五六七八"),
    ("电话13812345678", "电话幺三八,幺二三四,五六七八"),
    ("+86 138 1234 5678", "加八六,幺三八,幺二三四,五六七八"),
    ("010-12345678", "零幺零,幺二三四五六七八"),
    ("3:45", "三点四十五分"),
    ("3:05", "三点零五分"),
    ("2:00", "两点"),
    ("15:30:10", "十五点三十分十秒"),
    ("¥12", "十二元"),
    ("￥12", "十二元"),
    ("¥12.50", "十二元五角"),
    ("¥12.05", "十二元零五分"),
    ("¥0.05", "五分"),
    ("$5", "五美元"),
    ("€5", "五欧元"),
    ("2024-03-05", "二零二四年三月五日"),
    ("1,000,000", "一百万"),
    ("12345678", "一二三四五六七八"),
    ("007", "零零七"),
    ("2024年", "二零二四年"),
    ("50%", "百分之五十"),
    ("我有3个", "我有三个"),
]


@pytest.mark.parametrize(("written", "spoken"), MANDARIN)
def test_mandarin_reading(written: str, spoken: str) -> None:
    assert normalize(written, "z").text == spoken
