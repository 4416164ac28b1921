"""certdata-tool: read, change, diff, lint and export Mozilla NSS's certdata.txt root store."""
