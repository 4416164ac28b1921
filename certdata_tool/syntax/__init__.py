"""Floor 2 — lossless certdata.txt text and nssckbi.h: parse, dump, splice."""
