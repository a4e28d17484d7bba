"""The results of past years, imported from a workbook ("Nhập kết quả các năm trước"): the
import itself and its template (`imports`), the upload form (`forms`) and the upload and
template pages (`views`). The rows land in `reports.models.HistoricalResult`, which every
report reads beside the system's own periods.
"""
