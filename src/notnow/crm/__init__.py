"""Reading CRM exports (HubSpot, Pipedrive, Salesforce, any CSV) into neutral records, and
writing the files each CRM imports back (`write_files`). Pure: no database here — the
import service stores what is read, through the guarded write path.

    with open_export("deals.csv") as f:       # refused at once if it cannot be read
        print("\\n".join(f.describe()))        # what it was read as, and what was assumed
        for item in f:                         # streamed: CrmDeal, CrmContact… or RowProblem
            ...
"""

from notnow.crm.fields import FIELDS, IGNORE, FieldSpec
from notnow.crm.mapping import ColumnMap, MappingMemory, NeedsMapping, parse_map, signature
from notnow.crm.profiles import PROFILES, Profile, candidates, norm_header, suggest
from notnow.crm.reader import CrmFile, open_export, read_all
from notnow.crm.records import (
    CrmAccount,
    CrmActivity,
    CrmContact,
    CrmDeal,
    CrmRecord,
    Kind,
    Origin,
    Ref,
    RowProblem,
    Source,
    Tally,
)
from notnow.crm.textfile import MAX_FIELD, MAX_LINE, UnreadableFile
from notnow.crm.values import DateOrder
from notnow.crm.writers import Outcome, TouchOut, WrittenFile, file_names, write_files
from notnow.render.spreadsheet import safe_cell

__all__ = [
    "FIELDS",
    "IGNORE",
    "MAX_FIELD",
    "MAX_LINE",
    "PROFILES",
    "ColumnMap",
    "CrmAccount",
    "CrmActivity",
    "CrmContact",
    "CrmDeal",
    "CrmFile",
    "CrmRecord",
    "DateOrder",
    "FieldSpec",
    "Kind",
    "MappingMemory",
    "NeedsMapping",
    "Origin",
    "Outcome",
    "Profile",
    "Ref",
    "RowProblem",
    "Source",
    "Tally",
    "TouchOut",
    "UnreadableFile",
    "WrittenFile",
    "candidates",
    "file_names",
    "norm_header",
    "open_export",
    "parse_map",
    "read_all",
    "safe_cell",
    "signature",
    "suggest",
    "write_files",
]
