"""Excel import of the registry: units (with their authorities) and people (with their posts,
disciplines and rewards)."""

from thuocdo.org.imports.people import *  # noqa: F403
from thuocdo.org.imports.people import (  # the private helpers other apps still use
    _apply as _apply,
)
from thuocdo.org.imports.people import (
    _Audit as _Audit,
)
from thuocdo.org.imports.people import (
    _by_codes as _by_codes,
)
from thuocdo.org.imports.people import (
    _choice_map as _choice_map,
)
from thuocdo.org.imports.people import (
    _chunks as _chunks,
)
from thuocdo.org.imports.people import (
    _Collector as _Collector,
)
from thuocdo.org.imports.people import (
    _created_check as _created_check,
)
from thuocdo.org.imports.people import (
    _differs as _differs,
)
from thuocdo.org.imports.people import (
    _duplicates_flag as _duplicates_flag,
)
from thuocdo.org.imports.people import (
    _in_paths as _in_paths,
)
from thuocdo.org.imports.people import (
    _len as _len,
)
from thuocdo.org.imports.people import (
    _normal as _normal,
)
from thuocdo.org.imports.people import (
    _note as _note,
)
from thuocdo.org.imports.people import (
    _Row as _Row,
)
from thuocdo.org.imports.people import (
    _sheets_read as _sheets_read,
)
