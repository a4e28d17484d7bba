"""The summary report as a Word document ("Văn bản báo cáo"): the distribution of a subtree's
year written as an official document with its letterhead (`summary`: the wording, the tables
and the docxtpl rendering; `forms`: the letterhead form; `views`: the page and the .docx
response the API shares), and the builder of its template (`docx/build.py`, which writes
`docx/summary_report.docx`).
"""
