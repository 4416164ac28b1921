"""Floor 5 — change specs: YAML with positions → frozen Change values (`spec.load`), the YAML writer
(`spec.write`) and the JSON Schema (`spec.schema`)."""
