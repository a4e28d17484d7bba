"""The comparison of equivalent positions ("So sánh chức danh tương đương"): people of the same
equivalent position across a subtree's units in a year, ranked by score within each — the reads
(`selectors`, ranks from `reports.trends.figures`), the JSON, Excel and PDF files (`exports`),
the page and its filter (`views`, `forms`) and the API endpoint (`api`).
"""
