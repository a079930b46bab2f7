"""CRM in and out: `notnow import` (a CRM's export files into notnow, through the guarded
write paths) and `notnow export --for …` (notnow's results, keyed by the CRM's ids)."""
