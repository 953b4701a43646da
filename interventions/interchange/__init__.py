"""Import and export of a whole intervention as one YAML file.

`schema` defines the format, `importer` reads and writes it into the database, `exporter`
writes the database out in it.
"""
