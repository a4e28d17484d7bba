"""Thước Đo: evaluation and classification of cadres, civil servants and Party members."""

__version__ = "0.1.0"
