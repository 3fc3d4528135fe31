"""One module per subcommand; ``clean`` is the cleaning command line itself."""
