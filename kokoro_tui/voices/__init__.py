"""The one voice store: every voice (stock, blended, imported, edited, trained) lives here with its recipe."""
