"""Trends ("Xu hướng"): a subtree's results across years, per subject group with the child
units' matrix, and across the months of a year — the arithmetic of changes, means and ranks
(`figures`, pure Python, also used by `reports.positions`), the reads (`selectors`), the chart
data, JSON, Excel and PDF files (`exports`), the page and its filter (`views`, `forms`) and the
API endpoint (`api`).
"""
