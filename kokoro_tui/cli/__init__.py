"""The `kokoro` command: a thin Typer face over the library. One module per command group."""
