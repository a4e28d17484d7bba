"""The bounds every workbook must stay within before it is read, so that a hostile file (a zip
bomb, a sheet claiming a million rows, a megabyte of text in one cell) is refused with a
clear sentence instead of exhausting the server.

The figures leave room for the largest real import: a city's 50.000 Party members with their
results is about 1 MB compressed and 15 MB of XML.
"""

from __future__ import annotations

from thuocdo.security.inputs import FREE_TEXT_MAX

MAX_FILE_BYTES = 20 * 1024 * 1024  # the .xlsx file itself
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # all the XML inside it, uncompressed
MAX_MEMBERS = 2000  # files inside the zip
# A worksheet's XML compresses about 5 to 30 times; a zip bomb a thousand times. The ratio is
# judged only on members big enough to matter.
MAX_RATIO = 150
RATIO_FLOOR_BYTES = 4 * 1024 * 1024
MAX_ROWS = 200_000  # data rows of one sheet
MAX_COLUMNS = 200  # columns of a header row
MAX_CELL_CHARS = FREE_TEXT_MAX  # the input policy's bound on any free text
