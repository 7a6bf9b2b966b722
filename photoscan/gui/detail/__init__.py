"""One photo in detail: the pane beside the grid and the big preview."""
