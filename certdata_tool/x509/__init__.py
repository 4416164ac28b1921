"""Floor 3 — certificates: the one DER reader, X.509 fields, NSS's comment headers, checks."""
