"""One module per CLI subcommand (see ``photoscan.cli.COMMANDS``)."""
