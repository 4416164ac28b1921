"""Reconciling certdata.txt with CCADB's report of Mozilla's included roots: reader, findings, fix."""
