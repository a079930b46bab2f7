"""Reading CRM exports (HubSpot, Pipedrive, Salesforce, any CSV) into neutral records, and
writing the files each CRM imports back. Pure: no database here — `services` stores them.

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
    "Profile",
    "Ref",
    "RowProblem",
    "Source",
    "Tally",
    "UnreadableFile",
    "candidates",
    "norm_header",
    "open_export",
    "parse_map",
    "read_all",
    "signature",
    "suggest",
]
