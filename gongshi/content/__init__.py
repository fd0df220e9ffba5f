"""Read, validate, resolve, audit and load content/: the Site model. Imports no web or staff code."""
