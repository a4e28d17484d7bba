"""The monthly score: opening monthly and quarterly periods, the self and leader assessments of
each month, the pure-Python computation of a month's score from tasks and deductions
(`scoring`), the scoped reads of periods and boards (`selectors`), the writes that save,
decide and lock them (`services`) and their pages (`views`). The annual cycle, which reads the
months' scores, lives beside it in `thuocdo.reviews.annual`."""
