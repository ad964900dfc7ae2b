"""One module per `lawtrace` subcommand, each exporting `command`."""
