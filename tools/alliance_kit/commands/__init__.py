"""One module per ``alliance-kit`` subcommand."""
