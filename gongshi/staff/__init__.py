"""Tools for county staff: the `gongshi` command, new records, the Excel fund plan table, chart files."""
