"""The wheel and sdist files: writer, safe reader, file selection, packages, tags, reproducibility."""
