"""Floor 4 — the domain: trust levels, purposes, roots (a certificate with its trust object), selectors,
and the blocks addbuiltin prints. Import from the submodules: `model.roots`, `model.blocks`."""
