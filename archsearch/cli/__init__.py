"""The command line: click commands that parse options, call archsearch.api and render."""
