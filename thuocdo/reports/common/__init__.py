"""What every report shares: the arithmetic of a distribution of levels (`levels`: counts,
shares, the 20% quota, pure Python), who may see which unit's reports (`permissions`, built on
`thuocdo.org.scope`), the report query (`selectors`: the distribution of a subtree's year read
from the system's periods and imported history, with the group and category labels; `query`
and `forms`: the unit, year, month, group and category a page asks for), the writers of Excel
and PDF files (`exports`: content types, cell formats and fills, titles, the PDF renderer), and
the parameters every report endpoint takes (`api`). Nothing here imports a report sub-package.
"""
