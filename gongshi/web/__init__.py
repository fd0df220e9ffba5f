"""The public website: the MkDocs plugin, the address book, the renderer, and one module per page family."""
