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
    # 两 before a measure word and before 千/万/亿; 二 in dates, ordinals and grades
    ("2个人", "两个人"),
    ("下午2点", "下午两点"),
    ("2年", "两年"),
    ("第2个", "第二个"),
    ("2月", "二月"),
    ("2年级", "二年级"),
    ("2000元", "两千元"),
    ("12000人", "一万两千人"),
    ("22万", "二十二万"),
    ("¥1,000", "一千元"),
    ("¥5万", "五万元"),  # the currency after the scale
    ("$1.5亿", "一点五亿美元"),
    # temperatures, signs and units
    ("气温25℃", "气温二十五摄氏度"),
    ("-5°C", "零下五摄氏度"),
    ("-2.5%", "负百分之二点五"),
    ("增长-3", "增长负三"),
    ("COVID-19", "COVID-十九"),  # a hyphen after a letter is no minus
    ("G20峰会", "G二十峰会"),
    ("2.5kg", "二点五公斤"),
    ("2kg", "两公斤"),
    ("100km/h", "一百公里每小时"),
    # ranges, scores, ratios, fractions
    ("10-20人", "十到二十人"),
    ("1990-1995年", "一九九零到一九九五年"),
    ("20%-30%", "百分之二十到百分之三十"),
    ("中国队以3-2获胜", "中国队以三比二获胜"),
    ("比分2:1", "比分二比一"),
    ("1/2", "二分之一"),
    ("3/4的人", "四分之三的人"),
    ("我有3个", "我有三个"),
]


@pytest.mark.parametrize(("written", "spoken"), MANDARIN)
def test_mandarin_reading(written: str, spoken: str) -> None:
    assert normalize(written, "z").text == spoken
