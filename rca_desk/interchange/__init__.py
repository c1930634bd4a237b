"""Files in and out: lossless JSON, DOT, Mermaid, GraphML, iCalendar and spreadsheet-safe CSV."""

from rca_desk.interchange.files import ExportError, atomic_write_bytes
from rca_desk.interchange.json_format import (
    FORMAT,
    VERSION,
    FormatVersion,
    ImportRefusedError,
    JsonDocument,
    Problem,
    dumps,
    import_file,
    import_incidents,
    loads,
    parse_document,
    parse_json_document,
    read_json,
    read_json_document,
    to_document,
    write_json,
)

__all__ = [
    "FORMAT",
    "VERSION",
    "ExportError",
    "FormatVersion",
    "ImportRefusedError",
    "JsonDocument",
    "Problem",
    "atomic_write_bytes",
    "dumps",
    "import_file",
    "import_incidents",
    "loads",
    "parse_document",
    "parse_json_document",
    "read_json",
    "read_json_document",
    "to_document",
    "write_json",
]
