"""Drawing layouts with Qt and exporting images; arrives with issue 3."""
