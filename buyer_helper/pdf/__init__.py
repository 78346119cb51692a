"""The evidence bundle PDF: layout primitives, fonts, and the bundle itself."""
